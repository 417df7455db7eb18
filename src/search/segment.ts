import type { Article, ArticleInfo } from '../content/article.js';
import { analyze, analyzeTerms } from './analyze.js';
import { answerTypesOf } from './answerType.js';
import { blocksOf } from './blocks.js';
import { chunkArticle, type Passage } from './chunk.js';
import type { SegmentTerms } from './features.js';
import type { EngineOptions } from './options.js';
import { toBlock, type PassageBlock } from './storedPassage.js';
import { unpaced } from './pace.js';
import { SortedTable, tableOf, type TableData } from './table.js';

/**
 * The index of some articles as plain data, immutable once built (Lucene's segment): their
 * passages, the sorted table of their terms with each term's statistics and postings, the terms
 * of every passage in text order, and the words as written. Everything is typed arrays and long
 * strings, so a segment crosses threads and fills a file at the speed of copying memory. An engine
 * serves several segments at once and sums their statistics (see `Engine`); two segments are merged
 * into one without analysing any text again (see merge.ts).
 *
 * Fields follow MiniSearch 7's definitions, so scores are exactly its BM25 (tests/search/postings.test.ts):
 * each passage is a document of three fields, its article's title, its heading (the title again for
 * the lead) and its text; a field's length is its number of distinct terms, 1 when it has none.
 */
export interface SegmentData {
  /** The articles, in canonical order (see {@link compareArticles}), without their sections: the passages hold that text. */
  articles: ArticleInfo[];
  /** Where each article's passages start; entry `articles.length` is the number of passages. */
  articleStarts: Uint32Array;
  /** The passages, article by article, in blocks of {@link PASSAGE_BLOCK}. */
  passages: PassageBlock[];
  /** The terms, sorted; a term's number is its place in the table. */
  terms: TableData;
  /**
   * {@link TERM_STATS} numbers per term: the passages holding it (heading or text), and the
   * passages holding it in their title, heading and text fields.
   */
  termStats: Uint32Array;
  /** Where each term's postings start in `postings`; entry `terms` is where they end. */
  postingStarts: Uint32Array;
  /**
   * Per term: the number of articles with it in their title, then (article, frequency) pairs; the
   * number of passages with it in their heading, then (passage, frequency) pairs; the same for the
   * text. Articles and passages by number in this segment, increasing.
   */
  postings: Uint32Array;
  /** Per article, its title field's length. */
  titleLength: Uint32Array;
  /** Per passage, its heading field's and its text field's length. */
  headingLength: Uint32Array;
  textLength: Uint32Array;
  /**
   * Per passage, its terms in text order, as term number + 1: the heading's, then each sentence's,
   * each followed by a 0; and the answer-type flags of each sentence (see `answerTypesOf`).
   */
  passageTerms: Uint32Array;
  passageTermStarts: Uint32Array;
  sentenceTypes: Uint8Array;
  sentenceTypeStarts: Uint32Array;
  /** The words of the passages' text as written (lowercase), sorted, and how often each occurs. */
  words: TableData;
  wordCounts: Uint32Array;
  /** Per article, (word number, occurrences) pairs, so removing it takes exactly its words away. */
  articleWords: Uint32Array;
  articleWordStarts: Uint32Array;
}

/** The statistics {@link SegmentData.termStats} keeps per term, in order. */
export const TERM_STATS = ['passages', 'title', 'heading', 'text'] as const;
/** How many numbers each term has in {@link SegmentData.termStats}. */
export const STATS_PER_TERM = TERM_STATS.length;
/** The fields of a passage, in the order their scores are added up. */
export const FIELDS = ['title', 'heading', 'text'] as const;

/** Passages per {@link PassageBlock}: a few hundred kilobytes of text. */
export const PASSAGE_BLOCK = 2500;

/** Slugs indexed per step of {@link Segment.numbering}. */
const NUMBERING_STEP = 4096;

