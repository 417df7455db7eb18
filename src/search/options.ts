import type { SummaryOptions } from './summary.js';

/**
 * Every number the engine uses, in one place. Each says where it came from: a limit of Discord or
 * of the machine, a convention of the method, or a measurement with `npm run train` on the
 * fitting articles of the development data (never on the articles reported as held out; see
 * bench/README.md). The learned weights themselves live in `model.json`, written by `npm run train`.
 *
 * @example
 * const engine = Engine.build(articles, { lexicon, options: { passages: { maxLength: 800 } } });
 */
export interface EngineOptions {
  passages: {
    /**
     * Longest passage, in characters: a longer paragraph becomes overlapping windows of whole
     * sentences. 1,000 keeps 81 % of the development data's paragraphs whole (503 of 622) and a
     * passage readable in one Discord embed (4,096 characters).
     */
    maxLength: number;
    /** Sentences each window shares with the next, so no sentence is shown without its neighbour. */
    overlap: number;
    /** The lead takes the first paragraph and the next ones while it is shorter than this (a one-line standfirst is too short alone). */
    leadMinLength: number;
    /** Most paragraphs the lead takes. */
    leadMaxParagraphs: number;
  };
  /** BM25 as MiniSearch computes it: the usual k = 1.2; b = 0.5 since passages are of even length. */
  bm25: { k: number; b: number; d: number };
  /** Index field weights: a word of the title marks the right article among several. */
  fieldBoosts: { title: number; heading: number; text: number };
  /** BM25 candidates re-ranked by the learned model: 40 hold the right passage for 99.4 % of the fitting questions. */
  candidates: number;
  /** Most postings BM25 scores per question, rarest terms first: keeps common words cheap at 150,000 passages. */
  postingsBudget: number;
  /** How much a match through each kind of expansion counts, against 1 for the word itself. */
  expansion: {
    /** Typo corrections at edit distance 1 and 2. */
    fuzzy: readonly [number, number];
    /** Completions of an unfinished last word. */
    prefix: number;
    /** A term sharing a long stem prefix ("diplomacy" → "diplomatic"). */
    stemPrefix: number;
    /** A WordNet synonym or derivationally related word. */
    related: number;
    /** Most completions tried for an unfinished last word. */
    maxCompletions: number;
    /** Shortest shared prefix, in characters and as a share of each term, for a stem-prefix match. */
    stemPrefixChars: number;
    stemPrefixShare: number;
  };
  /**
   * How a word's everyday frequency (Zipf: "the" 7.5, "bakery" 3.6, a name never seen 0) maps to
   * its specificity, from 0 to 1: a logistic curve falling through 0.5 at `midpoint`, `slope` steep.
   */
  specificity: { midpoint: number; slope: number };
  /** Question words within this many words of each other, in order, count as a phrase match. */
  proximity: number;
  /** Longest question analysed; longer ones are refused with a message, not truncated silently. */
  maxQuestionLength: number;
  /**
   * Most distinct words of a question looked up (typo corrections and related words cost a search
   * of the vocabulary each); the rest are left out. Bounds what a long question of made-up words costs.
   */
  maxQuestionTerms: number;
  /**
   * Most words of a question the index lacks that are corrected, completed or matched to related
   * words (each a search of the vocabulary); later ones are taken as missing.
   */
  maxCorrections: number;
  /** Passages an answer gives when not asked for a number: the best one and a few more. */
  answerPassages: number;
  /** Most passages one answer gives, whatever it is asked for. */
  maxPassages: number;
  /** The extractive summary of an article that lists no key insights (an imported story), by TextRank. */
  summary: SummaryOptions;
}

/** What {@link resolveOptions} accepts: any part of the options; the rest keep their defaults. */
export type PartialOptions = { [K in keyof EngineOptions]?: Partial<EngineOptions[K]> };

