import type SearchableMap from 'minisearch/SearchableMap';
import { termOf, type Token } from './analyze.js';
import { isEnglishWord } from './dictionary.js';

/** One index term a question word may stand for, and how much a match on it is trusted. */
export interface Alternative {
  term: string;
  /** 1 for the word itself; less for a typo correction or a prefix completion. */
  weight: number;
}

/** One distinct word of the question, resolved against the index vocabulary. */
export interface PlannedTerm {
  surface: string;
  /** The question names something here ("Texas", "Netflix"): if the index lacks it, the question is off-topic. */
  name: boolean;
  /** Rarity of the word in the index: rare words decide relevance, common ones barely count. */
  idf: number;
  /** Index terms that count as this word; empty when the index has nothing like it. */
  alternatives: Alternative[];
}

/** A question turned into index terms: what to look up and how much each word matters. */
export interface QueryPlan {
  terms: PlannedTerm[];
  /** Sum of the terms' idf: the weight of a passage that matched every word. */
  totalIdf: number;
}

/** Weight of a typo correction at edit distance 1 and 2. */
const FUZZY_WEIGHT = [1, 0.8, 0.6] as const;
/** Weight of a completion of the question's last word, typed partly. */
const PREFIX_WEIGHT = 0.5;
/** Weight of a term sharing a long stem prefix, as a derived word form does ("diplomacy" → "diplomatic"). */
const RELATED_WEIGHT = 0.7;
/** Shortest shared stem prefix that makes two terms related, in characters and as a share of each term. */
const RELATED_PREFIX = { chars: 5, share: 0.75 } as const;
/** At most this many prefix completions are tried for the last word. */
const MAX_COMPLETIONS = 5;

/** What the index knows, for planning: terms with their passage counts, and words as written. */
export interface Vocabulary {
  /** Index term → number of passages holding it. */
  terms: SearchableMap<number>;
  /** Word as written (lowercase) → number of occurrences. Typos are corrected against these. */
  words: SearchableMap<number>;
  passageCount: number;
}

/**
 * Resolves each distinct question word against the vocabulary. Exact words are used as they are;
 * only words the index lacks are corrected for typos (and the last word completed as a prefix),
 * so a typo costs a lookup only where one is needed. Corrections are made on words as written,
 * not on stems, so "amendmnet" still finds "amendment".
 */
export function planQuery(tokens: readonly Token[], vocabulary: Vocabulary, options: { partialLastWord: boolean }): QueryPlan {
  const seen = new Set<string>();
  const terms: PlannedTerm[] = [];
  tokens.forEach((token, i) => {
    if (seen.has(token.term)) return;
    seen.add(token.term);
    const alternatives = resolve(token, vocabulary, options.partialLastWord && i === tokens.length - 1);
    const df = Math.max(0, ...alternatives.map((alt) => vocabulary.terms.get(alt.term) ?? 0));
    terms.push({ surface: token.surface, name: token.name, idf: idf(df, vocabulary.passageCount), alternatives });
  });
  return { terms, totalIdf: terms.reduce((sum, term) => sum + term.idf, 0) };
}

function resolve(token: Token, vocabulary: Vocabulary, isPartial: boolean): Alternative[] {
  if (vocabulary.terms.has(token.term)) return [{ term: token.term, weight: 1 }];
  const { word } = token;
  const corrections = typoCorrections(word, vocabulary);
  if (corrections.length > 0) return corrections;
  const related = relatedTerms(token.term, vocabulary.terms);
  if (related.length > 0) return related;
  if (isPartial && word.length >= 3) {
    const completions = [...vocabulary.words.atPrefix(word)].sort((a, b) => b[1] - a[1]).map(([match]) => termOf(match));
    return [...new Set(completions)]
      .filter((term) => vocabulary.terms.has(term))
      .slice(0, MAX_COMPLETIONS)
      .map((term) => ({ term, weight: PREFIX_WEIGHT }));
  }
  return [];
}

/**
 * Index terms of the words closest to `word` by edit distance. An English word is only matched
 * to forms differing at the end ("build" → "built"), so "movie" never becomes "move".
 */
function typoCorrections(word: string, vocabulary: Vocabulary): Alternative[] {
  const english = isEnglishWord(word);
  const maxDistance = english ? (word.length >= 4 ? 1 : 0) : word.length >= 6 ? 2 : word.length >= 4 ? 1 : 0;
  if (maxDistance === 0) return [];
  const alternatives = new Map<string, number>();
  for (const [match, [, distance]] of vocabulary.words.fuzzyGet(word, maxDistance)) {
    if (english && commonPrefixLength(word, match) < Math.max(4, word.length - 2)) continue;
    const term = termOf(match);
    const weight = FUZZY_WEIGHT[distance] ?? 0;
    if (vocabulary.terms.has(term) && weight > (alternatives.get(term) ?? 0)) alternatives.set(term, weight);
  }
  const best = Math.max(0, ...alternatives.values());
  return [...alternatives].filter(([, weight]) => weight === best).map(([term, weight]) => ({ term, weight }));
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Index terms sharing a long prefix with `term`: other forms of the same word that stemming missed. */
function relatedTerms(term: string, terms: SearchableMap<number>): Alternative[] {
  if (term.length < RELATED_PREFIX.chars) return [];
  const prefix = term.slice(0, Math.max(RELATED_PREFIX.chars - 1, Math.ceil(term.length * RELATED_PREFIX.share)));
  return [...terms.atPrefix(prefix)]
    .filter(([match]) => commonPrefixLength(term, match) >= Math.max(match.length, term.length) * RELATED_PREFIX.share)
    .map(([match]) => ({ term: match, weight: RELATED_WEIGHT }));
}

/** BM25's inverse document frequency; a word no passage holds gets the rarest possible value. */
function idf(df: number, passageCount: number): number {
  return Math.log(1 + (passageCount - df + 0.5) / (df + 0.5));
}
