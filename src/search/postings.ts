import type { EngineOptions } from './options.js';
import type { Segment } from './segment.js';
import type { Vocabulary } from './vocabulary.js';

/** What scoring uses of the engine's options. */
export interface ScoringOptions {
  /** BM25's parameters. */
  bm25: EngineOptions['bm25'];
  /** Each field's weight: title, heading, text. */
  fieldBoosts: EngineOptions['fieldBoosts'];
  /** How many documents a search returns at most. */
  candidates: number;
  /** Only the passages numbered in this range (first and last, inclusive) are returned: one article's. */
  within?: readonly [number, number];
}

/** One passage found by {@link bestPassages}: its number in the engine, and its score (higher is better). */
export interface ScoredDocument {
  id: number;
  score: number;
}

/** A segment as an engine serves it: its data, where its passages are numbered from, and what of it is deleted. */
export interface ServedSegment {
  /** Its name in the index's manifest. */
  id: string;
  segment: Segment;
  /** The engine's number of its first passage. */
  offset: number;
  /** Per article, 1 when it is deleted (removed or replaced since the segment was built); `null` when none is. */
  deletedArticles: Uint8Array | null;
  /** Per passage, 1 when its article is deleted. */
  deletedPassages: Uint8Array | null;
}

/** What scoring reads of an engine: its segments, and the statistics summed over what it serves. */
export interface ScoringIndex {
  segments: readonly ServedSegment[];
  vocabulary: Vocabulary;
  /** Passages served, and each field's length summed over them (Lucene's docCount and sumTotalTermFreq). */
  totals: FieldTotals;
  /** Passages numbered, deleted ones included: the size of per-passage arrays. */
  numbered: number;
  /** Whether passage `a` comes before passage `b` in the canonical order (see `compareArticles`): ties go to it. */
  precedes(a: number, b: number): boolean;
}

/** The passages served, and each field's length summed over them. */
export interface FieldTotals {
  passages: number;
  title: number;
  heading: number;
  text: number;
}

/** Per-passage scratch arrays of a search, kept between searches and engines (one search runs at a time). */
interface Scratch {
  /** Per passage, its score so far in this search (valid for the passages in `touched` only). */
  total: Float64Array;
  /** Per passage, the distinct terms that found it in this search; 0 for a passage not touched yet. */
  matched: Uint32Array;
  /** The passages this search has touched, in the order first found. */
  touched: Uint32Array;
  /** Per passage, its score for the term being scored (valid while `termMark` equals the term's mark). */
  termScore: Float64Array;
  /** Per passage, the last term (counted across searches) that touched it. */
  termMark: Uint32Array;
  /** The passages the term being scored has touched, in order. */
  termTouched: Uint32Array;
  /** Terms scored so far, across searches. */
  term: number;
}

let scratch: Scratch | null = null;

/** Scratch arrays for at least `size` passages: the last ones when large enough. */
function scratchFor(size: number): Scratch {
  if (scratch && scratch.total.length >= size) return scratch;
  const capacity = Math.max(size, Math.ceil((scratch?.total.length ?? 0) * 1.25));
  scratch = {
    total: new Float64Array(capacity),
    matched: new Uint32Array(capacity),
    touched: new Uint32Array(capacity),
    termScore: new Float64Array(capacity),
    termMark: new Uint32Array(capacity),
    termTouched: new Uint32Array(capacity),
    term: 0,
  };
  return scratch;
}

/**
 * The best `candidates` passages for `terms` (OR: a passage needs one of them), each term's matches
 * weighted by its entry of `boosts` (1 when missing), best first; an unknown term finds nothing.
 *
 * Scores are exactly MiniSearch 7.2's BM25 for an OR search of exact terms with `boostTerm`, field
 * boosts and BM25 parameters (`tests/search/postings.test.ts` compares them), computed from the
 * statistics summed over the served segments: for each term and field, with N passages served of
 * which n hold the term in that field, a passage holding it `tf` times in a field of length `len`
 * (the field's average `avg` = its summed length over N) gets
 *
 *   termBoost × fieldBoost × ln(1 + (N − n + 0.5) / (n + 0.5)) × (d + tf (k + 1) / (tf + k (1 − b + b len / avg)))
 *
 * summed over the term's fields (title, heading, text), then over the terms in query order; the sum
 * is multiplied by the number of distinct terms the passage holds. Every passage's score is added up
 * in that one order whatever segment holds it, so it is the same number after any changes as after
 * one build; equal scores are ordered canonically (`index.precedes`), never by history.
 *
 * Allocates nothing per passage: scores build up in typed arrays kept between searches, and the
 * best are picked from the passages touched without sorting them all.
 *
 * @example
 * bestPassages(index, ['cartel', 'hegseth'], [1, 0.8], options) // => [{ id: 12, score: 9.41 }, …]
 */
