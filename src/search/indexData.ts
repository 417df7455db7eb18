import type MiniSearch from 'minisearch';

/**
 * An index's postings as a few typed arrays, which cross threads and fill a snapshot as plain
 * bytes, and which {@link Postings} scores directly (MiniSearch's own `toJSON` form, an object per
 * term and field keyed by document ids as strings, takes seconds to decode at 140,000 passages).
 */
export interface IndexData {
  documentCount: number;
  /** The indexed fields; field `f` is the `f`-th. */
  fields: string[];
  /** Per field, its average length over the documents (as MiniSearch computes it, in terms). */
  averageFieldLength: number[];
  /** Per document `d` (the `d`-th added), field `f`'s length at `d × fields + f`: its number of distinct terms. */
  fieldLength: Uint32Array;
  /** The terms and their postings, in blocks of about {@link BLOCK_SIZE} numbers, so no step handles them all at once. */
  blocks: IndexBlock[];
}

/** Some terms and their postings. */
export interface IndexBlock {
  terms: string[];
  /**
   * Per term, in order: its number of fields, then for each field by increasing field number: the
   * field, its number of documents, and (document, frequency) pairs by increasing document.
   */
  postings: Uint32Array;
}

/** The MiniSearch serialization (`toJSON`) {@link indexToData} reads: MiniSearch 7's, documented. */
export const MINISEARCH_SERIALIZATION = 2;

/** Numbers of postings data per block: a few megabytes. */
const BLOCK_SIZE = 1_000_000;

/**
 * The postings of `index`, read through its public serialization (`toJSON`), in blocks of about
 * `blockSize` numbers. Its documents must have been added once each with ids 0, 1, 2… in order and
 * never removed (as the engine builds it), so a document's id is its number.
 *
 * @throws {Error} when MiniSearch serializes in another version than {@link MINISEARCH_SERIALIZATION}, or the documents are not numbered that way.
 *
 * @example
 * const index = new MiniSearch({ fields: ['title', 'text'] });
 * index.addAll([{ id: 0, title: 'Bridge', text: 'steel cables' }]);
 * indexToData(index).blocks[0]?.terms // => ['bridge', 'steel', 'cables']
 */
export function indexToData(index: MiniSearch<unknown>, blockSize = BLOCK_SIZE): IndexData {
  const json = index.toJSON();
  if (json.serializationVersion !== MINISEARCH_SERIALIZATION)
    throw new Error(
      `MiniSearch serialized its index in version ${json.serializationVersion}, not ${MINISEARCH_SERIALIZATION}: update src/search/indexData.ts`,
    );
  const count = json.documentCount;
  const numbered =
    json.nextId === count &&
    (json.dirtCount ?? 0) === 0 &&
    Object.keys(json.documentIds).length === count &&
    Object.entries(json.documentIds).every(([shortId, id]) => Number(shortId) === id);
  if (!numbered) throw new Error('indexToData needs documents numbered 0, 1, 2… and never removed');
  const fields = Object.entries(json.fieldIds)
    .sort(([, a], [, b]) => a - b)
    .map(([field]) => field);
  if (fields.some((field, i) => json.fieldIds[field] !== i))
    throw new Error('indexToData needs fields numbered 0, 1, 2…');

  const fieldLength = new Uint32Array(count * fields.length);
  for (const [doc, lengths] of Object.entries(json.fieldLength))
    lengths.forEach((length, field) => (fieldLength[Number(doc) * fields.length + field] = length));

  const blocks: IndexBlock[] = [];
  let terms: string[] = [];
  let postings = new Uint32Array(blockSize + 1024);
  let at = 0;
  const push = (value: number): void => {
    if (at === postings.length) {
      const larger = new Uint32Array(postings.length * 2);
      larger.set(postings);
      postings = larger;
    }
    postings[at++] = value;
  };
  for (const [term, byField] of json.index) {
    terms.push(term);
    // Integer-like keys: objects list them in increasing order, so fields and documents come sorted.
    const fieldIds = Object.keys(byField);
    push(fieldIds.length);
    for (const field of fieldIds) {
      const docs = byField[field] ?? {};
      const docIds = Object.keys(docs);
      push(Number(field));
      push(docIds.length);
      for (const doc of docIds) {
        push(Number(doc));
        push(docs[doc] ?? 0);
      }
    }
    if (at >= blockSize) {
      blocks.push({ terms, postings: postings.slice(0, at) });
      terms = [];
      at = 0;
    }
  }
  if (terms.length > 0) blocks.push({ terms, postings: postings.slice(0, at) });
  return { documentCount: count, fields, averageFieldLength: [...json.averageFieldLength], fieldLength, blocks };
}
