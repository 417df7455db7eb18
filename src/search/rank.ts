import type { AnswerType } from './answerType.js';
import type { QueryPlan } from './plan.js';

/** Per passage, the terms of each sentence and of the whole passage, and the kinds of fact each sentence holds; computed once at build. */
export interface PassageTerms {
  all: ReadonlySet<string>;
  sentences: ReadonlyArray<ReadonlySet<string>>;
  sentenceTypes: ReadonlyArray<ReadonlySet<AnswerType>>;
}

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
const ANSWER_TYPE_BONUS = 0.15;

/** Weights of the three signals in the final score; measured on the development sets. */
export const RANK_WEIGHTS = { bm25: 0.4, coverage: 0.3, sentence: 0.3 } as const;

/**
 * When a passage counts as an answer at all, by the share of the question's weight (idf of its
 * words) it holds: at least `min`, and at least `single` when only one question word matches.
 * Below that the question is about something the content does not cover. Chosen from the
 * development sets' on- and off-topic questions (see bench/README.md).
 */
export const MIN_COVERAGE = { min: 0.22, single: 0.45 } as const;

/**
 * Re-ranks BM25 candidates by how much of the question each passage, and its best single
 * sentence, covers; drops those covering too little. BM25 alone favours passages that repeat
 * one word; a question is usually answered by one sentence holding most of its words.
 */
export function rankCandidates(plan: QueryPlan, candidates: readonly Candidate[], terms: readonly PassageTerms[], answerType: AnswerType | null): Ranked[] {
  if (plan.terms.some((term) => term.name && term.alternatives.length === 0)) return [];
  const top = Math.max(...candidates.map((c) => c.bm25), Number.EPSILON);
  const ranked: Ranked[] = [];
  for (const candidate of candidates) {
    const passage = terms[candidate.id];
    if (!passage) continue;
    const weights = plan.terms.map((term) => matchWeight(term.alternatives, passage.all) * term.idf);
    const coverage = sum(weights) / plan.totalIdf;
    const matched = weights.filter((weight) => weight > 0).length;
    if (coverage < MIN_COVERAGE.min || (matched < 2 && coverage < MIN_COVERAGE.single)) continue;
    let bestSentence = 0;
    let bestSentenceWeight = -1;
    passage.sentences.forEach((sentence, i) => {
      const typed = answerType !== null && passage.sentenceTypes[i]?.has(answerType) === true;
      const weight = sum(plan.terms.map((term) => matchWeight(term.alternatives, sentence) * term.idf)) + (typed ? ANSWER_TYPE_BONUS * plan.totalIdf : 0);
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

function matchWeight(alternatives: ReadonlyArray<{ term: string; weight: number }>, terms: ReadonlySet<string>): number {
  let best = 0;
  for (const alt of alternatives) if (alt.weight > best && terms.has(alt.term)) best = alt.weight;
  return best;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