export function bestPassages(
  index: ScoringIndex,
  terms: readonly string[],
  boosts: readonly number[],
  options: ScoringOptions,
): ScoredDocument[] {
  const work = scratchFor(index.numbered);
  let touchedCount = 0;
  terms.forEach((term, i) => {
    if (term === '') return;
    // A term given twice adds its score twice but counts once among the terms a passage holds.
    const repeated = terms.indexOf(term) < i;
    touchedCount = scoreTerm(index, work, term, boosts[i] ?? 1, repeated, touchedCount, options);
  });
  const best = pickBest(index, work, touchedCount, options.candidates, options.within);
  for (let i = 0; i < touchedCount; i++) work.matched[work.touched[i] ?? 0] = 0;
  return best;
}

/** Adds one term's scores to the search's (see {@link bestPassages}); returns how many passages are touched now. */
function scoreTerm(
  index: ScoringIndex,
  work: Scratch,
  term: string,
  termBoost: number,
  repeated: boolean,
  touchedCount: number,
  options: ScoringOptions,
): number {
  const frequencies = index.vocabulary.fieldFrequencies(term);
  if (frequencies[0] + frequencies[1] + frequencies[2] === 0) return touchedCount;
  const { total, matched, touched, termScore, termMark, termTouched } = work;
  const { k, b, d } = options.bm25;
  const n = index.totals.passages;
  const averages = [index.totals.title / n, index.totals.heading / n, index.totals.text / n];
  const boosts = [options.fieldBoosts.title || 1, options.fieldBoosts.heading || 1, options.fieldBoosts.text || 1];
  if (++work.term === 0xffffffff) {
    termMark.fill(0);
    work.term = 1;
  }
  const mark = work.term;
  let termCount = 0;
  const add = (doc: number, score: number): void => {
    if (termMark[doc] === mark) termScore[doc] = (termScore[doc] ?? 0) + score;
    else {
      termMark[doc] = mark;
      termScore[doc] = score;
      termTouched[termCount++] = doc;
    }
  };
  for (const served of index.segments) {
    const { segment, offset, deletedArticles, deletedPassages } = served;
    const t = segment.terms.indexOf(term);
    if (t < 0) continue;
    const { postings, postingStarts, articleStarts, titleLength, headingLength, textLength } = segment.data;
    let at = postingStarts[t] ?? 0;
    for (let field = 0; field < 3; field++) {
      const count = postings[at++] ?? 0;
      const documents = frequencies[field] ?? 0;
      // Written as MiniSearch writes it, so that every rounding is the same.
      const boost = termBoost * (boosts[field] ?? 1);
      const averageLength = averages[field] ?? 0;
      const inverseFrequency = Math.log(1 + (n - documents + 0.5) / (documents + 0.5));
      const scoreOf = (frequency: number, length: number): number =>
        boost *
        (inverseFrequency * (d + (frequency * (k + 1)) / (frequency + k * (1 - b + (b * length) / averageLength))));
      for (const end = at + 2 * count; at < end; at += 2) {
        const unit = postings[at] ?? 0;
        const frequency = postings[at + 1] ?? 0;
        if (field === 0) {
          // The title is a field of each of its article's passages.
          if (deletedArticles?.[unit] === 1) continue;
          const score = scoreOf(frequency, titleLength[unit] ?? 1);
          for (let p = articleStarts[unit] ?? 0; p < (articleStarts[unit + 1] ?? 0); p++) add(offset + p, score);
        } else {
          if (deletedPassages?.[unit] === 1) continue;
          add(offset + unit, scoreOf(frequency, (field === 1 ? headingLength : textLength)[unit] ?? 1));
        }
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

/** The best `limit` of the touched passages by final score, best first; equal scores in canonical order. */
function pickBest(
  index: ScoringIndex,
  work: Scratch,
  touchedCount: number,
  limit: number,
  within: readonly [number, number] = [0, Number.MAX_SAFE_INTEGER],
): ScoredDocument[] {
  const { total, matched, touched } = work;
  const size = Math.min(limit, touchedCount);
  const ids = new Uint32Array(size);
  const scores = new Float64Array(size);
  let kept = 0;
  const beats = (doc: number, score: number, other: number, otherScore: number): boolean =>
    score > otherScore || (score === otherScore && index.precedes(doc, other));
  for (let i = 0; i < touchedCount; i++) {
    const doc = touched[i] ?? 0;
    if (doc < within[0] || doc > within[1]) continue;
    const score = (total[doc] ?? 0) * (matched[doc] ?? 1);
    if (kept === size && !beats(doc, score, ids[kept - 1] ?? 0, scores[kept - 1] ?? 0)) continue;
    let at = kept === size ? kept - 1 : kept++;
    while (at > 0 && beats(doc, score, ids[at - 1] ?? 0, scores[at - 1] ?? 0)) {
      ids[at] = ids[at - 1] ?? 0;
      scores[at] = scores[at - 1] ?? 0;
      at--;
    }
    ids[at] = doc;
    scores[at] = score;
  }
  return Array.from(ids.subarray(0, kept), (id, i) => ({ id, score: scores[i] ?? 0 }));
}
