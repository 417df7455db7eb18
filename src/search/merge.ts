import type { ArticleInfo } from '../content/article.js';
import type { Passage } from './chunk.js';
import {
  byCodeUnits,
  compareArticles,
  PASSAGE_BLOCK,
  passageBlocks,
  Segment,
  STATS_PER_TERM,
  type SegmentData,
} from './segment.js';
import { unpaced } from './pace.js';
import { StoredPassage } from './storedPassage.js';
import { tableOf } from './table.js';

/** A segment to merge, and which of its articles (by number) are deleted and left out. */
export interface MergeInput {
  segment: Segment;
  deleted: ReadonlySet<number>;
}

/**
 * One segment holding the live articles of `inputs`, in canonical order, exactly as
 * `buildSegment` would index them from their text, without analysing any text again: terms and
 * words are merged table by table, postings and passage terms renumbered, statistics counted
 * afresh from what is kept (so a deleted article leaves nothing behind). Linear in the inputs'
 * size, plus sorting each term's postings; for a worker thread.
 *
 * @example
 * const merged = mergeSegments([{ segment: base, deleted: new Set([3]) }, { segment: delta, deleted: new Set() }]);
 */
export function mergeSegments(inputs: readonly MergeInput[]): SegmentData {
  return unpaced(merging(inputs));
}

