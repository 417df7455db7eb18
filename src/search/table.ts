/**
 * A sorted list of distinct strings as plain data: the strings one after the other in one string,
 * and where each ends. It crosses threads and fills a file as it is, and holds a million words in
 * two objects where a map or a radix tree would hold millions.
 */
export interface TableData {
  /** The strings in order (by UTF-16 code units, as `<` compares them), one after the other. */
  text: string;
  /** Where string `i` ends in `text`; it starts where string `i − 1` ends. */
  ends: Uint32Array;
}

/**
 * The strings of a {@link TableData}, looked up without allocating: by exact value (binary search),
 * by prefix (a range), and by edit distance (a walk of the trie the sorted order implies). Every
 * answer comes in sorted order, so what it finds never depends on the order strings were added in.
 *
 * @example
 * const table = new SortedTable(tableOf(['bridge', 'bridges', 'cable']));
 * table.indexOf('cable') // => 2
 * table.prefixRange('brid') // => [0, 2]
 * table.fuzzy('brdge', 1, (i, distance) => console.log(table.at(i), distance)) // bridge 1
 */
export class SortedTable {
  readonly size: number;
  private readonly text: string;
  private readonly ends: Uint32Array;

  constructor(data: TableData) {
    this.text = data.text;
    this.ends = data.ends;
    this.size = data.ends.length;
  }

  /** String `i`. */
  at(i: number): string {
    return this.text.slice(this.start(i), this.ends[i]);
  }

  /** The index of `key`, or −1. */
  indexOf(key: string): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = this.compare(mid, key);
      if (order === 0) return mid;
      if (order < 0) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** The range `[first, end)` of the strings that start with `prefix`. */
  prefixRange(prefix: string): [number, number] {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(mid, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.startsWith(mid, prefix)) lo = mid + 1;
      else hi = mid;
    }
    return [first, lo];
  }

  /**
   * Calls `visit` with each string within `maxDistance` edits (insertions, deletions, substitutions)
   * of `key`, in sorted order, with its distance. Walks the strings as the trie of their prefixes,
   * leaving a prefix as soon as every string under it is too far.
   */
  fuzzy(key: string, maxDistance: number, visit: (index: number, distance: number) => void): void {
    const width = key.length + 1;
    // One row of the edit-distance table per depth: row `depth` is for the prefix of that length.
    const rows: Int32Array[] = [Int32Array.from({ length: width }, (_, j) => j)];
    const walk = (first: number, end: number, depth: number): void => {
      const row = rows[depth] as Int32Array;
      let at = first;
      // The string that is the prefix itself sorts first.
      if (this.lengthOf(at) === depth) {
        if ((row[key.length] ?? Infinity) <= maxDistance) visit(at, row[key.length] ?? 0);
        at++;
      }
      while (at < end) {
        const code = this.text.charCodeAt(this.start(at) + depth);
        const next = this.runEnd(at, end, depth, code);
        const child = (rows[depth + 1] ??= new Int32Array(width));
        child[0] = depth + 1;
        let best = child[0];
        for (let j = 1; j < width; j++) {
          const cost = key.charCodeAt(j - 1) === code ? 0 : 1;
          const value = Math.min((row[j] ?? 0) + 1, (child[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost);
          child[j] = value;
          if (value < best) best = value;
        }
        if (best <= maxDistance) walk(at, next, depth + 1);
        at = next;
      }
    };
    if (this.size > 0) walk(0, this.size, 0);
  }

  private start(i: number): number {
    return i === 0 ? 0 : (this.ends[i - 1] ?? 0);
  }

  private lengthOf(i: number): number {
    return (this.ends[i] ?? 0) - this.start(i);
  }

  /** String `i` against `key`: negative, zero or positive, as `<` orders them. */
  private compare(i: number, key: string): number {
    const start = this.start(i);
    const length = (this.ends[i] ?? 0) - start;
    const shared = Math.min(length, key.length);
    for (let c = 0; c < shared; c++) {
      const diff = this.text.charCodeAt(start + c) - key.charCodeAt(c);
      if (diff !== 0) return diff;
    }
    return length - key.length;
  }

  private startsWith(i: number, prefix: string): boolean {
    const start = this.start(i);
    if ((this.ends[i] ?? 0) - start < prefix.length) return false;
    for (let c = 0; c < prefix.length; c++) if (this.text.charCodeAt(start + c) !== prefix.charCodeAt(c)) return false;
    return true;
  }

  /** The end of the run of strings from `first` (below `end`, all sharing a prefix of `depth`) whose next character is `code`. */
  private runEnd(first: number, end: number, depth: number, code: number): number {
    let lo = first + 1;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.text.charCodeAt(this.start(mid) + depth) === code) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * A table of `strings`, which must be sorted (by `<`) and distinct.
 *
 * @throws {Error} when they are not.
 */
export function tableOf(strings: readonly string[]): TableData {
  const ends = new Uint32Array(strings.length);
  let end = 0;
  strings.forEach((value, i) => {
    if (i > 0 && !((strings[i - 1] as string) < value)) throw new Error('a table needs sorted, distinct strings');
    end += value.length;
    ends[i] = end;
  });
  return { text: strings.join(''), ends };
}
