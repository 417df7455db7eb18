import { analyzeTerms } from './analyze.js';
import { byCodeUnits, Segment, STATS_PER_TERM } from './segment.js';
import { SortedTable, tableOf, type TableData } from './table.js';

/**
 * Every term and word an engine's segments hold, with their counts summed over what is served:
 * per term the passages holding it and the passages holding it in each field (BM25's document
 * frequencies), per word as written its occurrences (typo correction and completion read these).
 * Kept exact under every change (a segment added, an article removed), so an engine reached by
 * changes counts exactly what one build of the same articles counts. A term or word whose counts
 * fell to 0 may stay in the tables until the next change that adds: it reads as absent.
 */
export interface VocabularyData {
  terms: TableData;
  /** `STATS_PER_TERM` numbers per term, as `SegmentData.termStats`. */
  termStats: Uint32Array;
  words: TableData;
  wordCounts: Uint32Array;
}

/** A term or word with its count. */
export type Counted = readonly [text: string, count: number];

/** Entries merged or counted per step of a paced change. */
const STEP = 2000;

/**
 * The look-ups planning and completion make (see {@link VocabularyData}), over sorted tables: no
 * map or radix tree of objects, and every list in sorted order (history plays no part).
 */
export class Vocabulary {
  readonly data: VocabularyData;
  private readonly terms: SortedTable;
  private readonly words: SortedTable;

  constructor(data: VocabularyData) {
    this.data = data;
    this.terms = new SortedTable(data.terms);
    this.words = new SortedTable(data.words);
  }

  /** An empty vocabulary. */
  static empty(): Vocabulary {
    const none = tableOf([]);
    return new Vocabulary({ terms: none, termStats: new Uint32Array(0), words: none, wordCounts: new Uint32Array(0) });
  }

  /** How many passages hold `term` (0 when none). */
  passagesWith(term: string): number {
    const t = this.terms.indexOf(term);
    return t < 0 ? 0 : (this.data.termStats[t * STATS_PER_TERM] ?? 0);
  }

  /** Whether any passage holds `term`. */
  hasTerm(term: string): boolean {
    return this.passagesWith(term) > 0;
  }

  /** BM25's document frequencies of `term` in the title, heading and text fields (0, 0, 0 when none). */
  fieldFrequencies(term: string): readonly [title: number, heading: number, text: number] {
    const t = this.terms.indexOf(term);
    if (t < 0) return [0, 0, 0];
    const at = t * STATS_PER_TERM;
    const stats = this.data.termStats;
    return [stats[at + 1] ?? 0, stats[at + 2] ?? 0, stats[at + 3] ?? 0];
  }

  /** The terms starting with `prefix` that some passage holds, with how many, in sorted order. */
  termsWithPrefix(prefix: string): Counted[] {
    const [first, end] = this.terms.prefixRange(prefix);
    const found: Counted[] = [];
    for (let t = first; t < end; t++) {
      const count = this.data.termStats[t * STATS_PER_TERM] ?? 0;
      if (count > 0) found.push([this.terms.at(t), count]);
    }
    return found;
  }

  /** How often `word` occurs (0 when it does not). */
  wordCount(word: string): number {
    const w = this.words.indexOf(word);
    return w < 0 ? 0 : (this.data.wordCounts[w] ?? 0);
  }

  /** The words starting with `prefix`, with how often each occurs, in sorted order. */
  wordsWithPrefix(prefix: string): Counted[] {
    const [first, end] = this.words.prefixRange(prefix);
    const found: Counted[] = [];
    for (let w = first; w < end; w++) {
      const count = this.data.wordCounts[w] ?? 0;
      if (count > 0) found.push([this.words.at(w), count]);
    }
    return found;
  }

  /** The words within `maxDistance` edits of `word`, with how often each occurs and the distance, in sorted order. */
  wordsNear(word: string, maxDistance: number): Array<readonly [word: string, count: number, distance: number]> {
    const found: Array<readonly [string, number, number]> = [];
    this.words.fuzzy(word, maxDistance, (w, distance) => {
      const count = this.data.wordCounts[w] ?? 0;
      if (count > 0) found.push([this.words.at(w), count, distance]);
    });
    return found;
  }

  /**
   * The vocabulary with `segment`'s terms and words added, as steps (run them with `paced`): the
   * tables merged in sorted order, counts summed, and what counted 0 dropped.
   */
  *plus(segment: Segment): Generator<void, Vocabulary> {
    // An empty vocabulary plus a segment is the segment's own tables and counts (never changed in place).
    if (this.terms.size === 0 && this.words.size === 0) {
      const { terms, termStats, words, wordCounts } = segment.data;
      return new Vocabulary({ terms, termStats, words, wordCounts });
    }
    const terms = yield* mergeCounted(
      this.terms,
      this.data.termStats,
      segment.terms,
      segment.data.termStats,
      STATS_PER_TERM,
    );
    const words = yield* mergeCounted(this.words, this.data.wordCounts, segment.words, segment.data.wordCounts, 1);
    return new Vocabulary({
      terms: terms.table,
      termStats: terms.counts,
      words: words.table,
      wordCounts: words.counts,
    });
  }