/**
 * The canonical order of articles: the content directory's before imports, then by slug. Every
 * index orders articles this way, and ties between equal scores are broken by it, so two indexes
 * of the same articles answer alike however they were reached (one build, or many changes).
 */
export function compareArticles(
  a: Pick<ArticleInfo, 'origin' | 'slug'>,
  b: Pick<ArticleInfo, 'origin' | 'slug'>,
): number {
  if (a.origin !== b.origin) return a.origin === 'data' ? -1 : 1;
  return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
}

/** A passage as the index analyses it: its terms per field and its sentences' tokens. */
export interface AnalysedPassage {
  passage: Passage;
  /** The terms of its heading: the article's title for the lead, else its section's heading. */
  heading: string[];
  /** Each sentence's terms. */
  terms: string[][];
  /** Each sentence's words as written (lowercase), for typo correction and completion. */
  words: string[][];
}

/**
 * The passages of `articles` (taken in the order given), each analysed once: its heading and its
 * sentences. One at a time, so their analysed text never piles up in memory.
 */
export function* analysedPassages(articles: readonly Article[], options: EngineOptions): Generator<AnalysedPassage> {
  const headingTerms = new Map<string, string[]>();
  const termsOfHeading = (heading: string): string[] => {
    let terms = headingTerms.get(heading);
    if (!terms) headingTerms.set(heading, (terms = analyzeTerms(heading)));
    return terms;
  };
  for (const article of articles) {
    for (const passage of chunkArticle(article, options.passages)) {
      const heading = termsOfHeading(passage.kind === 'lead' ? article.title : (passage.section ?? ''));
      const tokens = passage.sentences.map((sentence) => analyze(sentence));
      yield {
        passage,
        heading,
        terms: tokens.map((sentence) => sentence.map((token) => token.term)),
        words: tokens.map((sentence) => sentence.map((token) => token.word)),
      };
    }
    headingTerms.clear();
  }
}

/**
 * A field's length as MiniSearch counts it: the distinct tokens of its terms joined by spaces, so
 * a field without terms (one empty token) counts 1.
 */
export function fieldLength(terms: readonly string[]): number {
  return terms.length === 0 ? 1 : new Set(terms).size;
}

