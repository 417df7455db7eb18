import type { AsPlainObject } from 'minisearch';
import { deserialize, serialize } from 'node:v8';
import type { EngineData } from '../search/engine.js';

/**
 * {@link EngineData} cut into parts small enough that decoding any one of them takes the main
 * thread a few milliseconds: a worker posts the parts one message at a time, and a snapshot file
 * stores the same bytes, so loading a snapshot is reading bytes and handing them over.
 */
export type DataPart =
  | {
      kind: 'head';
      version: EngineData['version'];
      options: EngineData['options'];
      titleTerms: EngineData['titleTerms'];
      terms: EngineData['terms'];
      index: Omit<AsPlainObject, 'index' | IndexMap>;
    }
  | { kind: 'indexMap'; name: IndexMap; items: Array<[string, unknown]> }
  | { kind: 'articles'; items: EngineData['articles'] }
  | { kind: 'passages'; items: EngineData['passages'] }
  | { kind: 'index'; items: AsPlainObject['index'] }
  | { kind: 'termCounts'; items: EngineData['termCounts'] }
  | { kind: 'wordCounts'; items: EngineData['wordCounts'] };

/** MiniSearch's per-passage maps: an object key for each of thousands of passages, so sent in slices. */
const INDEX_MAPS = ['documentIds', 'fieldLength', 'storedFields'] as const;
type IndexMap = (typeof INDEX_MAPS)[number];

/**
 * How much goes in one part. Measured at 10,000 articles (140,000 passages): with these sizes
 * no part takes more than ~20 ms to decode on this machine's 2 cores.
 */
const PART_SIZE = {
  articles: 250,
  passages: 2500,
  /** Index entries are cut by postings (one passage holding one term in one field), not by terms. */
  postings: 40_000,
  counts: 20_000,
};

/** Cuts `data` into encoded parts, in an order {@link DataCollector} accepts. */
export function* encodeParts(data: EngineData): Generator<Uint8Array> {
  const { index, documentIds, fieldLength, storedFields, ...indexMeta } = data.index;
  const maps = { documentIds, fieldLength, storedFields };
  const head: DataPart = {
    kind: 'head',
    version: data.version,
    options: data.options,
    titleTerms: data.titleTerms,
    terms: data.terms,
    index: indexMeta,
  };
  yield serialize(head);
  for (const name of INDEX_MAPS)
    for (const items of slices(Object.entries(maps[name]), PART_SIZE.counts))
      yield serialize({ kind: 'indexMap', name, items });
  for (const items of slices(data.articles, PART_SIZE.articles)) yield serialize({ kind: 'articles', items });
  for (const items of slices(data.passages, PART_SIZE.passages)) yield serialize({ kind: 'passages', items });
  let batch: AsPlainObject['index'] = [];
  let postings = 0;
  for (const entry of index) {
    batch.push(entry);
    for (const field of Object.values(entry[1])) postings += Object.keys(field).length;
    if (postings >= PART_SIZE.postings) {
      yield serialize({ kind: 'index', items: batch });
      batch = [];
      postings = 0;
    }
  }
  if (batch.length > 0) yield serialize({ kind: 'index', items: batch });
  for (const items of slices(data.termCounts, PART_SIZE.counts)) yield serialize({ kind: 'termCounts', items });
  for (const items of slices(data.wordCounts, PART_SIZE.counts)) yield serialize({ kind: 'wordCounts', items });
}

/**
 * Puts {@link EngineData} back together from encoded parts, one at a time.
 *
 * @example
 * const collector = new DataCollector();
 * for (const bytes of encodeParts(data)) collector.add(bytes);
 * collector.result(); // deep-equal to data
 */
export class DataCollector {
  private head: Extract<DataPart, { kind: 'head' }> | null = null;
  private readonly articles: EngineData['articles'] = [];
  private readonly passages: EngineData['passages'] = [];
  private readonly index: AsPlainObject['index'] = [];
  private readonly termCounts: EngineData['termCounts'] = [];
  private readonly wordCounts: EngineData['wordCounts'] = [];
  private readonly maps: Record<IndexMap, Record<string, unknown>> = {
    documentIds: {},
    fieldLength: {},
    storedFields: {},
  };

  /** Decodes one part and keeps it. */
  add(bytes: Uint8Array): void {
    const part = deserialize(bytes) as DataPart;
    if (part.kind === 'head') this.head = part;
    else if (part.kind === 'indexMap') for (const [key, value] of part.items) this.maps[part.name][key] = value;
    else pushAll(this[part.kind] as unknown[], part.items);
  }

  /**
   * The whole data.
   *
   * @throws {Error} when no head part arrived (the bytes were cut short).
   */
  result(): EngineData {
    if (!this.head) throw new Error('the index data is incomplete');
    const { version, options, titleTerms, terms, index } = this.head;
    return {
      version,
      options,
      titleTerms,
      terms,
      articles: this.articles,
      passages: this.passages,
      index: { ...index, ...(this.maps as Pick<AsPlainObject, IndexMap>), index: this.index },
      termCounts: this.termCounts,
      wordCounts: this.wordCounts,
    };
  }
}

function* slices<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** `target.push(...items)` without the argument-count limit of a spread. */
function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
