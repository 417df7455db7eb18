import MiniSearch, { type Options } from 'minisearch';
import type SearchableMap from 'minisearch/SearchableMap';

/**
 * A MiniSearch index as a few typed arrays, which cross threads and fill a snapshot as plain bytes,
 * where MiniSearch's own `toJSON` form (an object per term and field, keyed by document ids as
 * strings) takes seconds to decode and rebuild at 140,000 passages.
 */
export interface IndexData {
  documentCount: number;
  fieldIds: Record<string, number>;
  averageFieldLength: number[];
  /** Per document (document `d` is the `d`-th added, id `d`), each field's length; {@link ABSENT} where unset. */
  fieldLength: Uint32Array;
  /** The terms and their postings, in blocks of about {@link BLOCK_SIZE} numbers, so no step handles them all at once. */
  blocks: IndexBlock[];
}

/** Some terms and their postings. */
export interface IndexBlock {
  terms: string[];
  /** Per term, in order: its number of fields, then for each field its id, its number of documents, and (document, frequency) pairs. */
  postings: Uint32Array;
}

/** Numbers of postings data per block: a few megabytes. */
const BLOCK_SIZE = 1_000_000;

/** Marks a field length MiniSearch never set for a document. */
const ABSENT = 0xffffffff;

/**
 * The parts of MiniSearch 7 that `toJSON`/`loadJS` go through, read and filled directly: a
 * documented layout (its serialization version 2), checked at run time by {@link internalsOf} and
 * by the tests that compare an index loaded this way with one built directly.
 */
interface Internals {
  _documentCount: number;
  _nextId: number;
  _fieldIds: Record<string, number>;
  _avgFieldLength: number[];
  _documentIds: Map<number, unknown>;
  _idToShortId: Map<unknown, number>;
  _fieldLength: Map<number, number[]>;
  _index: SearchableMap<Map<number, Map<number, number>>>;
}

function internalsOf(index: MiniSearch<unknown>): Internals {
  const internals = index as unknown as Internals;
  if (
    !(internals._documentIds instanceof Map) ||
    !(internals._idToShortId instanceof Map) ||
    !(internals._fieldLength instanceof Map) ||
    typeof internals._index?.set !== 'function'
  )
    throw new Error('this MiniSearch version keeps its index differently: update src/search/indexData.ts');
  return internals;
}

/**
 * The index of `index` (terms in blocks of about `blockSize` numbers), whose documents were added once each with ids 0, 1, 2… in order and never
 * removed (as the engine builds it).
 *
 * @throws {Error} when the documents are not numbered that way.
 */
export function indexToData(index: MiniSearch<unknown>, blockSize = BLOCK_SIZE): IndexData {
  const internals = internalsOf(index);
  const fields = Object.keys(internals._fieldIds).length;
  const count = internals._documentCount;
  if (internals._nextId !== count || [...internals._documentIds].some(([shortId, id]) => shortId !== id))
    throw new Error('indexToData needs documents numbered 0, 1, 2… and never removed');
  const fieldLength = new Uint32Array(count * fields).fill(ABSENT);
  for (const [doc, lengths] of internals._fieldLength)
    lengths.forEach((length, field) => (fieldLength[doc * fields + field] = length));
  const blocks: IndexBlock[] = [];
  let terms: string[] = [];
  let postings: number[] = [];
  for (const [term, byField] of internals._index) {
    terms.push(term);
    postings.push(byField.size);
    for (const [field, docs] of byField) {
      postings.push(field, docs.size);
      for (const [doc, frequency] of docs) postings.push(doc, frequency);
    }
    if (postings.length >= blockSize) {
      blocks.push({ terms, postings: Uint32Array.from(postings) });
      terms = [];
      postings = [];
    }
  }
  if (terms.length > 0) blocks.push({ terms, postings: Uint32Array.from(postings) });
  return {
    documentCount: count,
    fieldIds: { ...internals._fieldIds },
    averageFieldLength: [...internals._avgFieldLength],
    fieldLength,
    blocks,
  };
}

/**
 * A MiniSearch index from {@link indexToData}'s data, with `options` as it was built with;
 * `pause` is awaited every few hundred terms so the thread can do other work meanwhile.
 */
export async function indexFromData<T>(
  data: IndexData,
  options: Options<T>,
  pause: () => Promise<void>,
): Promise<MiniSearch<T>> {
  const index = MiniSearch.loadJS<T>(
    {
      documentCount: data.documentCount,
      nextId: data.documentCount,
      documentIds: {},
      fieldIds: data.fieldIds,
      fieldLength: {},
      averageFieldLength: data.averageFieldLength,
      storedFields: {},
      dirtCount: 0,
      index: [],
      serializationVersion: 2,
    },
    options,
  );
  const internals = internalsOf(index as MiniSearch<unknown>);
  const fields = Object.keys(data.fieldIds).length;
  for (let doc = 0; doc < data.documentCount; doc++) {
    internals._documentIds.set(doc, doc);
    internals._idToShortId.set(doc, doc);
    const lengths: number[] = [];
    for (let field = 0; field < fields; field++) {
      const length = data.fieldLength[doc * fields + field] ?? ABSENT;
      if (length !== ABSENT) lengths[field] = length;
    }
    internals._fieldLength.set(doc, lengths);
    if (doc % PAUSE_EVERY === 0) await pause();
  }
  let count = 0;
  for (const { terms, postings } of data.blocks) {
    let at = 0;
    for (const term of terms) {
      const byField = new Map<number, Map<number, number>>();
      for (let fieldCount = postings[at++] ?? 0; fieldCount > 0; fieldCount--) {
        const field = postings[at++] ?? 0;
        const docs = new Map<number, number>();
        for (let docCount = postings[at++] ?? 0; docCount > 0; docCount--)
          docs.set(postings[at++] ?? 0, postings[at++] ?? 0);
        byField.set(field, docs);
      }
      internals._index.set(term, byField);
      if (++count % PAUSE_EVERY === 0) await pause();
    }
  }
  return index;
}

/** Documents or terms handled between two pauses while loading. */
const PAUSE_EVERY = 256;