/** How often each term occurs in `terms`, in order of first occurrence. */
function frequencies(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/** One term's postings while a segment is being built: flat (number, frequency) pairs per field. */
interface Gathering {
  title: number[];
  heading: number[];
  text: number[];
  passages: number;
}

/**
 * Builds the segment of `articles`: chunks and analyses them (in canonical order, whatever order
 * they come in) and indexes every passage. For a worker thread: analysis is most of the work.
 *
 * @example
 * const segment = buildSegment(articles, DEFAULT_OPTIONS);
 */
export function buildSegment(articles: readonly Article[], options: EngineOptions): SegmentData {
  const sorted = [...articles].sort(compareArticles);
  const gathered = new Map<string, Gathering>();
  const gather = (term: string): Gathering => {
    let entry = gathered.get(term);
    if (!entry) gathered.set(term, (entry = { title: [], heading: [], text: [], passages: 0 }));
    return entry;
  };
  const articleStarts = new Uint32Array(sorted.length + 1);
  const titleLength = new Uint32Array(sorted.length);
  const passages: Passage[] = [];
  const headingLength: number[] = [];
  const textLength: number[] = [];
  const passageTerms: string[][] = [];
  const types: number[][] = [];
  const wordCounts = new Map<string, number>();
  const articleWords: Array<Map<string, number>> = [];

  sorted.forEach((article, a) => {
    const title = analyzeTerms(article.title);
    titleLength[a] = fieldLength(title);
    for (const [term, count] of frequencies(title)) gather(term).title.push(a, count);
    articleStarts[a] = passages.length;
    const words = new Map<string, number>();
    for (const { passage, heading, terms, words: sentences } of analysedPassages([article], options)) {
      const doc = passages.length;
      passages.push(passage);
      const text = terms.flat();
      headingLength.push(fieldLength(heading));
      textLength.push(fieldLength(text));
      const headingCounts = frequencies(heading);
      const textCounts = frequencies(text);
      for (const [term, count] of headingCounts) gather(term).heading.push(doc, count);
      for (const [term, count] of textCounts) gather(term).text.push(doc, count);
      for (const term of new Set([...headingCounts.keys(), ...textCounts.keys()])) gather(term).passages++;
      passageTerms.push([...heading, '', ...terms.flatMap((sentence) => [...sentence, ''])]);
      types.push(passage.sentences.map(answerTypesOf));
      for (const sentence of sentences)
        for (const word of sentence) {
          words.set(word, (words.get(word) ?? 0) + 1);
          wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
        }
    }
    articleWords.push(words);
  });
  articleStarts[sorted.length] = passages.length;

  const termList = [...gathered.keys()].sort(byCodeUnits);
  const numberOf = new Map(termList.map((term, i) => [term, i]));
  const termStats = new Uint32Array(termList.length * STATS_PER_TERM);
  const postingStarts = new Uint32Array(termList.length + 1);
  const postings: number[] = [];
  termList.forEach((term, t) => {
    const entry = gathered.get(term) as Gathering;
    postingStarts[t] = postings.length;
    let titled = 0;
    for (let i = 0; i < entry.title.length; i += 2) {
      const a = entry.title[i] ?? 0;
      titled += (articleStarts[a + 1] ?? 0) - (articleStarts[a] ?? 0);
    }
    termStats.set([entry.passages, titled, entry.heading.length / 2, entry.text.length / 2], t * STATS_PER_TERM);
    for (const field of [entry.title, entry.heading, entry.text]) {
      postings.push(field.length / 2);
      for (const value of field) postings.push(value);
    }
  });
  postingStarts[termList.length] = postings.length;

  const storeData: number[] = [];
  const storeStarts = new Uint32Array(passages.length + 1);
  passageTerms.forEach((terms, p) => {
    storeStarts[p] = storeData.length;
    for (const term of terms) storeData.push(term === '' ? 0 : (numberOf.get(term) ?? 0) + 1);
  });
  storeStarts[passages.length] = storeData.length;
  const typeStarts = new Uint32Array(passages.length + 1);
  let typeCount = 0;
  types.forEach((flags, p) => {
    typeStarts[p] = typeCount;
    typeCount += flags.length;
  });
  typeStarts[passages.length] = typeCount;

  const wordList = [...wordCounts.keys()].sort(byCodeUnits);
  const wordNumber = new Map(wordList.map((word, i) => [word, i]));
  const pairs: number[] = [];
  const articleWordStarts = new Uint32Array(sorted.length + 1);
  articleWords.forEach((words, a) => {
    articleWordStarts[a] = pairs.length;
    for (const [word, count] of [...words].sort((x, y) => byCodeUnits(x[0], y[0])))
      pairs.push(wordNumber.get(word) ?? 0, count);
  });
  articleWordStarts[sorted.length] = pairs.length;

  return {
    articles: sorted.map(({ sections: _sections, ...info }) => info),
    articleStarts,
    passages: passageBlocks(passages, sorted),
    terms: tableOf(termList),
    termStats,
    postingStarts,
    postings: Uint32Array.from(postings),
    titleLength,
    headingLength: Uint32Array.from(headingLength),
    textLength: Uint32Array.from(textLength),
    passageTerms: Uint32Array.from(storeData),
    passageTermStarts: storeStarts,
    sentenceTypes: Uint8Array.from(types.flat()),
    sentenceTypeStarts: typeStarts,
    words: tableOf(wordList),
    wordCounts: Uint32Array.from(wordList, (word) => wordCounts.get(word) ?? 0),
    articleWords: Uint32Array.from(pairs),
    articleWordStarts,
  };
}

/** Passages in blocks of {@link PASSAGE_BLOCK}, each naming its article by its place in `articles`. */
export function passageBlocks(passages: readonly Passage[], articles: readonly ArticleInfo[]): PassageBlock[] {
  const position = new Map<ArticleInfo, number>(articles.map((article, i) => [article, i]));
  return blocksOf(passages, PASSAGE_BLOCK).map((block) =>
    toBlock(block, (passage) => position.get(passage.article) ?? -1),
  );
}

/** Orders strings by UTF-16 code units, as `<` and {@link SortedTable} do. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A segment with its tables ready for look-ups, and its passages' terms as matching reads them
 * (see `SegmentTerms`): term numbers are the segment's own.
 */
export class Segment implements SegmentTerms {
  readonly data: SegmentData;
  readonly terms: SortedTable;
  readonly words: SortedTable;

  constructor(data: SegmentData) {
    this.data = data;
    this.terms = new SortedTable(data.terms);
    this.words = new SortedTable(data.words);
  }

  get passageCount(): number {
    return this.data.articleStarts[this.data.articles.length] ?? 0;
  }

  idOf(term: string): number | undefined {
    const t = this.terms.indexOf(term);
    return t < 0 ? undefined : t + 1;
  }

  forEachTerm(first: number, last: number, visit: (term: number, sentence: number, position: number) => void): void {
    const { passageTerms, passageTermStarts } = this.data;
    for (let passage = first; passage <= last; passage++) {
      let sentence = -1;
      let position = 0;
      for (let i = passageTermStarts[passage] ?? 0; i < (passageTermStarts[passage + 1] ?? 0); i++) {
        const term = passageTerms[i] ?? 0;
        if (term === 0) {
          sentence++;
          position = 0;
        } else visit(term, sentence, position++);
      }
    }
  }

  /** The terms of sentence `sentence` of passage `passage` (-1 for its heading). */
  sentenceTerms(passage: number, sentence: number): Set<string> {
    const { passageTerms, passageTermStarts } = this.data;
    const end = passageTermStarts[passage + 1] ?? 0;
    let at = passageTermStarts[passage] ?? 0;
    for (let skip = sentence + 1; skip > 0 && at < end; at++) if (passageTerms[at] === 0) skip--;
    const terms = new Set<string>();
    for (; at < end && passageTerms[at] !== 0; at++) terms.add(this.terms.at((passageTerms[at] ?? 1) - 1));
    return terms;
  }

  /** The answer-type flags of each sentence of passage `passage`. */
  sentenceTypes(passage: number): Uint8Array {
    const { sentenceTypes, sentenceTypeStarts } = this.data;
    return sentenceTypes.subarray(sentenceTypeStarts[passage] ?? 0, sentenceTypeStarts[passage + 1] ?? 0);
  }

  /** The number of the article `slug` in this segment, or −1; the first call makes the index of slugs (see {@link numbering}). */
  articleNumber(slug: string): number {
    if (!this.#numbers) unpaced(this.numbering());
    return this.#numbers?.get(slug) ?? -1;
  }

  /**
   * Makes the index of slugs {@link articleNumber} reads, as steps (run them with `paced`), unless
   * it is made: an engine makes it while it is put together, so no question waits for it (20,000
   * articles take a few milliseconds more than a step may).
   */
  *numbering(): Generator<void, void> {
    if (this.#numbers) return;
    const numbers = new Map<string, number>();
    for (const [a, article] of this.data.articles.entries()) {
      numbers.set(article.slug, a);
      if (a % NUMBERING_STEP === NUMBERING_STEP - 1) yield;
    }
    this.#numbers = numbers;
  }

  #numbers: Map<string, number> | null = null;

  /** The article (by number in this segment) a passage belongs to. */
  articleOf(passage: number): number {
    const starts = this.data.articleStarts;
    let lo = 0;
    let hi = this.data.articles.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] ?? 0) <= passage) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
