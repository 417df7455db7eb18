import type { ArticleInfo } from '../content/article.js';
import type { Passage } from './chunk.js';
import { sentenceSpans } from './sentences.js';

/**
 * Passages as columns, as {@link EngineData} holds them: a few strings and typed arrays for
 * thousands of passages, which cross threads and decode from a snapshot at the speed of copying
 * memory, where an object per passage would not. Each passage's text is stored once, its
 * sentences as [start, end) offsets into it.
 */
export interface PassageBlock {
  /** The passages' ids one after the other: passage `i`'s ends at `idEnds[i]`. */
  ids: string;
  idEnds: Uint32Array;
  /** The passages' texts one after the other: passage `i`'s ends at `textEnds[i]`. */
  texts: string;
  textEnds: Uint32Array;
  /** The block's distinct sections; passage `i`'s is `sections[sectionOf[i]]`. */
  sections: Array<string | null>;
  sectionOf: Uint32Array;
  /** Passage `i`'s kind is `PASSAGE_KINDS[kinds[i]]`. */
  kinds: Uint8Array;
  positions: Int32Array;
  paragraphs: Int32Array;
  /** Passage `i`'s article, by position in the engine's articles. */
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
  const block = {
    ids: passages.map((p) => p.id).join(''),
    idEnds: new Uint32Array(passages.length),
    texts: passages.map((p) => p.text).join(''),
    textEnds: new Uint32Array(passages.length),
    sectionOf: new Uint32Array(passages.length),
    kinds: new Uint8Array(passages.length),
    positions: new Int32Array(passages.length),
    paragraphs: new Int32Array(passages.length),
    articles: new Uint32Array(passages.length),
    spanEnds: new Uint32Array(passages.length),
  };
  let textEnd = 0;
  let idEnd = 0;
  passages.forEach((passage, i) => {
    idEnd += passage.id.length;
    block.idEnds[i] = idEnd;
    textEnd += passage.text.length;
    block.textEnds[i] = textEnd;
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

/**
 * The passages of a block, on articles `articles`, handing over each one as it is made.
 *
 * @throws {Error} when a passage names no article.
 */
export function* storedPassages(block: PassageBlock, articles: readonly ArticleInfo[]): Generator<StoredPassage> {
  for (let i = 0; i < block.textEnds.length; i++) {
    const article = articles[block.articles[i] ?? -1];
    if (!article) throw new Error(`passage ${i} of a block names no article`);
    yield new StoredPassage(block, i, article);
  }
}

/**
 * A passage read from a {@link PassageBlock} when asked: its id, text and sentences are cut from
 * the block's strings on each read, so an engine of 140,000 passages holds one small object per
 * passage instead of hundreds of thousands of strings (which made assembling it slow and the
 * garbage collector pause). Its fields are getters: spreading a stored passage (`{ ...passage }`)
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
    return this.#block.ids.slice(this.#block.idEnds[this.#i - 1] ?? 0, this.#block.idEnds[this.#i]);
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
    return this.#block.texts.slice(this.#block.textEnds[this.#i - 1] ?? 0, this.#block.textEnds[this.#i]);
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
