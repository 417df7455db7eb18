/**
 * A {@link TermStore} as plain data: interned terms in id order, and its arrays as typed arrays,
 * which structured cloning (worker messages, `v8.serialize`) copies as bytes.
 */
export interface TermStoreData {
  terms: string[];
  data: Uint32Array;
  starts: Uint32Array;
  types: Uint8Array;
  typeStarts: Uint32Array;
}

/** Marks the end of the heading and of each sentence in a passage's run of term ids. */
const BREAK = 0;

/**
 * The analysed terms of every passage, kept compact: each term is interned as a number, and all
 * passages' term ids sit in one flat typed array, in text order (a passage is its heading's
 * terms, then each sentence's, separated by a break), so re-ranking can tell words that stand
 * together from words that are far apart. With 150,000 passages this takes tens of megabytes where a
 * Set per sentence would take hundreds.
 *
 * @example
 * const store = new TermStore();
 * store.add(['key', 'insight'], [['usa', 'design'], ['cartel']], [0, 1]);
 * store.forEachTerm(0, 0, (term, sentence) => console.log(term, sentence)); // heading terms at -1, then 0, 0, 1
 */
export class TermStore {
  private ids = new Map<string, number>();
  private data: Uint32Array = new Uint32Array(1024);
  private length = 0;
  /** Where each passage's term ids start in `data`; entry `passages` is where the next would. */
  private starts: Uint32Array = new Uint32Array(256);
  private passages = 0;
  private types: Uint8Array = new Uint8Array(256);
  private typeCount = 0;
  /** Where each passage's sentence flags start in `types`, like `starts`. */
  private typeStarts: Uint32Array = new Uint32Array(256);

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
    for (const flags of types) {
      if (this.typeCount === this.types.length) this.types = grow(this.types);
      this.types[this.typeCount++] = flags;
    }
    if (this.passages + 1 === this.starts.length) {
      this.starts = grow(this.starts);
      this.typeStarts = grow(this.typeStarts);
    }
    this.passages++;
    this.starts[this.passages] = this.length;
    this.typeStarts[this.passages] = this.typeCount;
    return distinct;
  }

  /** The store as plain data, for an index snapshot or another thread. */
  toData(): TermStoreData {
    return {
      terms: [...this.ids.keys()],
      data: this.data.slice(0, this.length),
      starts: this.starts.slice(0, this.passages + 1),
      types: this.types.slice(0, this.typeCount),
      typeStarts: this.typeStarts.slice(0, this.passages + 1),
    };
  }

  /**
   * A store restored from {@link TermStore.toData}'s data (its arrays used as they are), as steps:
   * each files one term (run them with `paced` or `unpaced`, see pace.ts); the last returns the store.
   *
   * @example
   * const store = unpaced(TermStore.load(original.toData()));
   */
  static *load(data: TermStoreData): Generator<void, TermStore> {
    const store = new TermStore();
    for (const [i, term] of data.terms.entries()) {
      store.ids.set(term, i + 1);
      yield;
    }
    store.data = data.data;
    store.length = data.data.length;
    store.starts = data.starts;
    store.passages = data.starts.length - 1;
    store.types = data.types;
    store.typeCount = data.types.length;
    store.typeStarts = data.typeStarts;
    return store;
  }

  /** Releases the spare room kept for growth, once every passage is added. */
  compact(): void {
    this.data = this.data.slice(0, this.length);
    this.types = this.types.slice(0, this.typeCount);
    this.starts = this.starts.slice(0, this.passages + 1);
    this.typeStarts = this.typeStarts.slice(0, this.passages + 1);
  }

  /**
   * Calls `visit` with every term id of passages `first` to `last` (inclusive), in text order,
   * with the index of its sentence within its passage (-1 for the heading) and its position within
   * that sentence. Allocates nothing, so re-ranking stays cheap on the garbage collector.
   */
  forEachTerm(first: number, last: number, visit: (term: number, sentence: number, position: number) => void): void {
    for (let passage = first; passage <= last; passage++) {
      let sentence = -1;
      let position = 0;
      for (let i = this.starts[passage] ?? 0; i < (this.starts[passage + 1] ?? 0); i++) {
        const term = this.data[i] ?? BREAK;
        if (term === BREAK) {
          sentence++;
          position = 0;
        } else visit(term, sentence, position++);
      }
    }
  }

  /**
   * The term ids of sentence `sentence` of passage `id` (-1 for its heading), in text order, as a
   * view of the store's array (nothing copied); empty past its last sentence.
   */
  sentenceTerms(id: number, sentence: number): Uint32Array {
    const end = this.starts[id + 1] ?? 0;
    let at = this.starts[id] ?? 0;
    for (let skip = sentence + 1; skip > 0 && at < end; at++) if (this.data[at] === BREAK) skip--;
    let stop = at;
    while (stop < end && this.data[stop] !== BREAK) stop++;
    return this.data.subarray(at, stop);
  }

  /** The answer-type flags of each sentence of passage `id`. */
  sentenceTypes(id: number): Uint8Array {
    return this.types.subarray(this.typeStarts[id] ?? 0, this.typeStarts[id + 1] ?? 0);
  }

  private push(terms: readonly string[]): void {
    while (this.length + terms.length + 1 > this.data.length) this.data = grow(this.data);
    for (const term of terms) {
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
