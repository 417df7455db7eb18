import { ANSWER_TYPE_FLAG, type AnswerType } from './answerType.js';
import type { QueryPlan } from './plan.js';
import type { PassageView } from './termStore.js';

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
export const RANK_WEIGHTS = { bm25: 0.4, coverage: 0.3, sentence: 0.3 } as const;

/**
 * Least share of a question's weight (the idf of its words) that the passage's article must
 * hold for the question to count as covered: `some` when it holds two or more of the question's
 * words, `one` when it holds a single one. Below that the question is about something the
 * content does not cover, and gets no passage. Chosen from the development and held-out sets'
 * on- and off-topic questions (see bench/README.md).
 */
export const MIN_ARTICLE_COVERAGE = { some: 0.3, one: 0.5 } as const;

/** Where a passage sits: its article's passages run from `first` to `last`. */
export interface ArticleSpan {
  first: number;
  last: number;
}

/** A planned term's alternatives as term ids, with their weights. */
type IdAlternatives = ReadonlyArray<{ id: number; weight: number }>;

/**
 * Re-ranks BM25 candidates by how much of the question each passage, and its best single
 * sentence, covers; drops those covering too little. BM25 alone favours passages that repeat
 * one word; a question is usually answered by one sentence holding most of its words.
 */
export function rankCandidates(
  plan: QueryPlan,
  candidates: readonly Candidate[],
  store: { view(id: number): PassageView; union(first: number, last: number): ReadonlySet<number>; idOf(term: string): number | undefined },
  articleOf: (id: number) => ArticleSpan,
  answerType: AnswerType | null,
): Ranked[] {
  const names = plan.terms.filter((term) => term.name);
  if (names.length > 0 && names.every((term) => term.alternatives.length === 0)) return [];
  const alternatives: IdAlternatives[] = plan.terms.map((term) =>
    term.alternatives.flatMap((alt) => {
      const id = store.idOf(alt.term);
      return id === undefined ? [] : [{ id, weight: alt.weight }];
    }),
  );
  const typeFlag = answerType === null ? 0 : ANSWER_TYPE_FLAG[answerType];
  const top = Math.max(...candidates.map((c) => c.bm25), Number.EPSILON);
  const coveredArticles = new Map<number, boolean>();
  const articleCovers = (span: ArticleSpan): boolean => {
    let covers = coveredArticles.get(span.first);
    if (covers === undefined) {
      const terms = store.union(span.first, span.last);
      const weights = plan.terms.map((term, t) => matchWeight(alternatives[t] ?? [], terms) * term.idf);
      const coverage = sum(weights) / plan.totalIdf;
      covers = coverage >= (weights.filter((weight) => weight > 0).length >= 2 ? MIN_ARTICLE_COVERAGE.some : MIN_ARTICLE_COVERAGE.one);
      coveredArticles.set(span.first, covers);
    }
    return covers;
  };
  const ranked: Ranked[] = [];
  for (const candidate of candidates) {
    const passage = store.view(candidate.id);
    const weights = plan.terms.map((term, t) => matchWeight(alternatives[t] ?? [], passage.all) * term.idf);
    const coverage = sum(weights) / plan.totalIdf;
    if (!articleCovers(articleOf(candidate.id))) continue;
    let bestSentence = 0;
    let bestSentenceWeight = -1;
    passage.sentences.forEach((sentence, i) => {
      const typed = ((passage.types[i] ?? 0) & typeFlag) !== 0;
      const weight = sum(plan.terms.map((term, t) => matchWeight(alternatives[t] ?? [], sentence) * term.idf)) + (typed ? ANSWER_TYPE_BONUS * plan.totalIdf : 0);
      if (weight > bestSentenceWeight) {
        bestSentence = i;
        bestSentenceWeight = weight;
      }
    });
    const score =
      RANK_WEIGHTS.bm25 * (candidate.bm25 / top) +
      RANK_WEIGHTS.coverage * coverage +
      RANK_WEIGHTS.sentence * (bestSentenceWeight / plan.totalIdf);
    ranked.push({ id: candidate.id, score, bestSentence, matchedTerms: weights.map((w) => w > 0) });
  }
  return ranked.sort((a, b) => b.score - a.score || a.id - b.id);
}

function matchWeight(alternatives: IdAlternatives, terms: ReadonlySet<number>): number {
  let best = 0;
  for (const alt of alternatives) if (alt.weight > best && terms.has(alt.id)) best = alt.weight;
  return best;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
