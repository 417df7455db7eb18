import { termOf, type Token } from './analyze.js';
import type { Lexicon } from './lexicon.js';
import type { EngineOptions } from './options.js';
import type { Vocabulary } from './vocabulary.js';

/** How a question word reached an index term. */
export type MatchKind = 'exact' | 'fuzzy' | 'prefix' | 'stem-prefix' | 'related';

/** One index term a question word may stand for, and how much a match on it is trusted. */
export interface Alternative {
  term: string;
  /** 1 for the word itself; less for a typo correction, a completion or a related word. */
  weight: number;
  kind: MatchKind;
}

/** One distinct word of the question, resolved against the index vocabulary. */
export interface PlannedTerm {
  surface: string;
  /** The question names something here ("Texas", "Netflix"): a capitalised word inside the sentence. */
  name: boolean;
  /** Rarity of the word in the index (BM25's idf): rare words decide which passage, common ones barely count. */
  idf: number;
  /**
   * How much the word says about a topic in everyday English, from 0 (a function word) to 1 (a
   * word never seen in everyday text: a name, a term of art). A missing word with a high value is
   * strong evidence that the question is about something the content lacks.
   */
  specificity: number;
  /** Whether the index holds the word itself. */
  inIndex: boolean;
  /** Index terms that count as this word; empty when the index has nothing like it. */
  alternatives: Alternative[];
}

/** A question turned into index terms: what to look up and how much each word matters. */
export interface QueryPlan {
  terms: PlannedTerm[];
  /** Sum of the terms' idf: the weight of a passage that matched every word. */
  totalIdf: number;
  /** Sum of the terms' specificity. */
  totalSpecificity: number;
}

/** What planning needs besides the question. */
export interface PlanContext {
  /** The index's terms with their passage counts, and its words as written (typos are corrected against these). */
  vocabulary: Vocabulary;
  /** The passages served. */
  passageCount: number;
  lexicon: Lexicon;
  options: EngineOptions;
}

/**
 * Resolves each distinct question word (the first `maxQuestionTerms`) against the vocabulary. A
 * word the index holds is used as it is. A word the index lacks (of the first `maxCorrections`
 * such) is corrected for typos, matched to other forms of its stem or to the WordNet words related
 * to it that the index holds (weighted below an exact match), or (the last word, typed partly)
 * completed. Corrections are made on words as written, not on stems, so "amendmnet" still finds
 * "amendment".
 *
 * @example
 * planQuery(analyze('who is her husband?', { question: true }), context).terms[0]?.alternatives
 * // => [{ term: 'marri', weight: 0.6, kind: 'related' }] when the index says "married"
 */
export function planQuery(
  tokens: readonly Token[],
  context: PlanContext,
  options: { partialLastWord: boolean },
): QueryPlan {
  const { vocabulary, lexicon } = context;
  const seen = new Set<string>();
  const terms: PlannedTerm[] = [];
  let corrections = context.options.maxCorrections;
  tokens.forEach((token, i) => {
    if (seen.has(token.term) || seen.size >= context.options.maxQuestionTerms) return;
    seen.add(token.term);
    const inIndex = vocabulary.hasTerm(token.term);
    const alternatives = inIndex
      ? [{ term: token.term, weight: 1, kind: 'exact' as const }]
      : corrections-- > 0
        ? resolve(token, context, options.partialLastWord && i === tokens.length - 1)
        : [];
    const df = inIndex
      ? vocabulary.passagesWith(token.term)
      : Math.max(0, ...alternatives.map((alt) => vocabulary.passagesWith(alt.term)));
    const zipf = lexicon.zipf(token.word);
    const { midpoint, slope } = context.options.specificity;
    const specificity = 1 / (1 + Math.exp((zipf - midpoint) * slope));
    terms.push({
      surface: token.surface,
      name: token.name,
      idf: idf(df, context.passageCount),
      specificity,
      inIndex,
      alternatives,
    });
  });
  return {
    terms,
    totalIdf: terms.reduce((sum, term) => sum + term.idf, 0),
    totalSpecificity: terms.reduce((sum, term) => sum + term.specificity, 0),
  };
}

