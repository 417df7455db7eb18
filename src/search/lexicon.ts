/**
 * What the engine knows of English beyond the articles: which words are ordinary English, which
 * words are related in meaning, and how common a word is in everyday speech. The engine takes
 * one in; `src/language/` loads the real one from WordNet and a word-frequency list, so this
 * library never touches the file system.
 */
export interface Lexicon {
  /**
   * Whether a lowercase word is ordinary English (a WordNet word or an inflection of one). Such
   * a word is never "corrected" into another word of the index: "movie" is not a typo for "move".
   */
  isWord(word: string): boolean;
  /**
   * Words related in meaning to a lowercase word: WordNet synonyms from its most common senses
   * and derivationally related forms ("husband" → "hubby", "designate" → "designation").
   */
  related(word: string): readonly string[];
  /**
   * How common a lowercase word is in everyday English, on the Zipf scale (log10 of occurrences
   * per billion words: "the" ≈ 7.5, "bakery" ≈ 3, an unseen word 0).
   */
  zipf(word: string): number;
}
