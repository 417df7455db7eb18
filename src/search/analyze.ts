import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { words as naturalStopWords } from 'natural/lib/natural/util/stopwords.js';
import { normalizeText } from '../content/normalize.js';
import { IRREGULAR_PAST } from './irregularVerbs.js';

/**
 * Spelled-out names of general English and the abbreviation they are indexed under, so "United
 * States", "U.S." and "US" are one term, as are "chief executive" and "CEO". Only whole names:
 * "American" or "South America" stay words of their own. Nothing here is specific to one article;
 * anything more belongs in the content.
 */
const PHRASE_ALIASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bchief executive(?: officer)?\b/gi, 'CEO'],
  [/\bunited states(?: of america)?\b/gi, 'US'],
  [/\bunited kingdom\b/gi, 'UK'],
  [/\bgreat britain\b/gi, 'UK'],
  [/\beuropean union\b/gi, 'EU'],
  [/\bunited nations\b/gi, 'UN'],
];

/** Other spellings of the same abbreviation (already lowercased, dots removed). */
const WORD_ALIASES: ReadonlyMap<string, string> = new Map([['usa', 'us']]);

/**
 * Words that carry no meaning of their own in a question or a passage: natural's English list
 * (without its single letters and digits, since "6" or "5G" matter in news) plus pronouns and
 * contractions it lacks.
 */
const STOP_WORDS: ReadonlySet<string> = new Set([
  ...naturalStopWords.filter((word) => word.length > 1 && !/^\d+$/.test(word)),
  'us',
  'a',
  'i',
  'also',
  'am',
  'yet',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'dont',
  'doesnt',
  'didnt',
  'cant',
  'wont',
  'im',
  'ive',
  'youre',
  'theyre',
  'thats',
  'whats',
  'whos',
  'hes',
  'shes',
  'its',
  'upon',
  'onto',
  'via',
  'per',
  'just',
  'ever',
  'will',
  'shall',
  'whose',
  'not',
  'no',
  'nor',
  // inflections of natural's stop words
  'made',
  'makes',
  'making',
  'gets',
  'getting',
  'gotten',
  'takes',
  'took',
  'taken',
  'taking',
  'comes',
  'coming',
  'sees',
  'saw',
  'seen',
  'says',
  'goes',
  'went',
  'gone',
  'done',
  'having',
  'likes',
  // chat spellings of the same words
  'wat',
  'wut',
  'wats',
  'hw',
  'u',
  'ur',
  'r',
  'y',
  'pls',
  'plz',
  'abt',
  'bout',
  'cuz',
  'bc',
  'tho',
  'thx',
]);

/**
 * Words that only phrase a question ("what does the article say about …") and say nothing about
 * what is asked. Removed from questions, never from passages.
 */
const QUESTION_WORDS: ReadonlySet<string> = new Set(
  (
    'article story text author say says saying tell tells told explain describe mention mentions ' +
    'mentioned according happen happened happening know please anything something thing things kind ' +
    'sort mean means hey hi hello thanks bot question info information details give show find list ' +
    'happens exactly really actually going gonna name named called anyone someone somebody anybody ' +
    'currently basically want wants wanted'
  ).split(' '),
);

/** Words that only ask for a measure after "how" ("how big", "how long"): the answer is a number, not the word. */
const HOW_MEASURES: ReadonlySet<string> = new Set(
  'big large long far fast old often high tall heavy wide deep soon early late'.split(' '),
);

/** One word of a text: its stemmed index term and where it stands in the text. */
export interface Token {
  /** The analysed term (lowercase, stemmed, aliased) as stored in the index. */
  term: string;
  /** The word before stemming: lowercase, without possessive or dots. */
  word: string;
  /** The word as it appears (after normalization), for highlighting and suggestions. */
  surface: string;
  /** In a question: a capitalised word inside a sentence, which names something ("Texas", "Netflix"). */
  name: boolean;
}

/** Dotted abbreviations ("U.S.", "e.g."), numbers ("3.5", "1,000") and words with inner apostrophes or periods. */
const WORD_PATTERN = /(?:\p{L}\.){2,}|\p{N}+(?:[.,]\p{N}+)*%?|[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;

/**
 * Longest word indexed or looked up, in characters: longer runs of letters are no words (the
 * longest English word in a dictionary has 45 letters) and Porter stemming costs grow with the
 * square of a word's length, so they are left out of the index and of questions alike.
 */
export const MAX_WORD_LENGTH = 64;

const stemCache = new Map<string, string>();

/** Porter stem of a lowercase word, cached because the same words recur across thousands of passages. */
function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = /^\p{N}/u.test(word) ? word : PorterStemmer.stem(word);
    if (stemCache.size < 200_000) stemCache.set(word, stemmed);
  }
  return stemmed;
}