/** {@link mergeSegments} as steps (run them with `paced` or between other work): a step every few thousand items. */
export function* merging(inputs: readonly MergeInput[]): Generator<void, SegmentData> {
  // The kept articles, in canonical order, each with where it comes from.
  const kept: Array<{ input: number; article: number; info: ArticleInfo }> = [];
  inputs.forEach(({ segment, deleted }, input) =>
    segment.data.articles.forEach((info, article) => {
      if (!deleted.has(article)) kept.push({ input, article, info });
    }),
  );
  kept.sort((a, b) => compareArticles(a.info, b.info));

  // New numbers: of articles and passages (per input, by old number), of terms and words (by string).
  const articleNumber = inputs.map(({ segment }) => new Int32Array(segment.data.articles.length).fill(-1));
  const passageNumber = inputs.map(({ segment }) => new Int32Array(segment.passageCount).fill(-1));
  const articleStarts = new Uint32Array(kept.length + 1);
  let passages = 0;
  kept.forEach(({ input, article }, i) => {
    (articleNumber[input] as Int32Array)[article] = i;
    articleStarts[i] = passages;
    const { articleStarts: starts } = (inputs[input] as MergeInput).segment.data;
    for (let p = starts[article] ?? 0; p < (starts[article + 1] ?? 0); p++)
      (passageNumber[input] as Int32Array)[p] = passages++;
  });
  articleStarts[kept.length] = passages;

  const termList = unionOf(inputs.map(({ segment }) => segment.terms));
  const termNumber = remap(
    inputs.map(({ segment }) => segment.terms),
    termList,
  );
  const wordList = unionOf(inputs.map(({ segment }) => segment.words));
  const wordNumber = remap(
    inputs.map(({ segment }) => segment.words),
    wordList,
  );

  // Passage-level arrays, in the new passage order.
  const headingLength = new Uint32Array(passages);
  const textLength = new Uint32Array(passages);
  const titleLength = new Uint32Array(kept.length);
  const storeStarts = new Uint32Array(passages + 1);
  const typeStarts = new Uint32Array(passages + 1);
  const store: number[] = [];
  const types: number[] = [];
  const movedPassages: Passage[] = [];
  const wordCounts = new Uint32Array(wordList.length);
  const pairs: number[] = [];
  const articleWordStarts = new Uint32Array(kept.length + 1);
  for (const [i, { input, article }] of kept.entries()) {
    if (i % 200 === 0) yield;
    const { segment } = inputs[input] as MergeInput;
    const data = segment.data;
    const terms = termNumber[input] as Uint32Array;
    titleLength[i] = data.titleLength[article] ?? 1;
    const stored = [...storedPassagesOf(segment, article)];
    for (let p = data.articleStarts[article] ?? 0, k = 0; p < (data.articleStarts[article + 1] ?? 0); p++, k++) {
      const to = (passageNumber[input] as Int32Array)[p] ?? 0;
      headingLength[to] = data.headingLength[p] ?? 1;
      textLength[to] = data.textLength[p] ?? 1;
      storeStarts[to] = store.length;
      for (let at = data.passageTermStarts[p] ?? 0; at < (data.passageTermStarts[p + 1] ?? 0); at++) {
        const term = data.passageTerms[at] ?? 0;
        store.push(term === 0 ? 0 : (terms[term - 1] ?? 0) + 1);
      }
      typeStarts[to] = types.length;
      for (let at = data.sentenceTypeStarts[p] ?? 0; at < (data.sentenceTypeStarts[p + 1] ?? 0); at++)
        types.push(data.sentenceTypes[at] ?? 0);
      movedPassages.push(stored[k] as Passage);
    }
    articleWordStarts[i] = pairs.length;
    const words = wordNumber[input] as Uint32Array;
    const moved: Array<[number, number]> = [];
    for (let at = data.articleWordStarts[article] ?? 0; at < (data.articleWordStarts[article + 1] ?? 0); at += 2) {
      const word = words[data.articleWords[at] ?? 0] ?? 0;
      const count = data.articleWords[at + 1] ?? 0;
      moved.push([word, count]);
      wordCounts[word] = (wordCounts[word] ?? 0) + count;
    }
    // Word numbers keep their order under the merge: each article's pairs stay sorted.
    for (const [word, count] of moved) pairs.push(word, count);
  }
  storeStarts[passages] = store.length;
  typeStarts[passages] = types.length;
  articleWordStarts[kept.length] = pairs.length;

  // Postings, term by term: each field's entries from every input, renumbered and in order.
  const perTerm: Array<{ title: number[]; heading: number[]; text: number[] }> = termList.map(() => ({
    title: [],
    heading: [],
    text: [],
  }));
  for (const [input, { segment }] of inputs.entries()) {
    const data = segment.data;
    const terms = termNumber[input] as Uint32Array;
    const articles = articleNumber[input] as Int32Array;
    const docs = passageNumber[input] as Int32Array;
    for (let t = 0; t < segment.terms.size; t++) {
      if (t % 2000 === 0) yield;
      const target = perTerm[terms[t] ?? 0] as { title: number[]; heading: number[]; text: number[] };
      let at = data.postingStarts[t] ?? 0;
      for (const [field, numbers] of [
        [target.title, articles],
        [target.heading, docs],
        [target.text, docs],
      ] as const) {
        const count = data.postings[at++] ?? 0;
        for (let i = 0; i < count; i++, at += 2) {
          const to = numbers[data.postings[at] ?? 0] ?? -1;
          if (to >= 0) field.push(to, data.postings[at + 1] ?? 0);
        }
      }
    }
  }
  const termStats = new Uint32Array(termList.length * STATS_PER_TERM);
  const postingStarts = new Uint32Array(termList.length + 1);
  const postings: number[] = [];
  for (const [t, entry] of perTerm.entries()) {
    if (t % 2000 === 0) yield;
    postingStarts[t] = postings.length;
    const title = sortedPairs(entry.title);
    const heading = sortedPairs(entry.heading);
    const text = sortedPairs(entry.text);
    let titled = 0;
    for (let i = 0; i < title.length; i += 2) {
      const a = title[i] ?? 0;
      titled += (articleStarts[a + 1] ?? 0) - (articleStarts[a] ?? 0);
    }
    termStats.set([unionCount(heading, text), titled, heading.length / 2, text.length / 2], t * STATS_PER_TERM);
    for (const field of [title, heading, text]) {
      postings.push(field.length / 2);
      for (const value of field) postings.push(value);
    }
  }
  postingStarts[termList.length] = postings.length;
  yield;

  const articles = kept.map(({ info }) => info);
  // A term or word no kept article has is left out: numbers are given again without them.
  return compacted({
    articles,
    articleStarts,
    passages: passageBlocks(movedPassages, articles),
    terms: tableOf(termList),
    termStats,
    postingStarts,
    postings: Uint32Array.from(postings),
    titleLength,
    headingLength,
    textLength,
    passageTerms: Uint32Array.from(store),
    passageTermStarts: storeStarts,
    sentenceTypes: Uint8Array.from(types),
    sentenceTypeStarts: typeStarts,
    words: tableOf(wordList),
    wordCounts,
    articleWords: Uint32Array.from(pairs),
    articleWordStarts,
  });
}