export const DEFAULT_OPTIONS: EngineOptions = {
  passages: { maxLength: 1000, overlap: 1, leadMinLength: 200, leadMaxParagraphs: 3 },
  // k and d are MiniSearch's defaults; b = 0.5 measured best, narrowly, of 0.3 / 0.5 / 0.75 on the fitting articles.
  bm25: { k: 1.2, b: 0.5, d: 0.5 },
  // Set by hand: the learned model has its own title feature, so this only orders BM25's candidates.
  fieldBoosts: { title: 1.5, heading: 1, text: 1 },
  candidates: 40,
  // Never binds under a few hundred articles; measured in bench/README.md to hold p99 at 10,000.
  postingsBudget: 1500,
  // Hand-set orderings (exact > typo > related > completion); the model learns how much expanded matches count overall.
  expansion: {
    fuzzy: [0.8, 0.6],
    prefix: 0.5,
    stemPrefix: 0.7,
    related: 0.6,
    maxCompletions: 5,
    stemPrefixChars: 5,
    stemPrefixShare: 0.75,
  },
  // Chosen with npm run train on the fitting articles: off-topic refusal at 1 % answerable refused, midpoints 4 / 4.5 / 5.
  specificity: { midpoint: 4.5, slope: 1.5 },
  proximity: 3,
  // Discord's longest option value is 6,000 characters; no real question is near 1,000.
  maxQuestionLength: 1000,
  // Twice the most of 3,912 real questions (SQuAD and the development set: 15; 99 % have at most 10).
  maxQuestionTerms: 32,
  // Above the most words missing from the index in a real question (7, an off-topic one of the
  // development set; 3 in SQuAD's): a question of made-up words costs 8 searches, not 32.
  maxCorrections: 8,
  // The best passage and up to two more: what fits one Discord message with its sources.
  answerPassages: 3,
  // Discord shows at most 25 embed fields and choices; no reader pages past that in one answer.
  maxPassages: 25,
  // 3–5 sentences as /insights shows them (the bundled article lists 5 insights); damping 0.85 and
  // a few dozen iterations are TextRank's own (Mihalcea and Tarau 2004); a sentence of under 4
  // content words is a caption or a dateline; 200 sentences are a long feature (the longest shared
  // news page has 180) and take the answering thread about 10 ms. Not tuned: measured in
  // bench/README.md ("Summaries").
  summary: { sentences: [3, 5], sentencesPer: 15, damping: 0.85, iterations: 30, minTerms: 4, maxSentences: 200 },
};

/**
 * Options with defaults filled in, checked: an invalid value throws a `RangeError` naming its key.
 *
 * @example
 * resolveOptions({ passages: { maxLength: 50 } }) // throws RangeError: passages.maxLength must be …
 */
export function resolveOptions(partial: PartialOptions = {}): EngineOptions {
  const options = {} as Record<string, unknown>;
  for (const [group, defaults] of Object.entries(DEFAULT_OPTIONS) as Array<[keyof EngineOptions, unknown]>) {
    const given = partial[group];
    options[group] =
      typeof defaults === 'object' && defaults !== null && !Array.isArray(defaults)
        ? { ...defaults, ...(given as object | undefined) }
        : (given ?? defaults);
  }
  const resolved = options as unknown as EngineOptions;
  const check = (key: string, value: number, min: number, max: number, integer = false): void => {
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < min ||
      value > max ||
      (integer && !Number.isInteger(value))
    ) {
      throw new RangeError(
        `${key} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not ${String(value)}`,
      );
    }
  };
  const { passages, bm25, fieldBoosts, expansion } = resolved;
  check('passages.maxLength', passages.maxLength, 200, 4000, true);
  check('passages.overlap', passages.overlap, 0, 3, true);
  check('passages.leadMinLength', passages.leadMinLength, 0, passages.maxLength, true);
  check('passages.leadMaxParagraphs', passages.leadMaxParagraphs, 1, 10, true);
  check('bm25.k', bm25.k, 0, 10);
  check('bm25.b', bm25.b, 0, 1);
  check('bm25.d', bm25.d, 0, 10);
  for (const [key, value] of Object.entries(fieldBoosts)) check(`fieldBoosts.${key}`, value, 0, 10);
  check('candidates', resolved.candidates, 1, 1000, true);
  check('postingsBudget', resolved.postingsBudget, 1, 10_000_000, true);
  expansion.fuzzy.forEach((value, i) => check(`expansion.fuzzy[${i}]`, value, 0, 1));
  for (const key of ['prefix', 'stemPrefix', 'related', 'stemPrefixShare'] as const)
    check(`expansion.${key}`, expansion[key], 0, 1);
  check('expansion.maxCompletions', expansion.maxCompletions, 0, 100, true);
  check('expansion.stemPrefixChars', expansion.stemPrefixChars, 1, 50, true);
  check('specificity.midpoint', resolved.specificity.midpoint, 0, 10);
  check('specificity.slope', resolved.specificity.slope, 0.1, 10);
  check('proximity', resolved.proximity, 1, 20, true);
  check('maxQuestionLength', resolved.maxQuestionLength, 1, 100_000, true);
  check('maxQuestionTerms', resolved.maxQuestionTerms, 1, 1000, true);
  check('maxCorrections', resolved.maxCorrections, 0, 1000, true);
  check('maxPassages', resolved.maxPassages, 1, 1000, true);
  check('answerPassages', resolved.answerPassages, 1, resolved.maxPassages, true);
  const { summary } = resolved;
  check('summary.sentences[0]', summary.sentences[0], 1, 20, true);
  check('summary.sentences[1]', summary.sentences[1], summary.sentences[0], 20, true);
  check('summary.sentencesPer', summary.sentencesPer, 1, 1000, true);
  check('summary.damping', summary.damping, 0, 1);
  check('summary.iterations', summary.iterations, 1, 1000, true);
  check('summary.minTerms', summary.minTerms, 0, 100, true);
  check('summary.maxSentences', summary.maxSentences, 1, 2000, true);
  return resolved;
}
