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
  /** Per term, in order: its number of fields, then for each field its id, its number of documents, and (document, frequency) pairs by increasing document. */
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
      // Documents in increasing order, which PackedDocuments relies on (MiniSearch's Maps keep
      // the order documents were added, which is that order here).
      for (const [doc, frequency] of [...docs].sort(([a], [b]) => a - b)) postings.push(doc, frequency);
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
 *
 * Each term's postings stay in the block's typed array, read through {@link PackedTerm}: the
 * index costs one small object per term instead of a Map per term and field (millions of entries
 * at 140,000 passages), which is what made loading slow and the garbage collector pause. The
 * result answers searches only: adding or removing documents is not supported.
 */
export async function indexFromData<T>(
  data: IndexData,
  options: Options<T>,
  pause: () => Promise<void>,
): Promise<MiniSearch<T>> {
  const { index, steps } = loading<T>(data, options);
  for (let step = steps.next(); !step.done; step = steps.next()) await pause();
  return index;
}

/** {@link indexFromData} in one go, for an index built on the spot. */
export function indexFromDataNow<T>(data: IndexData, options: Options<T>): MiniSearch<T> {
  const { index, steps } = loading<T>(data, options);
  for (let step = steps.next(); !step.done; step = steps.next());
  return index;
}

/** An empty index with `data`'s settings, and the steps that fill it (each a few hundred items). */
function loading<T>(data: IndexData, options: Options<T>): { index: MiniSearch<T>; steps: Generator<void> } {
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
  return { index, steps: fill(internalsOf(index as MiniSearch<unknown>), data) };
}

function* fill(internals: Internals, data: IndexData): Generator<void> {
  const fields = Object.keys(data.fieldIds).length;
  for (let doc = 0; doc < data.documentCount; doc++) {
    internals._documentIds.set(doc, doc);
    internals._idToShortId.set(doc, doc);
    if (doc % PAUSE_EVERY === 0) yield;
  }
  internals._fieldLength = new PackedFieldLengths(data.fieldLength, fields) as unknown as Map<number, number[]>;
  let count = 0;
  for (const { terms, postings } of data.blocks) {
    let at = 0;
    for (const term of terms) {
      const packed = new PackedTerm(postings, at);
      internals._index.set(term, packed as unknown as Map<number, Map<number, number>>);
      at = packed.end;
      if (++count % PAUSE_EVERY === 0) yield;
    }
  }
}

/**
 * One term's postings in a block (see {@link IndexBlock}), read the way MiniSearch reads a term's
 * entry in its index: `get(fieldId)` gives the term's documents in that field, and iterating
 * gives (field, documents) pairs as its Map would.
 */
class PackedTerm {
  /** Where the next term starts. */
  readonly end: number;

  constructor(
    private readonly postings: Uint32Array,
    private readonly start: number,
  ) {
    let end = start;
    for (const at of this.fieldStarts()) end = at + 2 + 2 * (postings[at + 1] ?? 0);
    this.end = Math.max(end, start + 1);
  }

  get size(): number {
    return this.postings[this.start] ?? 0;
  }

  get(fieldId: number): PackedDocuments | undefined {
    for (const at of this.fieldStarts())
      if (this.postings[at] === fieldId) return new PackedDocuments(this.postings, at + 2, this.postings[at + 1] ?? 0);
    return undefined;
  }

  *[Symbol.iterator](): Generator<[number, PackedDocuments]> {
    for (const at of this.fieldStarts())
      yield [this.postings[at] ?? 0, new PackedDocuments(this.postings, at + 2, this.postings[at + 1] ?? 0)];
  }

  /** Where each of the term's fields starts in `postings` (a field id, a count, then pairs). */
  private *fieldStarts(): Generator<number> {
    let at = this.start + 1;
    for (let fields = this.size; fields > 0; fields--) {
      yield at;
      at += 2 + 2 * (this.postings[at + 1] ?? 0);
    }
  }
}

/**
 * Each document's field lengths, read from {@link IndexData}'s array the way MiniSearch reads its
 * `Map<document, lengths>` while searching (`get(document)[field]`, read at once), without an
 * array per document: `get` fills and returns one shared row. Iterating gives arrays of their own.
 */
class PackedFieldLengths {
  private readonly row: Array<number | undefined>;

  constructor(
    private readonly lengths: Uint32Array,
    private readonly fields: number,
  ) {
    this.row = new Array<number | undefined>(fields).fill(undefined);
  }

  get size(): number {
    return this.lengths.length / this.fields;
  }

  has(document: number): boolean {
    return Number.isInteger(document) && document >= 0 && document < this.size;
  }

  get(document: number): Array<number | undefined> | undefined {
    if (!this.has(document)) return undefined;
    for (let field = 0; field < this.fields; field++) this.row[field] = this.lengthOf(document, field);
    return this.row;
  }

  *[Symbol.iterator](): Generator<[number, number[]]> {
    for (let document = 0; document < this.size; document++) {
      const lengths: number[] = [];
      for (let field = 0; field < this.fields; field++) {
        const length = this.lengthOf(document, field);
        if (length !== undefined) lengths[field] = length;
      }
      yield [document, lengths];
    }
  }

  private lengthOf(document: number, field: number): number | undefined {
    const length = this.lengths[document * this.fields + field] ?? ABSENT;
    return length === ABSENT ? undefined : length;
  }
}

/**
 * A term's documents in one field, as (document, frequency) pairs in increasing document order,
 * read like MiniSearch's `Map<document, frequency>`: `size`, `keys()`, `get(document)` and iteration.
 */
class PackedDocuments {
  /** The pair `keys()` yielded last: MiniSearch asks for each document's frequency right after. */
  private cursor = 0;

  constructor(
    private readonly postings: Uint32Array,
    private readonly start: number,
    readonly size: number,
  ) {}

  *keys(): Generator<number> {
    for (let i = 0; i < this.size; i++) {
      this.cursor = i;
      yield this.postings[this.start + 2 * i] ?? 0;
    }
  }

  get(document: number): number | undefined {
    const { postings, start } = this;
    if (postings[start + 2 * this.cursor] === document) return postings[start + 2 * this.cursor + 1];
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const found = postings[start + 2 * middle] ?? 0;
      if (found === document) return postings[start + 2 * middle + 1];
      if (found < document) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  *[Symbol.iterator](): Generator<[number, number]> {
    for (let i = 0; i < this.size; i++)
      yield [this.postings[this.start + 2 * i] ?? 0, this.postings[this.start + 2 * i + 1] ?? 0];
  }
}

/** Documents or terms handled between two pauses while loading. */
const PAUSE_EVERY = 256;
