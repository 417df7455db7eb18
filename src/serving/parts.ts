import { deserialize, serialize } from 'node:v8';
import type { ArticleInfo } from '../content/article.js';
import { blocksOf } from '../search/blocks.js';
import type { PreparedSegment } from '../search/engine.js';
import type { EngineOptions } from '../search/options.js';
import type { SegmentData } from '../search/segment.js';
import type { PassageBlock } from '../search/storedPassage.js';

/** A segment with its name and the options it was built with: what a worker posts and a segment file holds. */
export interface NamedSegment extends PreparedSegment {
  id: string;
}

/** The typed arrays of a segment, by name, each of the type `SegmentData` gives it. */
type ArrayName =
  | 'articleStarts'
  | 'termEnds'
  | 'termStats'
  | 'postingStarts'
  | 'postings'
  | 'titleLength'
  | 'headingLength'
  | 'textLength'
  | 'passageTerms'
  | 'passageTermStarts'
  | 'sentenceTypes'
  | 'sentenceTypeStarts'
  | 'wordEnds'
  | 'wordCounts'
  | 'articleWords'
  | 'articleWordStarts';

/** The arrays of a segment, and where each is in its data. */
const ARRAYS: ReadonlyArray<readonly [ArrayName, (data: SegmentData) => Uint32Array | Uint8Array]> = [
  ['articleStarts', (d) => d.articleStarts],
  ['termEnds', (d) => d.terms.ends],
  ['termStats', (d) => d.termStats],
  ['postingStarts', (d) => d.postingStarts],
  ['postings', (d) => d.postings],
  ['titleLength', (d) => d.titleLength],
  ['headingLength', (d) => d.headingLength],
  ['textLength', (d) => d.textLength],
  ['passageTerms', (d) => d.passageTerms],
  ['passageTermStarts', (d) => d.passageTermStarts],
  ['sentenceTypes', (d) => d.sentenceTypes],
  ['sentenceTypeStarts', (d) => d.sentenceTypeStarts],
  ['wordEnds', (d) => d.words.ends],
  ['wordCounts', (d) => d.wordCounts],
  ['articleWords', (d) => d.articleWords],
  ['articleWordStarts', (d) => d.articleWordStarts],
];

/**
 * A segment cut into parts: its head and articles as serialized objects small enough that decoding
 * any one takes the main thread a millisecond or two, and each typed array and each block of
 * passages as raw bytes, which a worker moves (transfers) and the main thread takes as they are,
 * copying nothing. A segment file stores the same bytes, so loading a segment is reading bytes and
 * handing them over.
 */
type Part =
  | {
      kind: 'head';
      id: string;
      options: EngineOptions;
      /** The term and word tables' strings (each a few megabytes at most). */
      terms: string;
      words: string;
    }
  | { kind: 'articles'; items: ArticleInfo[] };

/** Articles in one part. */
const ARTICLES_PER_PART = 250;

/**
 * The first byte of a raw array part: never the first byte of a serialized object (0xFF, V8's
 * version tag). The array's place in {@link ARRAYS} follows, then two bytes of padding, so the
 * numbers start 4-aligned in a part of its own.
 */
const RAW = 0xfe;
const RAW_HEADER = 4;

/**
 * The first byte of a block of passages: its {@link BLOCK_ARRAYS}' byte lengths follow (after
 * padding to 4), then its sections as JSON, then each array, each starting 4-aligned.
 */
const BLOCK = 0xfd;

/** The arrays of a block of passages, in the order a block part holds them, with their types. */
const BLOCK_ARRAYS = [
  ['ids', Uint8Array],
  ['idEnds', Uint32Array],
  ['texts', Uint8Array],
  ['textEnds', Uint32Array],
  ['sectionOf', Uint32Array],
  ['kinds', Uint8Array],
  ['positions', Int32Array],
  ['paragraphs', Int32Array],
  ['articles', Uint32Array],
  ['spans', Uint32Array],
  ['spanEnds', Uint32Array],
] as const;

/** `length` rounded up to a multiple of 4. */
const aligned = (length: number): number => Math.ceil(length / 4) * 4;

/** A block of passages as one raw part (see {@link BLOCK}). */
function blockPart(block: PassageBlock): Uint8Array {
  const sections = Buffer.from(JSON.stringify(block.sections));
  const arrays = BLOCK_ARRAYS.map(([name]) => block[name]);
  const head = 4 + 4 * (arrays.length + 1);
  let size = aligned(head + sections.byteLength);
  for (const array of arrays) size += aligned(array.byteLength);
  const part = new Uint8Array(size);
  const lengths = new DataView(part.buffer);
  part[0] = BLOCK;
  lengths.setUint32(4, sections.byteLength, true);
  arrays.forEach((array, i) => lengths.setUint32(8 + 4 * i, array.byteLength, true));
  part.set(sections, head);
  let at = aligned(head + sections.byteLength);
  for (const array of arrays) {
    part.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at += aligned(array.byteLength);
  }
  return part;
}