/** The passages of article `article` of a segment, as stored passages (only those are made). */
function* storedPassagesOf(segment: Segment, article: number): Generator<Passage> {
  const { articleStarts, passages, articles } = segment.data;
  const first = articleStarts[article] ?? 0;
  const end = articleStarts[article + 1] ?? 0;
  const info = articles[article];
  if (!info) return;
  for (let p = first; p < end; p++) {
    const block = passages[Math.floor(p / PASSAGE_BLOCK)];
    if (block) yield new StoredPassage(block, p % PASSAGE_BLOCK, info);
  }
}

/** The sorted union of some tables' strings. */
function unionOf(tables: ReadonlyArray<{ size: number; at(i: number): string }>): string[] {
  const all = new Set<string>();
  for (const table of tables) for (let i = 0; i < table.size; i++) all.add(table.at(i));
  return [...all].sort(byCodeUnits);
}

/** Per table, each string's number in `list` (which holds them all). */
function remap(tables: ReadonlyArray<{ size: number; at(i: number): string }>, list: readonly string[]): Uint32Array[] {
  const number = new Map(list.map((value, i) => [value, i]));
  return tables.map((table) => Uint32Array.from({ length: table.size }, (_, i) => number.get(table.at(i)) ?? 0));
}

/** Flat (number, frequency) pairs sorted by number. */
function sortedPairs(flat: readonly number[]): number[] {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] ?? 0, flat[i + 1] ?? 0]);
  pairs.sort((a, b) => a[0] - b[0]);
  return pairs.flat();
}

/** How many distinct passages two sorted (passage, frequency) lists name between them. */
function unionCount(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  let j = 0;
  let count = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? (a[i] ?? 0) : Infinity;
    const y = j < b.length ? (b[j] ?? 0) : Infinity;
    if (x <= y) i += 2;
    if (y <= x) j += 2;
    count++;
  }
  return count;
}

/**
 * The segment without the terms no passage holds and the words no text has (what deleted articles
 * alone held), every number given again: as a build of the kept articles would number them.
 */
function compacted(data: SegmentData): SegmentData {
  const terms = new Segment(data).terms;
  const keepTerm: number[] = [];
  for (let t = 0; t < terms.size; t++) {
    const at = data.postingStarts[t] ?? 0;
    const titled = data.postings[at] ?? 0;
    if (titled > 0 || (data.termStats[t * STATS_PER_TERM] ?? 0) > 0) keepTerm.push(t);
  }
  const keepWord: number[] = [];
  for (let w = 0; w < data.wordCounts.length; w++) if ((data.wordCounts[w] ?? 0) > 0) keepWord.push(w);
  if (keepTerm.length === terms.size && keepWord.length === data.wordCounts.length) return data;
  const words = new Segment(data).words;
  const newTerm = new Int32Array(terms.size).fill(-1);
  keepTerm.forEach((t, i) => (newTerm[t] = i));
  const newWord = new Int32Array(words.size).fill(-1);
  keepWord.forEach((w, i) => (newWord[w] = i));
  const postingStarts = new Uint32Array(keepTerm.length + 1);
  const postings: number[] = [];
  const termStats = new Uint32Array(keepTerm.length * STATS_PER_TERM);
  keepTerm.forEach((t, i) => {
    postingStarts[i] = postings.length;
    for (let at = data.postingStarts[t] ?? 0; at < (data.postingStarts[t + 1] ?? 0); at++)
      postings.push(data.postings[at] ?? 0);
    termStats.set(data.termStats.subarray(t * STATS_PER_TERM, (t + 1) * STATS_PER_TERM), i * STATS_PER_TERM);
  });
  postingStarts[keepTerm.length] = postings.length;
  const articleWords = data.articleWords.slice();
  for (let at = 0; at < articleWords.length; at += 2) articleWords[at] = newWord[articleWords[at] ?? 0] ?? 0;
  return {
    ...data,
    terms: tableOf(keepTerm.map((t) => terms.at(t))),
    termStats,
    postingStarts,
    postings: Uint32Array.from(postings),
    passageTerms: data.passageTerms.map((term) => (term === 0 ? 0 : (newTerm[term - 1] ?? 0) + 1)),
    words: tableOf(keepWord.map((w) => words.at(w))),
    wordCounts: Uint32Array.from(keepWord, (w) => data.wordCounts[w] ?? 0),
    articleWords,
  };
}
