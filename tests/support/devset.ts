import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Engine } from '../../src/search/engine.js';
import { ROOT } from './content.js';

/**
 * One development question: the passage ids that answer it (none when off-topic) and the phrase
 * the best sentence must hold (any of several, when passages word the answer differently).
 */
export interface DevQuestion {
  q: string;
  expect: string[];
  answer: string | string[] | null;
}

/** Retrieval quality over a development set. */
export interface Quality {
  questions: number;
  /** Share of on-topic questions whose first passage is an expected one. */
  hit1: number;
  /** Share whose expected passage is among the first three. */
  hit3: number;
  /** Mean reciprocal rank of the first expected passage (0 when not in the first ten). */
  mrr: number;
  /** Share whose first passage's best sentence contains the expected phrase. */
  answerAccuracy: number;
  /** Share of on-topic questions refused as not covered. */
  answerableRefused: number;
  /** Share of on-topic questions answered with confidence. */
  confident: number;
  /** Share of off-topic questions that got no confident answer (refused, or only hedged). */
  offTopicAbstention: number;
  /** On-topic questions that got no passage, or a wrong first passage: what to look at. */
  misses: Array<{ q: string; got: string | null; answer: DevQuestion['answer'] }>;
}

/** The development questions (and the off-topic ones) for one article, or all of them. */
export function loadDevset(slug?: string): DevQuestion[] {
  return questionsFor(
    JSON.parse(readFileSync(path.join(ROOT, 'tests/fixtures/devset.json'), 'utf8')) as DevQuestion[],
    slug,
  );
}

/** The held-out questions (and the off-topic ones) for one article, or all of them. */
export function loadHoldout(slug?: string): DevQuestion[] {
  return questionsFor(
    JSON.parse(readFileSync(path.join(ROOT, 'tests/fixtures/holdout/questions.json'), 'utf8')) as DevQuestion[],
    slug,
  );
}

function questionsFor(all: DevQuestion[], slug: string | undefined): DevQuestion[] {
  if (slug === undefined) return all;
  return all.filter(
    (question) => question.expect.length === 0 || question.expect.some((id) => id.startsWith(`${slug}#`)),
  );
}

/** An answer as quality is judged: the passage id and the sentence given as the answer. */
export interface JudgedAnswer {
  id: string;
  answer: string;
}

/** What an engine answers a question with: its passages, best first, and whether it is confident of the first. */
export interface Judged {
  answers: JudgedAnswer[];
  confident: boolean;
}

/** The project engine's answers to a question, best first. */
export function engineAnswers(engine: Engine): (question: string) => Judged {
  return (question) => {
    const response = engine.search(question, { limit: 10 });
    return {
      answers: response.hits.map((hit) => ({ id: hit.passage.id, answer: hit.answer })),
      confident: response.confidence === 'high',
    };
  };
}

/**
 * Measures an engine on a development set, the way the quality bar is stated: passage hit@1,
 * hit@3, MRR, best-sentence accuracy, answerable questions refused and answered with confidence, and
 * off-topic questions given no confident answer. Takes the project's engine or any function giving
 * ranked answers (plain MiniSearch in the benchmarks, confident of every answer it gives).
 */
export function measureQuality(
  engine: Engine | ((question: string) => Judged),
  questions: readonly DevQuestion[],
): Quality {
  const search = typeof engine === 'function' ? engine : engineAnswers(engine);
  const onTopic = questions.filter((q) => q.expect.length > 0);
  const offTopic = questions.filter((q) => q.expect.length === 0);
  let hit1 = 0;
  let hit3 = 0;
  let reciprocal = 0;
  let answers = 0;
  let refused = 0;
  let confident = 0;
  const misses: Quality['misses'] = [];
  for (const question of onTopic) {
    const judged = search(question.q);
    const hits = judged.answers;
    if (hits.length === 0) refused++;
    if (judged.confident && hits.length > 0) confident++;
    const rank = hits.findIndex((hit) => question.expect.includes(hit.id));
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 3) hit3++;
    if (rank >= 0) reciprocal += 1 / (rank + 1);
    const phrases = question.answer === null ? [] : [question.answer].flat();
    const answered = phrases.some((phrase) => hits[0]?.answer.includes(phrase) ?? false);
    if (answered) answers++;
    if (rank !== 0 || !answered)
      misses.push({ q: question.q, got: hits[0] ? `${hits[0].id}: ${hits[0].answer}` : null, answer: question.answer });
  }
  let abstained = 0;
  for (const question of offTopic) {
    const judged = search(question.q);
    const got = judged.answers[0];
    if (got && judged.confident) misses.push({ q: question.q, got: `${got.id}: ${got.answer}`, answer: null });
    else abstained++;
  }
  const share = (n: number, of: number): number => (of === 0 ? 1 : n / of);
  return {
    questions: questions.length,
    hit1: share(hit1, onTopic.length),
    hit3: share(hit3, onTopic.length),
    mrr: share(reciprocal, onTopic.length),
    answerAccuracy: share(answers, onTopic.length),
    answerableRefused: share(refused, onTopic.length),
    confident: share(confident, onTopic.length),
    offTopicAbstention: share(abstained, offTopic.length),
    misses,
  };
}
