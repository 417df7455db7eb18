import { ANSWER_TYPE_FLAG, type AnswerType } from './answerType.js';
import type { QueryPlan } from './plan.js';

/** A BM25 candidate from the index. */
export interface Candidate {
  id: number;
  bm25: number;
}

/** A candidate after re-ranking: final score, best sentence, and which question words it holds. */
export interface Ranked {
  id: number;
  score: number;
  bestSentence: number;
  /** Per planned term, whether the passage holds it (or a correction of it). */
  matchedTerms: boolean[];
}

/** Bonus, as a share of the question's weight, for a sentence holding the kind of fact asked for. */
const ANSWER_TYPE_BONUS = 0.6;

/** Weights of the three signals in the final score; measured on the development sets. */
const RANK_WEIGHTS = { bm25: 0.4, coverage: 0.3, sentence: 0.3 } as const;

/**
 * Least share of a question's weight (the idf of its words) that the passage's article must
 * hold for the question to count as covered: `some` when it holds two or more of the question's
 * words, `one` when it holds a single one. Below that the question is about something the
 * content does not cover, and gets no passage. Chosen from the development and held-out sets'
 * on- and off-topic questions (see bench/README.md).
 */
const MIN_ARTICLE_COVERAGE = { some: 0.3, one: 0.5 } as const;

/** Where a passage sits: its article's passages run from `first` to `last`. */
export interface ArticleSpan {
  first: number;
  last: number;
}

/** What re-ranking reads of the term store. */
export interface TermSource {
  idOf(term: string): number | undefined;
  forEachTerm(first: number, last: number, visit: (term: number, sentence: number) => void): void;
  sentenceTypes(id: number): Uint8Array;
}

/**
 * Re-ranks BM25 candidates by how much of the question each passage, and its best single
 * sentence, covers; drops those whose article covers too little of it. BM25 alone favours
 * passages that repeat one word; a question is usually answered by one sentence holding most of
 * its words.
 */
export function rankCandidates(plan: QueryPlan, candidates: readonly Candidate[], store: TermSource, articleOf: (id: number) => ArticleSpan, answerType: AnswerType | null): Ranked[] {
  const names = plan.terms.filter((term) => term.name);
  if (names.length > 0 && names.every((term) => term.alternatives.length === 0)) return [];
  // Each alternative's term id → the question words it stands for, with its weight.
  const wanted = new Map<number, Array<{ t: number; weight: number }>>();
  plan.terms.forEach((term, t) => {
    for (const alt of term.alternatives) {
      const id = store.idOf(alt.term);
      if (id === undefined) continue;
      const list = wanted.get(id) ?? [];
      list.push({ t, weight: alt.weight });
      wanted.set(id, list);
    }
  });
  const n = plan.terms.length;
  const idf = plan.terms.map((term) => term.idf);
  /** Best match weight per question word over passages first..last; per sentence too when `sentences` is given. */
  const match = (first: number, last: number, sentences?: Float64Array[]): Float64Array => {
    const all = new Float64Array(n);
    store.forEachTerm(first, last, (term, sentence) => {
      const hits = wanted.get(term);
      if (!hits) return;
      for (const { t, weight } of hits) {
        if (weight > (all[t] ?? 0)) all[t] = weight;
        if (sentences && sentence >= 0) {
          const row = (sentences[sentence] ??= new Float64Array(n));
          if (weight > (row[t] ?? 0)) row[t] = weight;
        }
      }
    });
    return all;
  };
  const covered = (weights: Float64Array): number => weights.reduce((total, weight, t) => total + weight * (idf[t] ?? 0), 0);

  const typeFlag = answerType === null ? 0 : ANSWER_TYPE_FLAG[answerType];
  const top = Math.max(...candidates.map((c) => c.bm25), Number.EPSILON);
  const coveredArticles = new Map<number, boolean>();
  const articleCovers = (span: ArticleSpan): boolean => {
    let covers = coveredArticles.get(span.first);
    if (covers === undefined) {
      const weights = match(span.first, span.last);
      const matched = weights.filter((weight) => weight > 0).length;
      covers = covered(weights) / plan.totalIdf >= (matched >= 2 ? MIN_ARTICLE_COVERAGE.some : MIN_ARTICLE_COVERAGE.one);
      coveredArticles.set(span.first, covers);
    }
    return covers;
  };

  const ranked: Ranked[] = [];
  for (const candidate of candidates) {
    if (!articleCovers(articleOf(candidate.id))) continue;
    const sentences: Float64Array[] = [];
    const weights = match(candidate.id, candidate.id, sentences);
    const types = store.sentenceTypes(candidate.id);
    let bestSentence = 0;
    let bestSentenceWeight = -1;
    for (let i = 0; i < types.length; i++) {
      const typed = ((types[i] ?? 0) & typeFlag) !== 0;
      const sentence = sentences[i];
      const weight = (sentence ? covered(sentence) : 0) + (typed ? ANSWER_TYPE_BONUS * plan.totalIdf : 0);
      if (weight > bestSentenceWeight) {
        bestSentence = i;
        bestSentenceWeight = weight;
      }
    }
    const score =
      RANK_WEIGHTS.bm25 * (candidate.bm25 / top) +
      RANK_WEIGHTS.coverage * (covered(weights) / plan.totalIdf) +
      RANK_WEIGHTS.sentence * (bestSentenceWeight / plan.totalIdf);
    ranked.push({ id: candidate.id, score, bestSentence, matchedTerms: Array.from(weights, (w) => w > 0) });
  }
  return ranked.sort((a, b) => b.score - a.score || a.id - b.id);
}
