import type { ArticleInfo } from '../content/article.js';
import type { Passage } from './chunk.js';
import { sentenceSpans } from './sentences.js';

/**
 * Passages as columns, as a segment holds them: a few typed arrays for thousands of passages, which
 * cross threads, fill a file and load from it at the speed of copying memory, where an object or a
 * string per passage would not. Texts and ids are kept as UTF-8 bytes (about a byte a character,
 * where a string holding a single curly quote takes two for every character) and read out when a
 * passage is; each passage's sentences are [start, end) offsets into its text.
 */
export interface PassageBlock {
  /** The passages' ids one after the other, in UTF-8: passage `i`'s ends at byte `idEnds[i]`. */
  ids: Uint8Array;
  idEnds: Uint32Array;
  /** The passages' texts one after the other, in UTF-8: passage `i`'s ends at byte `textEnds[i]`. */
  texts: Uint8Array;
  textEnds: Uint32Array;
  /** The block's distinct sections; passage `i`'s is `sections[sectionOf[i]]`. */
  sections: Array<string | null>;
  sectionOf: Uint32Array;
  /** Passage `i`'s kind is `PASSAGE_KINDS[kinds[i]]`. */
  kinds: Uint8Array;
  positions: Int32Array;
  paragraphs: Int32Array;
  /** Passage `i`'s article, by position in its segment's articles. */
  articles: Uint32Array;
  /** (start, end) offsets of sentences in their passage's text: passage `i`'s end at `spanEnds[i]`. */
  spans: Uint32Array;
  spanEnds: Uint32Array;
}

const PASSAGE_KINDS: ReadonlyArray<Passage['kind']> = ['lead', 'insight', 'paragraph', 'about'];

/** `passages` as one {@link PassageBlock}; `articleOf` gives each one's article position. */
export function toBlock(passages: readonly Passage[], articleOf: (passage: Passage) => number): PassageBlock {
  const sections = new Map<string | null, number>();
  const spans: number[] = [];
  const ids = passages.map((p) => ENCODER.encode(p.id));
  const texts = passages.map((p) => ENCODER.encode(p.text));
  const block = {
    ids: concat(ids),
    idEnds: ends(ids),
    texts: concat(texts),
    textEnds: ends(texts),
    sectionOf: new Uint32Array(passages.length),
    kinds: new Uint8Array(passages.length),
    positions: new Int32Array(passages.length),
    paragraphs: new Int32Array(passages.length),
    articles: new Uint32Array(passages.length),
    spanEnds: new Uint32Array(passages.length),
  };
  passages.forEach((passage, i) => {
    if (!sections.has(passage.section)) sections.set(passage.section, sections.size);
    block.sectionOf[i] = sections.get(passage.section) ?? 0;
    block.kinds[i] = PASSAGE_KINDS.indexOf(passage.kind);
    block.positions[i] = passage.position;
    block.paragraphs[i] = passage.paragraph;
    block.articles[i] = articleOf(passage);
    spans.push(...sentenceSpans(passage.text, passage.sentences));
    block.spanEnds[i] = spans.length;
  });
  return { ...block, sections: [...sections.keys()], spans: Uint32Array.from(spans) };
}

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

/** Byte strings one after the other. */
function concat(parts: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/** Where each of some byte strings ends, one after the other. */
function ends(parts: readonly Uint8Array[]): Uint32Array {
  const result = new Uint32Array(parts.length);
  let at = 0;
  parts.forEach((part, i) => (result[i] = at += part.length));
  return result;
}

/**
 * A passage read from a {@link PassageBlock} when asked: its id, text and sentences are decoded from
 * the block's bytes on each read, so an engine of 140,000 passages holds no object or string per
 * passage until one is asked for (which made assembling it slow and the garbage collector pause). Its fields are getters: spreading a stored passage (`{ ...passage }`)
 * gives only its article.
 */
export class StoredPassage implements Passage {
  readonly article: ArticleInfo;
  readonly #block: PassageBlock;
  readonly #i: number;

  constructor(block: PassageBlock, i: number, article: ArticleInfo) {
    this.article = article;
    this.#block = block;
    this.#i = i;
  }

  get id(): string {
    return DECODER.decode(this.#block.ids.subarray(this.#block.idEnds[this.#i - 1] ?? 0, this.#block.idEnds[this.#i]));
  }

  get section(): string | null {
    return this.#block.sections[this.#block.sectionOf[this.#i] ?? 0] ?? null;
  }

  get kind(): Passage['kind'] {
    return PASSAGE_KINDS[this.#block.kinds[this.#i] ?? 0] ?? 'paragraph';
  }

  get position(): number {
    return this.#block.positions[this.#i] ?? 0;
  }

  get paragraph(): number {
    return this.#block.paragraphs[this.#i] ?? 0;
  }

  get text(): string {
    return DECODER.decode(
      this.#block.texts.subarray(this.#block.textEnds[this.#i - 1] ?? 0, this.#block.textEnds[this.#i]),
    );
  }

  /** The passage's sentences, in order. */
  get sentences(): string[] {
    const { spans, spanEnds } = this.#block;
    const text = this.text;
    const sentences: string[] = [];
    for (let s = spanEnds[this.#i - 1] ?? 0; s < (spanEnds[this.#i] ?? 0); s += 2)
      sentences.push(text.slice(spans[s], spans[s + 1]));
    return sentences;
  }
}
