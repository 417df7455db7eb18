/** The terms of one passage, for re-ranking: all of them, and each sentence's, with the kinds of fact each sentence holds. */
export interface PassageView {
  all: ReadonlySet<number>;
  sentences: ReadonlyArray<ReadonlySet<number>>;
  /** Per sentence, a bit set of {@link AnswerType} flags. */
  types: readonly number[];
}

/** Marks the end of the heading and of each sentence in a passage's run of term ids. */
const BREAK = 0;

/**
 * The analysed terms of every passage, kept compact: each term is interned as a number, and all
 * passages' term ids sit in one flat typed array (a passage is its heading's terms, then each
 * sentence's, separated by a break). With 150,000 passages this takes tens of megabytes where a
 * Set per sentence would take hundreds.
 *
 * @example
 * const store = new TermStore();
 * store.add(['key', 'insight'], [['usa', 'design'], ['cartel']], [0, 1]);
 * store.view(0).sentences[1]?.has(store.idOf('cartel') ?? -1) // => true
 */
export class TermStore {
  private readonly ids = new Map<string, number>();
  private data = new Uint32Array(1024);
  private length = 0;
  private readonly starts: number[] = [0];
  private types = new Uint8Array(256);
  private typeCount = 0;
  private readonly typeStarts: number[] = [0];

  /** Number of passages added. */
  get size(): number {
    return this.starts.length - 1;
  }

  /** The id of an interned term, if any passage holds it. */
  idOf(term: string): number | undefined {
    return this.ids.get(term);
  }

  /** Appends one passage: its heading terms, each sentence's terms and answer-type flags. Returns its distinct terms. */
  add(heading: readonly string[], sentences: ReadonlyArray<readonly string[]>, types: readonly number[]): Set<string> {
    const distinct = new Set(heading);
    this.push(heading);
    for (const sentence of sentences) {
      this.push(sentence);
      for (const term of sentence) distinct.add(term);
    }
    this.starts.push(this.length);
    for (const flags of types) {
      if (this.typeCount === this.types.length) this.types = grow(this.types);
      this.types[this.typeCount++] = flags;
    }
    this.typeStarts.push(this.typeCount);
    return distinct;
  }

  /** The distinct terms of passages `first` to `last` (inclusive): an article's vocabulary. */
  union(first: number, last: number): Set<number> {
    const terms = new Set<number>();
    for (let i = this.starts[first] ?? 0; i < (this.starts[last + 1] ?? 0); i++) {
      const term = this.data[i] ?? BREAK;
      if (term !== BREAK) terms.add(term);
    }
    return terms;
  }

  /** The terms of passage `id`, as sets of term ids. */
  view(id: number): PassageView {
    const all = new Set<number>();
    const sentences: Array<Set<number>> = [];
    let current: Set<number> | null = null;
    for (let i = this.starts[id] ?? 0; i < (this.starts[id + 1] ?? 0); i++) {
      const term = this.data[i] ?? BREAK;
      if (term === BREAK) {
        if (current) sentences.push(current);
        current = new Set();
        continue;
      }
      all.add(term);
      current?.add(term);
    }
    return { all, sentences, types: Array.from(this.types.subarray(this.typeStarts[id] ?? 0, this.typeStarts[id + 1] ?? 0)) };
  }

  private push(terms: readonly string[]): void {
    const unique = new Set(terms);
    while (this.length + unique.size + 1 > this.data.length) this.data = grow(this.data);
    for (const term of unique) {
      let id = this.ids.get(term);
      if (id === undefined) {
        id = this.ids.size + 1;
        this.ids.set(term, id);
      }
      this.data[this.length++] = id;
    }
    this.data[this.length++] = BREAK;
  }
}

function grow<T extends Uint32Array | Uint8Array>(array: T): T {
  const larger = new (array.constructor as new (length: number) => T)(array.length * 2);
  larger.set(array);
  return larger;
}