/**
 * Splits text into the words an index should know, keeping "U.S." whole and telling the
 * country "US" from the pronoun "us". Stop words are dropped; `question: true` also drops the
 * words that only phrase a question.
 *
 * @example
 * analyze('What did the U.S. say about Mexico’s cartels?', { question: true }).map((t) => t.term)
 * // => ['us', 'mexico', 'cartel']
 */
export function analyze(text: string, options: { question?: boolean } = {}): Token[] {
  let normalized = normalizeText(text);
  for (const [pattern, replacement] of PHRASE_ALIASES) normalized = normalized.replace(pattern, replacement);

  const matches = [...normalized.matchAll(WORD_PATTERN)];
  const findNames = options.question === true && !isTitleCase(matches.map((m) => m[0]));
  // In text typed all in capitals, capitals mark no acronyms.
  const shouting = !/\p{Ll}/u.test(normalized);
  const tokens: Token[] = [];
  let previous = '';
  for (const match of matches) {
    const raw = match[0];
    const { word, acronym } = foldWord(raw, previous, shouting);
    const isName = findNames && /^\p{Lu}/u.test(raw) && previous !== '' && !afterSentenceEnd(normalized, match.index);
    const measure = options.question === true && previous === 'how' && HOW_MEASURES.has(word);
    previous = raw.toLowerCase();
    if (
      word === '' ||
      raw.length > MAX_WORD_LENGTH ||
      measure ||
      (!acronym && (STOP_WORDS.has(word) || (options.question && QUESTION_WORDS.has(word))))
    )
      continue;
    tokens.push({ term: termOf(word), word, surface: raw, name: isName });
  }
  return tokens;
}

/**
 * Whether the text before `index` ends a sentence (or a clause: ".", "!", "?", ":" or ";", then
 * spaces): a capital there marks no name. Reads back over the spaces only, so the cost is the
 * same wherever the word is.
 */
function afterSentenceEnd(text: string, index: number): boolean {
  let at = index - 1;
  while (at >= 0 && /\s/.test(text[at] ?? '')) at--;
  return at >= 0 && '.!?:;'.includes(text[at] ?? '');
}

/** The index term of one lowercase word: the Porter stem of its base form. */
export function termOf(word: string): string {
  return stem(IRREGULAR_PAST.get(word) ?? word);
}

/**
 * The index term of one word as written in a passage ("Mexico’s" → mexico), or `null` for a stop
 * word: {@link analyze} for a single word, without the work of reading a whole text.
 */
export function wordTerm(raw: string): string | null {
  const { word, acronym } = foldWord(raw, '', false);
  if (word === '' || raw.length > MAX_WORD_LENGTH || (!acronym && STOP_WORDS.has(word))) return null;
  return termOf(word);
}

/** The stemmed terms of `text`, in order (stop words dropped). */
export function analyzeTerms(text: string): string[] {
  return analyze(text).map((token) => token.term);
}

/** Whether small words are capitalised too, as in "What Did Hegseth Say About": then capitals mark no names. */
function isTitleCase(words: readonly string[]): boolean {
  const small = words.slice(1).filter((word) => STOP_WORDS.has(word.toLowerCase()));
  return small.length > 0 && small.filter((word) => /^\p{Lu}/u.test(word)).length / small.length > 0.5;
}

/**
 * Lowercases one raw word and strips what should not distinguish it: accents ("Beyoncé" →
 * "beyonce"), the possessive "'s", inner apostrophes ("don't" → "dont"), the dots of an
 * abbreviation ("U.S." → "us"). Returns `acronym` for a word written in capitals or with dots
 * ("US", "U.S.", "WHO"), which is never a stop word; "us" right after "the" is one too.
 */
function foldWord(raw: string, previous: string, shouting: boolean): { word: string; acronym: boolean } {
  let word = raw.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  if (word.endsWith("'s")) word = word.slice(0, -2);
  else if (word.endsWith("s'")) word = word.slice(0, -1);
  const dotted = /^(?:\p{L}\.)+$/u.test(word);
  if (dotted) word = word.replace(/\./g, '');
  word = word.replace(/'/g, '');
  const acronym = dotted || (!shouting && /^\p{Lu}{2,5}$/u.test(raw)) || (word === 'us' && previous === 'the');
  return { word: WORD_ALIASES.get(word) ?? word, acronym };
}
