/**
 * Lines of text sorted by their key (the part before the first tab), searched in place: a word
 * list of 150,000 lines loads in a few milliseconds because nothing is split or copied up front.
 *
 * @example
 * new SortedLines('apple\tfruit\npear').get('apple') // => 'fruit'
 */
export class SortedLines {
  private readonly text: string;
  /** Where each line starts, plus one past the end of the last line. */
  private readonly starts: Uint32Array;

  constructor(text: string) {
    this.text = text.endsWith('\n') ? text.slice(0, -1) : text;
    const starts: number[] = this.text === '' ? [] : [0];
    for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
    starts.push(this.text.length + 1);
    this.starts = Uint32Array.from(starts);
  }

  /** The rest of the line whose key is `key` (after its tab; '' when it has none), or `undefined`. */
  get(key: string): string | undefined {
    let low = 0;
    let high = this.starts.length - 2;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const start = this.starts[middle] ?? 0;
      const end = (this.starts[middle + 1] ?? 0) - 1;
      const tab = this.text.indexOf('\t', start);
      const keyEnd = tab === -1 || tab > end ? end : tab;
      const found = this.text.slice(start, keyEnd);
      if (found === key) return keyEnd === end ? '' : this.text.slice(keyEnd + 1, end);
      if (found < key) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }
}