  /**
   * The vocabulary without some articles (each by its segment and number): their passages' terms,
   * per field, and their words subtracted, as steps (run them with `paced`; the tables themselves
   * are kept, and the counts copied once).
   */
  *minus(removed: ReadonlyArray<{ segment: Segment; article: number }>): Generator<void, Vocabulary> {
    if (removed.length === 0) return this;
    const termStats = this.data.termStats.slice();
    const wordCounts = this.data.wordCounts.slice();
    yield;
    const subtract = (term: string, stat: number, by: number): void => {
      const t = this.terms.indexOf(term);
      if (t >= 0) termStats[t * STATS_PER_TERM + stat] = (termStats[t * STATS_PER_TERM + stat] ?? 0) - by;
    };
    for (const { segment, article } of removed) {
      const data = segment.data;
      const first = data.articleStarts[article] ?? 0;
      const end = data.articleStarts[article + 1] ?? 0;
      // The title field: each passage of the article holds its title.
      for (const term of new Set(analyzeTerms(data.articles[article]?.title ?? ''))) subtract(term, 1, end - first);
      for (let p = first; p < end; p++) {
        const heading = new Set<number>();
        const text = new Set<number>();
        let inHeading = true;
        for (let at = data.passageTermStarts[p] ?? 0; at < (data.passageTermStarts[p + 1] ?? 0); at++) {
          const term = data.passageTerms[at] ?? 0;
          if (term === 0) inHeading = false;
          else (inHeading ? heading : text).add(term - 1);
        }
        for (const t of new Set([...heading, ...text])) subtract(segment.terms.at(t), 0, 1);
        for (const t of heading) subtract(segment.terms.at(t), 2, 1);
        for (const t of text) subtract(segment.terms.at(t), 3, 1);
        yield;
      }
      for (let at = data.articleWordStarts[article] ?? 0; at < (data.articleWordStarts[article + 1] ?? 0); at += 2) {
        const w = this.words.indexOf(segment.words.at(data.articleWords[at] ?? 0));
        if (w >= 0) wordCounts[w] = (wordCounts[w] ?? 0) - (data.articleWords[at + 1] ?? 0);
      }
      yield;
    }
    return new Vocabulary({ ...this.data, termStats, wordCounts });
  }
}

/**
 * Two sorted tables with `width` counts per entry merged into one, counts summed, entries counting
 * 0 dropped, a step at a time to the end: the table's text is joined a piece per step, and its
 * ends and counts are written into arrays made once (at 10,000 articles a vocabulary has hundreds
 * of thousands of entries; made at once, they held answers up for a tenth of a second).
 */
function* mergeCounted(
  a: SortedTable,
  aCounts: Uint32Array,
  b: SortedTable,
  bCounts: Uint32Array,
  width: number,
): Generator<void, { table: TableData; counts: Uint32Array }> {
  const counts = new Uint32Array((a.size + b.size) * width);
  const ends = new Uint32Array(a.size + b.size);
  const pieces: string[] = [];
  let piece: string[] = [];
  let size = 0;
  let end = 0;
  let steps = 0;
  let i = 0;
  let j = 0;
  while (i < a.size || j < b.size) {
    const x = i < a.size ? a.at(i) : null;
    const y = j < b.size ? b.at(j) : null;
    const order = x === null ? 1 : y === null ? -1 : byCodeUnits(x, y);
    let counted = false;
    for (let c = 0; c < width; c++) {
      const sum = (order <= 0 ? (aCounts[i * width + c] ?? 0) : 0) + (order >= 0 ? (bCounts[j * width + c] ?? 0) : 0);
      counts[size * width + c] = sum;
      if (sum > 0) counted = true;
    }
    const text = (order <= 0 ? x : y) as string;
    if (order <= 0) i++;
    if (order >= 0) j++;
    // Nothing counts it any more (every article that held it is gone): it is left out.
    if (counted) {
      piece.push(text);
      ends[size++] = end += text.length;
    }
    if (++steps % STEP === 0) {
      pieces.push(piece.join(''));
      piece = [];
      yield;
    }
  }
  pieces.push(piece.join(''));
  yield;
  return { table: { text: pieces.join(''), ends: ends.slice(0, size) }, counts: counts.slice(0, size * width) };
}
