import { deserialize, serialize } from 'node:v8';
import { blocksOf } from '../search/blocks.js';
import type { EngineData } from '../search/engine.js';

/**
 * {@link EngineData} cut into parts small enough that decoding any one of them takes the main
 * thread a few milliseconds: a worker posts them one message at a time, and a snapshot file
 * stores the same bytes, so loading a snapshot is reading bytes and handing them over.
 */
export type DataPart =
  | { kind: 'head'; options: EngineData['options']; titleTerms: string }
  | { kind: 'index'; index: Omit<EngineData['index'], 'blocks'> }
  | { kind: 'indexBlock'; terms: string; postings: Uint32Array }
  | { kind: 'terms'; store: Omit<EngineData['terms'], 'terms'>; terms: string }
  | { kind: 'articles'; items: EngineData['articles'] }
  | { kind: 'passages'; block: EngineData['passages'][number] }
  | { kind: 'termCounts'; items: EngineData['termCounts'] }
  | { kind: 'wordCounts'; items: EngineData['wordCounts'] };

/**
 * How many items go in one part. Measured at 10,000 articles (140,000 passages): no part takes
 * more than ~10 ms to decode on this machine.
 * The index blocks, passage blocks and the term store are typed arrays and long strings, decoded at the speed of copying memory.
 */
const PART_SIZE = { articles: 250, counts: 5000 };

/** Cuts `data` into encoded parts, in an order {@link DataCollector} accepts. */
export function* encodeParts(data: EngineData): Generator<Uint8Array> {
  // Lists of terms travel as one string each (terms hold no spaces or line breaks): one string
  // decodes at the speed of copying memory, tens of thousands of small ones do not.
  const { options, titleTerms, terms, index } = data;
  yield serialize({ kind: 'head', options, titleTerms: joinLines(titleTerms.map((t) => t.join(' '))) });
  const { blocks, ...indexRest } = index;
  yield serialize({ kind: 'index', index: indexRest });
  for (const block of blocks)
    yield serialize({ kind: 'indexBlock', terms: joinLines(block.terms), postings: block.postings });
  yield serialize({ kind: 'terms', store: { ...terms, terms: undefined }, terms: joinLines(terms.terms) });
  for (const items of blocksOf(data.articles, PART_SIZE.articles)) yield serialize({ kind: 'articles', items });
  for (const block of data.passages) yield serialize({ kind: 'passages', block });
  for (const items of blocksOf(data.termCounts, PART_SIZE.counts)) yield serialize({ kind: 'termCounts', items });
  for (const items of blocksOf(data.wordCounts, PART_SIZE.counts)) yield serialize({ kind: 'wordCounts', items });
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
  private index: Omit<EngineData['index'], 'blocks'> | null = null;
  private readonly blocks: EngineData['index']['blocks'] = [];
  private terms: EngineData['terms'] | null = null;
  private readonly articles: EngineData['articles'] = [];
  private readonly passages: EngineData['passages'] = [];
  private readonly termCounts: EngineData['termCounts'] = [];
  private readonly wordCounts: EngineData['wordCounts'] = [];

  /** Decodes one part and keeps it. */
  add(bytes: Uint8Array): void {
    const part = deserialize(bytes) as DataPart;
    if (part.kind === 'head') this.head = part;
    else if (part.kind === 'index') this.index = part.index;
    else if (part.kind === 'indexBlock') this.blocks.push({ terms: splitLines(part.terms), postings: part.postings });
    else if (part.kind === 'terms') this.terms = { ...part.store, terms: splitLines(part.terms) };
    else if (part.kind === 'passages') this.passages.push(part.block);
    else pushAll(this[part.kind] as unknown[], part.items);
  }

  /**
   * The whole data.
   *
   * @throws {Error} when the head, index or term parts are missing (the bytes were cut short).
   */
  result(): EngineData {
    const { head, index, terms } = this;
    if (!head || !index || !terms) throw new Error('the index data is incomplete');
    return {
      options: head.options,
      // One line per article, empty for a title without terms.
      titleTerms: head.titleTerms
        .split('\n')
        .slice(0, this.articles.length)
        .map((line) => (line === '' ? [] : line.split(' '))),
      index: { ...index, blocks: this.blocks },
      terms,
      articles: this.articles,
      passages: this.passages,
      termCounts: this.termCounts,
      wordCounts: this.wordCounts,
    };
  }
}

function joinLines(lines: readonly string[]): string {
  return lines.join('\n');
}

function splitLines(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

/** `target.push(...items)` without the argument-count limit of a spread. */
function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
