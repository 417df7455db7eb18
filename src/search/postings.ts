import type { IndexData } from './indexData.js';
import type { EngineOptions } from './options.js';

/** What {@link Postings} scores with (the engine's options have them all). */
export interface ScoringOptions {
  /** BM25's parameters. */
  bm25: EngineOptions['bm25'];
  /** Each field's weight, by field name. */
  fieldBoosts: Readonly<Record<string, number>>;
  /** How many documents a search returns at most. */
  candidates: number;
}

/** One document found by {@link Postings.search}: its number, and its score (higher is better). */
export interface ScoredDocument {
  id: number;
  score: number;
}

/**
 * The index's postings ({@link IndexData}), looked up by term and scored with BM25 for the engine's
 * candidates: the best few documents for some exact terms, each weighted.
 *
 * Scores are exactly MiniSearch 7.2's for an OR search of exact terms with `boostTerm`, field
 * boosts and BM25 parameters (`tests/search/postings.test.ts` compares them over a real corpus).
 * For each term and field (in the index's field order), with N documents of which n hold the term
 * in that field, a document holding it `tf` times in a field of length `len` (average `avg`) gets
 *
 *   termBoost × fieldBoost × ln(1 + (N − n + 0.5) / (n + 0.5)) × (d + tf (k + 1) / (tf + k (1 − b + b len / avg)))
 *
 * summed over the term's fields, then over the terms in query order; the sum is multiplied by the
 * number of distinct terms the document holds. Documents are ranked by that score, and among equal
 * scores in the order MiniSearch lists them: by the first term that found them, then that term's
 * first field, then document number.
 *
 * Searching allocates nothing per document: scores build up in typed arrays kept between searches,
 * and the best `candidates` are picked from the documents touched, without sorting them all.
 *
 * @example
 * const postings = unpaced(Postings.load(indexToData(index), DEFAULT_OPTIONS));
 * postings.search(['cartel', 'hegseth'], [1, 0.8]) // => [{ id: 12, score: 9.41 }, { id: 3, score: 4.07 }, …]
 */
export class Postings {
  /** Each term's postings: its block's number × 2³² plus where it starts in that block. */
  private readonly starts = new Map<string, number>();
  private readonly blocks: readonly Uint32Array[];
  private readonly documentCount: number;
  private readonly fieldCount: number;
  private readonly fieldLength: Uint32Array;
  private readonly averageFieldLength: readonly number[];
  /** Per field number, its boost. */
  private readonly fieldBoosts: readonly number[];
  private readonly bm25: ScoringOptions['bm25'];
  private readonly candidates: number;
  /** Per document, its score so far in this search (valid for the documents in `touched` only). */
  private readonly total: Float64Array;
  /** Per document, the distinct terms that found it in this search; 0 for a document not touched yet. */
  private readonly matched: Uint32Array;
  /** The documents this search has touched, in the order first found. */
  private readonly touched: Uint32Array;
  /** Per document, its score for the term being scored (valid while `termMark` equals `term`). */
  private readonly termScore: Float64Array;
  /** Per document, the last term (counted across searches) that touched it. */
  private readonly termMark: Uint32Array;
  /** The documents the term being scored has touched, in order. */
  private readonly termTouched: Uint32Array;
  /** Terms scored so far, across searches: marks documents in `termMark`. */
  private term = 0;

  private constructor(data: IndexData, options: ScoringOptions) {
    this.blocks = data.blocks.map((block) => block.postings);
    this.documentCount = data.documentCount;
    this.fieldCount = data.fields.length;
    this.fieldLength = data.fieldLength;
    this.averageFieldLength = data.averageFieldLength;
    // As MiniSearch takes them: a field without a boost, or with a boost of 0, counts 1.
    const boosts = options.fieldBoosts;
    this.fieldBoosts = data.fields.map((field) => (Object.hasOwn(boosts, field) ? boosts[field] : 0) || 1);
    this.bm25 = { ...options.bm25 };
    this.candidates = options.candidates;
    const count = data.documentCount;
    this.total = new Float64Array(count);
    this.matched = new Uint32Array(count);
    this.touched = new Uint32Array(count);
    this.termScore = new Float64Array(count);
    this.termMark = new Uint32Array(count);
    this.termTouched = new Uint32Array(count);
  }

  /**
   * The postings of `data`, scored with `options`, as steps: each step files one term (run them
   * with `paced` while other work goes on, or `unpaced` at once); the last returns the postings.
   *
   * @example
   * const postings = await paced(Postings.load(data.index, options), pause);
   */
  static *load(data: IndexData, options: ScoringOptions): Generator<void, Postings> {
    const postings = new Postings(data, options);
    for (const [number, { terms, postings: numbers }] of data.blocks.entries()) {
      let at = 0;
      for (const term of terms) {
        postings.starts.set(term, number * BLOCK_FACTOR + at);
        at = termEnd(numbers, at);
        yield;
      }
    }
    return postings;
  }

