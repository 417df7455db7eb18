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
 * A segment cut into parts small enough that decoding any one of them takes the main thread a
 * millisecond or two: a worker posts them one message at a time, and a segment file stores the
 * same bytes, so loading a segment is reading bytes and handing them over.
 */
type Part =
  | {
      kind: 'head';
      id: string;
      options: EngineOptions;
      /** The term and word tables' strings (each a few megabytes at most). */
      terms: string;
      words: string;
      /** Each array's length, so the collector makes it once and fills it chunk by chunk. */
      lengths: Partial<Record<ArrayName, number>>;
    }
  | { kind: 'articles'; items: ArticleInfo[] }
  | { kind: 'passages'; block: PassageBlock }
  | { kind: 'array'; name: ArrayName; at: number; values: Uint32Array | Uint8Array };

/** Items per part: articles in one part, and numbers in one chunk of an array (a megabyte). */
const PART_SIZE = { articles: 250, numbers: 256 * 1024 };

/** Cuts a segment into encoded parts, in an order {@link SegmentCollector} accepts. */
export function* encodeParts(segment: NamedSegment): Generator<Uint8Array> {
  const { id, options, data } = segment;
  const lengths: Partial<Record<ArrayName, number>> = {};
  for (const [name, of] of ARRAYS) lengths[name] = of(data).length;
  yield serialize({
    kind: 'head',
    id,
    options,
    terms: data.terms.text,
    words: data.words.text,
    lengths,
  } satisfies Part);
  for (const items of blocksOf(data.articles, PART_SIZE.articles))
    yield serialize({ kind: 'articles', items } satisfies Part);
  for (const block of data.passages) yield serialize({ kind: 'passages', block } satisfies Part);
  for (const [name, of] of ARRAYS) {
    const values = of(data);
    for (let at = 0; at < values.length; at += PART_SIZE.numbers)
      yield serialize({ kind: 'array', name, at, values: values.subarray(at, at + PART_SIZE.numbers) } satisfies Part);
  }
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

  /** Decodes one part and keeps it. */
  add(bytes: Uint8Array): void {
    const part = deserialize(bytes) as Part;
    if (part.kind === 'head') {
      this.head = part;
      for (const [name, length] of Object.entries(part.lengths) as Array<[ArrayName, number]>)
        this.arrays.set(name, name === 'sentenceTypes' ? new Uint8Array(length) : new Uint32Array(length));
    } else if (part.kind === 'articles') for (const item of part.items) this.articles.push(item);
    else if (part.kind === 'passages') this.passages.push(part.block);
    else this.arrays.get(part.name)?.set(part.values, part.at);
  }

  /**
   * The whole segment.
   *
   * @throws {Error} when the head is missing (the bytes were cut short).
   */
  result(): NamedSegment {
    const { head } = this;
    if (!head) throw new Error('the segment data is incomplete');
    const array = <T extends Uint32Array | Uint8Array>(name: ArrayName): T => this.arrays.get(name) as T;
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
