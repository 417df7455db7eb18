import type { ArticleInfo } from '../content/article.js';
import type { Passage } from './chunk.js';

/**
 * Passages as columns, as {@link EngineData} holds them: a few strings and typed arrays for
 * thousands of passages, which cross threads and decode from a snapshot at the speed of copying
 * memory, where an object per passage would not. Each passage's text is stored once, its
 * sentences as [start, end) offsets into it.
 */
export interface PassageBlock {
  /** The passages' ids, one per line. */
  ids: string;
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
    ids: passages.map((p) => p.id).join('\n'),
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
  passages.forEach((passage, i) => {
    if (passage.id.includes('\n')) throw new Error(`a passage id holds a line break: "${passage.id}"`);
    textEnd += passage.text.length;
    block.textEnds[i] = textEnd;
    if (!sections.has(passage.section)) sections.set(passage.section, sections.size);
    block.sectionOf[i] = sections.get(passage.section) ?? 0;
    block.kinds[i] = PASSAGE_KINDS.indexOf(passage.kind);
    block.positions[i] = passage.position;
    block.paragraphs[i] = passage.paragraph;
    block.articles[i] = articleOf(passage);
    spans.push(...spansIn(passage.text, passage.sentences));
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
  const ids = block.ids.split('\n');
  for (let i = 0; i < block.textEnds.length; i++) {
    const article = articles[block.articles[i] ?? -1];
    if (!article) throw new Error(`passage ${ids[i]} names no article`);
    yield new StoredPassage(block, i, ids[i] ?? '', article);
  }
}

/**
 * A passage assembled from a {@link PassageBlock}: its text is a slice of the block's, and its
 * sentences are cut from it when read, so an engine of 140,000 passages does not hold a million
 * sentence strings (which made assembling it slow and the garbage collector pause). `sentences`
 * is a getter: spreading a stored passage (`{ ...passage }`) leaves it out.
 */
export class StoredPassage implements Passage {
  readonly id: string;
  readonly article: ArticleInfo;
  readonly section: string | null;
  readonly kind: Passage['kind'];
  readonly position: number;
  readonly paragraph: number;
  readonly text: string;
  readonly #spans: Uint32Array;
  readonly #firstSpan: number;
  readonly #endSpan: number;

  constructor(block: PassageBlock, i: number, id: string, article: ArticleInfo) {
    this.id = id;
    this.article = article;
    this.section = block.sections[block.sectionOf[i] ?? 0] ?? null;
    this.kind = PASSAGE_KINDS[block.kinds[i] ?? 0] ?? 'paragraph';
    this.position = block.positions[i] ?? 0;
    this.paragraph = block.paragraphs[i] ?? 0;
    this.text = block.texts.slice(block.textEnds[i - 1] ?? 0, block.textEnds[i]);
    this.#spans = block.spans;
    this.#firstSpan = block.spanEnds[i - 1] ?? 0;
    this.#endSpan = block.spanEnds[i] ?? 0;
  }

  /** The passage's sentences, in order. */
  get sentences(): string[] {
    const sentences: string[] = [];
    for (let s = this.#firstSpan; s < this.#endSpan; s += 2)
      sentences.push(this.text.slice(this.#spans[s], this.#spans[s + 1]));
    return sentences;
  }
}

/** Where each sentence sits in `text`, as [start, end) pairs: the sentences are slices of it, in order. */
function spansIn(text: string, sentences: readonly string[]): number[] {
  const spans: number[] = [];
  let cursor = 0;
  for (const sentence of sentences) {
    const start = text.indexOf(sentence, cursor);
    if (start === -1) throw new Error(`a sentence is not part of its passage's text: "${sentence.slice(0, 60)}"`);
    spans.push(start, start + sentence.length);
    cursor = start + sentence.length;
  }
  return spans;
}
