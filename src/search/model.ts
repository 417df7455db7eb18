import { COVERAGE_FEATURES, PASSAGE_FEATURES } from './features.js';

/**
 * The learned relevance model, as `npm run train` writes it to `model.json`: a linear score over
 * {@link PASSAGE_FEATURES} that orders passages, a weight for the answer type when picking a
 * passage's best sentence, and a logistic model over {@link COVERAGE_FEATURES} and their pairwise
 * products (see {@link withPairs}) whose probability decides whether the content covers the
 * question at all.
 */
export interface RankModel {
  version: 1;
  ranking: { features: readonly string[]; weights: number[] };
  /** Added to a sentence's idf coverage when it holds the kind of fact asked for, to pick the best sentence. */
  sentence: { answerType: number };
  covered: { features: readonly string[]; weights: number[]; bias: number; threshold: number };
  /** Where the model came from: data, split and measurements (kept for people; the engine ignores it). */
  provenance?: unknown;
}

/**
 * Checks a model read from JSON and returns it typed. Throws a `TypeError` naming the first key
 * that is wrong, so a damaged or stale `model.json` fails loudly at start-up, never mid-answer.
 *
 * @example
 * validateModel(JSON.parse(text)) // throws TypeError: model.ranking.weights must be 12 finite numbers
 */
export function validateModel(data: unknown): RankModel {
  const fail = (key: string, problem: string): never => {
    throw new TypeError(`model.${key} ${problem}`);
  };
  const object = (value: unknown, key: string): Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : fail(key, 'must be an object');
  const numbers = (value: unknown, key: string, length: number): number[] =>
    Array.isArray(value) && value.length === length && value.every((n) => typeof n === 'number' && Number.isFinite(n))
      ? (value as number[])
      : fail(key, `must be ${length} finite numbers`);
  const names = (value: unknown, key: string, expected: readonly string[]): readonly string[] =>
    Array.isArray(value) && value.length === expected.length && value.every((name, i) => name === expected[i])
      ? expected
      : fail(key, `must name the engine's features in order (${expected.join(', ')}); retrain with npm run train`);
  const finite = (value: unknown, key: string): number =>
    typeof value === 'number' && Number.isFinite(value) ? value : fail(key, 'must be a finite number');

  const model = object(data, '');
  if (model.version !== 1) fail('version', 'must be 1');
  const ranking = object(model.ranking, 'ranking');
  const sentence = object(model.sentence, 'sentence');
  const covered = object(model.covered, 'covered');
  const threshold = finite(covered.threshold, 'covered.threshold');
  if (threshold <= 0 || threshold >= 1) fail('covered.threshold', 'must be between 0 and 1');
  return {
    version: 1,
    ranking: {
      features: names(ranking.features, 'ranking.features', PASSAGE_FEATURES),
      weights: numbers(ranking.weights, 'ranking.weights', PASSAGE_FEATURES.length),
    },
    sentence: { answerType: finite(sentence.answerType, 'sentence.answerType') },
    covered: {
      features: names(covered.features, 'covered.features', COVERAGE_FEATURES),
      weights: numbers(covered.weights, 'covered.weights', pairedLength(COVERAGE_FEATURES.length)),
      bias: finite(covered.bias, 'covered.bias'),
      threshold,
    },
    provenance: model.provenance,
  };
}

/**
 * The features followed by every product of two of them (each with itself too): lets a linear
 * model say "full coverage is convincing only when the question has more than one word".
 *
 * @example
 * withPairs([2, 3]) // => [2, 3, 4, 6, 9]
 */
export function withPairs(features: readonly number[]): number[] {
  const out = [...features];
  for (let i = 0; i < features.length; i++)
    for (let j = i; j < features.length; j++) out.push((features[i] ?? 0) * (features[j] ?? 0));
  return out;
}

/** How many values {@link withPairs} makes of `n` features. */
export function pairedLength(n: number): number {
  return n + (n * (n + 1)) / 2;
}

/** The logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Σ weight × feature. */
export function dot(weights: readonly number[], features: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (weights[i] ?? 0) * (features[i] ?? 0);
  return sum;
}