  /**
   * The best `candidates` documents for `terms` (OR: a document needs one of them), each term's
   * matches weighted by its entry of `boosts` (1 when missing), best first; an unknown term finds
   * nothing. See the class for how documents are scored and ordered.
   *
   * @example
   * postings.search(['bridge', 'cables'], [1, 0.5]) // => [{ id: 0, score: 3.2 }, { id: 2, score: 0.61 }]
   * postings.search([], []) // => []
   */
  search(terms: readonly string[], boosts: readonly number[]): ScoredDocument[] {
    const { matched, touched } = this;
    let touchedCount = 0;
    terms.forEach((term, i) => {
      const start = term === '' ? undefined : this.starts.get(term);
      if (start === undefined) return;
      // A term given twice adds its score twice but counts once among the terms a document holds.
      const repeated = terms.indexOf(term) < i;
      touchedCount = this.scoreTerm(start, boosts[i] ?? 1, repeated, touchedCount);
    });
    const best = this.best(touchedCount);
    for (let i = 0; i < touchedCount; i++) matched[touched[i] ?? 0] = 0;
    return best;
  }

  /** Adds one term's scores to the search's (see {@link Postings.search}); returns how many documents are touched now. */
  private scoreTerm(start: number, termBoost: number, repeated: boolean, touchedCount: number): number {
    const { total, matched, touched, termScore, termMark, termTouched, fieldLength, fieldCount } = this;
    const postings = this.blocks[Math.floor(start / BLOCK_FACTOR)] as Uint32Array;
    const { k, b, d } = this.bm25;
    const n = this.documentCount;
    if (++this.term === 0xffffffff) {
      termMark.fill(0);
      this.term = 1;
    }
    const mark = this.term;
    let termCount = 0;
    let at = (start % BLOCK_FACTOR) + 1;
    for (let fields = postings[at - 1] ?? 0; fields > 0; fields--) {
      const field = postings[at] ?? 0;
      const documents = postings[at + 1] ?? 0;
      at += 2;
      // Written as MiniSearch writes it, so that every rounding is the same.
      const boost = termBoost * (this.fieldBoosts[field] ?? 1);
      const averageLength = this.averageFieldLength[field] ?? 0;
      const inverseFrequency = Math.log(1 + (n - documents + 0.5) / (documents + 0.5));
      for (const end = at + 2 * documents; at < end; at += 2) {
        const doc = postings[at] ?? 0;
        const frequency = postings[at + 1] ?? 0;
        const length = fieldLength[doc * fieldCount + field] ?? 0;
        const score =
          boost *
          (inverseFrequency * (d + (frequency * (k + 1)) / (frequency + k * (1 - b + (b * length) / averageLength))));
        if (termMark[doc] === mark) termScore[doc] = (termScore[doc] ?? 0) + score;
        else {
          termMark[doc] = mark;
          termScore[doc] = score;
          termTouched[termCount++] = doc;
        }
      }
    }
    for (let i = 0; i < termCount; i++) {
      const doc = termTouched[i] ?? 0;
      if (matched[doc] === 0) {
        touched[touchedCount++] = doc;
        total[doc] = termScore[doc] ?? 0;
        matched[doc] = 1;
      } else {
        total[doc] = (total[doc] ?? 0) + (termScore[doc] ?? 0);
        if (!repeated) matched[doc] = (matched[doc] ?? 0) + 1;
      }
    }
    return touchedCount;
  }

  /**
   * The best `candidates` of the touched documents by final score, best first; equal scores keep
   * the order they were found in (a stable sort's, as MiniSearch's).
   */
  private best(touchedCount: number): ScoredDocument[] {
    const { total, matched, touched } = this;
    const limit = Math.min(this.candidates, touchedCount);
    const ids = new Uint32Array(limit);
    const scores = new Float64Array(limit);
    let kept = 0;
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i] ?? 0;
      const score = (total[doc] ?? 0) * (matched[doc] ?? 1);
      // A later document ties after the ones kept: it needs a strictly higher score to enter when full.
      if (kept === limit && !(score > (scores[kept - 1] ?? 0))) continue;
      let at = kept === limit ? kept - 1 : kept++;
      while (at > 0 && score > (scores[at - 1] ?? 0)) {
        ids[at] = ids[at - 1] ?? 0;
        scores[at] = scores[at - 1] ?? 0;
        at--;
      }
      ids[at] = doc;
      scores[at] = score;
    }
    return Array.from(ids, (id, i) => ({ id, score: scores[i] ?? 0 }));
  }
}

/** Where a term's postings end in its block (see {@link IndexBlock}), given where they start. */
function termEnd(postings: Uint32Array, start: number): number {
  let at = start + 1;
  for (let fields = postings[start] ?? 0; fields > 0; fields--) at += 2 + 2 * (postings[at + 1] ?? 0);
  return at;
}

/** Packs a block number and a position in it into one number: positions are below 2³². */
const BLOCK_FACTOR = 2 ** 32;