/**
 * The block of passages a raw part holds, its arrays views of the part's bytes (copied only when
 * the part does not start 4-aligned).
 */
function readBlockPart(bytes: Uint8Array): PassageBlock {
  const own = (bytes.byteOffset % 4 === 0 ? bytes : bytes.slice()) as Uint8Array<ArrayBuffer>;
  const lengths = new DataView(own.buffer, own.byteOffset, own.byteLength);
  const head = 4 + 4 * (BLOCK_ARRAYS.length + 1);
  const sectionsLength = lengths.getUint32(4, true);
  const sections = JSON.parse(
    Buffer.from(own.buffer, own.byteOffset + head, sectionsLength).toString('utf8'),
  ) as PassageBlock['sections'];
  let at = own.byteOffset + aligned(head + sectionsLength);
  const block: Record<string, unknown> = { sections };
  BLOCK_ARRAYS.forEach(([name, Type], i) => {
    const byteLength = lengths.getUint32(8 + 4 * i, true);
    block[name] = new Type(own.buffer, at, byteLength / Type.BYTES_PER_ELEMENT);
    at += aligned(byteLength);
  });
  return block as unknown as PassageBlock;
}

/** A typed array as a raw part. */
function rawPart(index: number, values: Uint32Array | Uint8Array): Uint8Array {
  const part = new Uint8Array(RAW_HEADER + values.byteLength);
  part[0] = RAW;
  part[1] = index;
  part.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), RAW_HEADER);
  return part;
}

/** Cuts a segment into encoded parts, in an order {@link SegmentCollector} accepts. */
export function* encodeParts(segment: NamedSegment): Generator<Uint8Array> {
  const { id, options, data } = segment;
  yield serialize({ kind: 'head', id, options, terms: data.terms.text, words: data.words.text } satisfies Part);
  for (const items of blocksOf(data.articles, ARTICLES_PER_PART))
    yield serialize({ kind: 'articles', items } satisfies Part);
  for (const block of data.passages) yield blockPart(block);
  for (const [index, [, of]] of ARRAYS.entries()) yield rawPart(index, of(data));
}

/**
 * Puts a segment back together from its encoded parts, one at a time.
 *
 * @example
 * const collector = new SegmentCollector();
 * for (const bytes of encodeParts(segment)) collector.add(bytes);
 * collector.result(); // deep-equal to segment
 */
export class SegmentCollector {
  private head: Extract<Part, { kind: 'head' }> | null = null;
  private readonly arrays = new Map<ArrayName, Uint32Array | Uint8Array>();
  private readonly articles: ArticleInfo[] = [];
  private readonly passages: PassageBlock[] = [];

  /** Takes one part: decodes an object, or takes arrays' bytes as they are (copied only when not 4-aligned). */
  add(bytes: Uint8Array): void {
    if (bytes[0] === BLOCK) {
      this.passages.push(readBlockPart(bytes));
      return;
    }
    if (bytes[0] === RAW) {
      const [name] = ARRAYS[bytes[1] ?? -1] ?? [];
      if (!name) throw new Error('a segment part names no array');
      const start = bytes.byteOffset + RAW_HEADER;
      const length = bytes.byteLength - RAW_HEADER;
      if (name === 'sentenceTypes') this.arrays.set(name, new Uint8Array(bytes.buffer, start, length));
      else
        this.arrays.set(
          name,
          start % 4 === 0
            ? new Uint32Array(bytes.buffer, start, length / 4)
            : new Uint32Array(bytes.slice(RAW_HEADER).buffer),
        );
      return;
    }
    const part = deserialize(bytes) as Part;
    if (part.kind === 'head') this.head = part;
    else for (const item of part.items) this.articles.push(item);
  }

  /**
   * The whole segment.
   *
   * @throws {Error} when the head is missing (the bytes were cut short).
   */
  result(): NamedSegment {
    const { head } = this;
    if (!head) throw new Error('the segment data is incomplete');
    const array = <T extends Uint32Array | Uint8Array>(name: ArrayName): T => {
      const values = this.arrays.get(name);
      if (!values) throw new Error('the segment data is incomplete');
      return values as T;
    };
    return {
      id: head.id,
      options: head.options,
      data: {
        articles: this.articles,
        articleStarts: array('articleStarts'),
        passages: this.passages,
        terms: { text: head.terms, ends: array('termEnds') },
        termStats: array('termStats'),
        postingStarts: array('postingStarts'),
        postings: array('postings'),
        titleLength: array('titleLength'),
        headingLength: array('headingLength'),
        textLength: array('textLength'),
        passageTerms: array('passageTerms'),
        passageTermStarts: array('passageTermStarts'),
        sentenceTypes: array('sentenceTypes'),
        sentenceTypeStarts: array('sentenceTypeStarts'),
        words: { text: head.words, ends: array('wordEnds') },
        wordCounts: array('wordCounts'),
        articleWords: array('articleWords'),
        articleWordStarts: array('articleWordStarts'),
      },
    };
  }
}