/** The index terms a question word the index lacks may stand for. */
function resolve(token: Token, context: PlanContext, isPartial: boolean): Alternative[] {
  const { vocabulary, options } = context;
  const { word } = token;
  const corrections = typoCorrections(word, context);
  if (corrections.length > 0) return corrections;
  const found = [...stemPrefixMatches(token.term, vocabulary, options.expansion), ...relatedWords(token, context)];
  if (found.length > 0) return dedupe(found);
  if (isPartial && word.length >= 3) {
    const completions = vocabulary
      .wordsWithPrefix(word)
      .sort((a, b) => b[1] - a[1])
      .map(([match]) => termOf(match));
    return [...new Set(completions)]
      .filter((term) => vocabulary.hasTerm(term))
      .slice(0, options.expansion.maxCompletions)
      .map((term) => ({ term, weight: options.expansion.prefix, kind: 'prefix' as const }));
  }
  return [];
}

/** Index terms of the WordNet words related to a question word ("husband" → "married"). */
function relatedWords(token: Token, { vocabulary, lexicon, options }: PlanContext): Alternative[] {
  const alternatives: Alternative[] = [];
  for (const word of lexicon.related(token.word)) {
    const term = termOf(word);
    if (term !== token.term && vocabulary.hasTerm(term) && !alternatives.some((alt) => alt.term === term))
      alternatives.push({ term, weight: options.expansion.related, kind: 'related' });
  }
  return alternatives;
}

/** The alternatives with one entry per term, keeping the highest weight. */
function dedupe(alternatives: readonly Alternative[]): Alternative[] {
  const best = new Map<string, Alternative>();
  for (const alt of alternatives) if (alt.weight > (best.get(alt.term)?.weight ?? -1)) best.set(alt.term, alt);
  return [...best.values()];
}

/**
 * Index terms of the words closest to `word` by edit distance. An English word is only matched
 * to forms differing at the end ("build" → "built"), so "movie" never becomes "move".
 */
function typoCorrections(word: string, { vocabulary, lexicon, options }: PlanContext): Alternative[] {
  // A number is never a typo of another number: 1947 is not 1917.
  if (/\p{N}/u.test(word)) return [];
  const english = lexicon.isWord(word);
  const maxDistance = english ? (word.length >= 4 ? 1 : 0) : word.length >= 6 ? 2 : word.length >= 4 ? 1 : 0;
  if (maxDistance === 0) return [];
  const weights = new Map<string, number>();
  for (const [match, , distance] of vocabulary.wordsNear(word, maxDistance)) {
    if (english && commonPrefixLength(word, match) < Math.max(4, word.length - 2)) continue;
    const term = termOf(match);
    const weight = distance === 0 ? 1 : (options.expansion.fuzzy[distance - 1] ?? 0);
    if (vocabulary.hasTerm(term) && weight > (weights.get(term) ?? 0)) weights.set(term, weight);
  }
  const best = Math.max(0, ...weights.values());
  return [...weights]
    .filter(([, weight]) => weight === best)
    .map(([term, weight]) => ({ term, weight, kind: 'fuzzy' as const }));
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Index terms sharing a long prefix with `term`: other forms of the same word that stemming missed. */
function stemPrefixMatches(term: string, vocabulary: Vocabulary, expansion: EngineOptions['expansion']): Alternative[] {
  if (term.length < expansion.stemPrefixChars) return [];
  const prefix = term.slice(
    0,
    Math.max(expansion.stemPrefixChars - 1, Math.ceil(term.length * expansion.stemPrefixShare)),
  );
  return vocabulary
    .termsWithPrefix(prefix)
    .filter(
      ([match]) => commonPrefixLength(term, match) >= Math.max(match.length, term.length) * expansion.stemPrefixShare,
    )
    .map(([match]) => ({ term: match, weight: expansion.stemPrefix, kind: 'stem-prefix' as const }));
}

/** BM25's inverse document frequency; a word no passage holds gets the rarest possible value. */
function idf(df: number, passageCount: number): number {
  return Math.log(1 + (passageCount - df + 0.5) / (df + 0.5));
}
