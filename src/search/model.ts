import { DECISION_FEATURES, PASSAGE_FEATURES } from './features.js';
import { pairedLength } from './linear.js';
import { SHORT_FEATURES, SHOW_FEATURES, type ShortModel } from './shortAnswer.js';

/**
 * The learned relevance model, as `npm run train` writes it to `model.json`: a linear score over
 * {@link PASSAGE_FEATURES} that orders passages, a weight for the answer type when picking a
 * passage's best sentence, and a logistic model over {@link DECISION_FEATURES} and their pairwise
 * products (see `withPairs`) whose probability that the best passage answers the question
 * grades the answer: not covered, hedged, or confident.
 */
export interface RankModel {
  version: 1;
  ranking: { features: readonly string[]; weights: number[] };
  /** Added to a sentence's idf coverage when it holds the kind of fact asked for, to pick the best sentence. */
  sentence: { answerType: number };
  /**
   * The graded decision: a logistic model whose probability estimates that the best passage answers
   * the question. Below `refuse` the content is taken not to cover it; from `confident` on the answer
   * is given as confident; between them, as the closest passage, hedged.
   */
  decision: { features: readonly string[]; weights: number[]; bias: number; refuse: number; confident: number };
  /**
   * Short answers: a linear score over {@link SHORT_FEATURES} that ranks a factoid question's
   * candidate phrases, and a logistic model over {@link SHOW_FEATURES} whose probability, from
   * `threshold` on, lets the best one be shown.
   */
  short: ShortModel;
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
  const decision = object(model.decision, 'decision');
  const refuse = finite(decision.refuse, 'decision.refuse');
  const confident = finite(decision.confident, 'decision.confident');
  if (refuse <= 0 || refuse >= 1) fail('decision.refuse', 'must be between 0 and 1');
  if (confident < refuse || confident >= 1) fail('decision.confident', 'must be from decision.refuse to 1');
  const short = object(model.short, 'short');
  const shortRanking = object(short.ranking, 'short.ranking');
  const show = object(short.show, 'short.show');
  const showThreshold = finite(show.threshold, 'short.show.threshold');
  if (showThreshold <= 0 || showThreshold > 1) fail('short.show.threshold', 'must be between 0 and 1');
  return {
    version: 1,
    ranking: {
      features: names(ranking.features, 'ranking.features', PASSAGE_FEATURES),
      weights: numbers(ranking.weights, 'ranking.weights', PASSAGE_FEATURES.length),
    },
    sentence: { answerType: finite(sentence.answerType, 'sentence.answerType') },
    decision: {
      features: names(decision.features, 'decision.features', DECISION_FEATURES),
      weights: numbers(decision.weights, 'decision.weights', pairedLength(DECISION_FEATURES.length)),
      bias: finite(decision.bias, 'decision.bias'),
      refuse,
      confident,
    },
    short: {
      ranking: {
        features: names(shortRanking.features, 'short.ranking.features', SHORT_FEATURES),
        weights: numbers(shortRanking.weights, 'short.ranking.weights', SHORT_FEATURES.length),
      },
      show: {
        features: names(show.features, 'short.show.features', SHOW_FEATURES),
        weights: numbers(show.weights, 'short.show.weights', SHOW_FEATURES.length),
        bias: finite(show.bias, 'short.show.bias'),
        threshold: showThreshold,
      },
    },
    provenance: model.provenance,
  };
}
