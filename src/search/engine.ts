import MiniSearch, { type AsPlainObject } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import type { Article } from '../content/article.js';
import { normalizeText } from '../content/normalize.js';
import { analyze, analyzeTerms } from './analyze.js';
import { answerTypesOf, expectedAnswerType, type AnswerType } from './answerType.js';
import { chunkArticle, type Passage } from './chunk.js';
import { planQuery, type QueryPlan, type Vocabulary } from './plan.js';
import { rankCandidates, type ArticleSpan, type Ranked } from './rank.js';
import { TermStore, type TermStoreData } from './termStore.js';

/** Longest question the engine analyses; longer text is refused with a message, not truncated silently. */
export const MAX_QUESTION_LENGTH = 1000;

/**
 * Requests for instructions ("how do I bake bread", "how to fix …"): a news article reports what
 * happened and never answers these, even when it shares a word with them.
 */
const HOW_TO = /^\s*(?:how (?:do|can|could|should|would) (?:i|we|you)\b|how to\b)/i;

/**
 * Most passages (summed over the looked-up terms) BM25 scores for one question. Keeps a query
 * with common words fast over a hundred thousand passages; never binds on small content.
 */
const POSTINGS_BUDGET = 1_500;

/** How many BM25 candidates are re-ranked by term coverage and best sentence. */
const CANDIDATES = 40;

/** One passage that answers a question. */
export interface SearchHit {
  passage: Passage;
  /** Relevance, higher is better; comparable within one response only. */
  score: number;
  /** The words of the question found in the passage, as the user typed them. */
  terms: string[];
  /** The single sentence of the passage that best answers the question. */
  answer: string;
}

/** Why a question got no passages, when it got none. */
export type NoAnswerReason = 'empty' | 'too-long' | 'no-terms' | 'off-topic';

/** The engine's answer to one question: ranked passages, or the reason there are none. */
export interface SearchResponse {
  query: string;
  hits: SearchHit[];
  reason: NoAnswerReason | null;
}

/** A passage as MiniSearch indexes it: each field already analysed, its terms joined by spaces. */
interface IndexedPassage {
  id: number;
  title: string;
  heading: string;
  text: string;
}

/** Bump when analysis or the index layout changes, so older snapshots are rebuilt, not misread. */
export const SNAPSHOT_VERSION = 1;

/** What {@link Engine.toSnapshot} saves. */
interface Snapshot {
  version: number;
  passages: number;
  index: AsPlainObject;
  terms: TermStoreData;
  termCounts: Array<[string, number]>;
  wordCounts: Array<[string, number]>;
}

/** Index fields and their weights: a word of the article's title marks the right article among several. */
const FIELD_BOOSTS = { title: 1.5, heading: 1, text: 1 } as const;

/** BM25 parameters, tuned on the development sets (see bench/README.md): passages are short and even. */
const BM25 = { k: 1.2, b: 0.3, d: 0.5 } as const;

/** MiniSearch over already-analysed fields: terms are joined by spaces and used as they are. */
const INDEX_OPTIONS = {
  fields: ['title', 'heading', 'text'],
  tokenize: splitTerms,
  processTerm: (term: string) => term,
  searchOptions: { tokenize: splitTerms, processTerm: (term: string) => term, boost: FIELD_BOOSTS, bm25: BM25 },
};

/**
 * The question-answering engine over a fixed set of articles: chunks them into passages,
 * indexes the passages with MiniSearch, and answers questions with ranked passages and their
 * best sentence. Immutable once built: to change content, build a new engine and swap it in.
 *
 * @example
 * const engine = Engine.build(articles);
 * engine.search('what did Hegseth say about the cartels?').hits[0]?.answer
 */
export class Engine {
  readonly articles: readonly Article[];
  readonly passages: readonly Passage[];
  private readonly index: MiniSearch<IndexedPassage>;
  private readonly terms: TermStore;
  /** Index terms and words as written, for query planning and suggestions. */
  private readonly vocabulary: Vocabulary;
  /** Per passage, the span of its article's passages. */
  private readonly spans: readonly ArticleSpan[];

  private constructor(articles: readonly Article[], passages: readonly Passage[], index: MiniSearch<IndexedPassage>, terms: TermStore, vocabulary: Vocabulary) {
    this.articles = articles;
    this.passages = passages;
    this.index = index;
    this.terms = terms;
    this.vocabulary = vocabulary;
    const spans: ArticleSpan[] = [];
    for (let first = 0; first < passages.length; ) {
      let last = first;
      while (passages[last + 1]?.article === passages[first]?.article) last++;
      const span = { first, last };
      for (let i = first; i <= last; i++) spans.push(span);
      first = last + 1;
    }
    this.spans = spans;
  }

  /**
   * Builds the passages and the index for `articles`.
   *
   * @example
   * const { articles } = await loadArticles('data');
   * const engine = Engine.build(articles);
   */
  static build(articles: readonly Article[]): Engine {
    const passages = articles.flatMap(chunkArticle);
    const index = new MiniSearch<IndexedPassage>(INDEX_OPTIONS);
    const termCounts = new Map<string, number>();
    const wordCounts = new Map<string, number>();
    const store = new TermStore();
    const headingTerms = new Map<string, string[]>();
    const termsOfHeading = (heading: string): string[] => {
      let terms = headingTerms.get(heading);
      if (!terms) headingTerms.set(heading, (terms = analyzeTerms(heading)));
      return terms;
    };
    // Each sentence is analysed once; the index, the term store and the vocabulary share the
    // result. Passages are added one at a time, so their analysed text never piles up in memory.
    passages.forEach((passage, id) => {
      const heading = termsOfHeading(passage.kind === 'lead' ? passage.article.title : (passage.section ?? ''));
      const sentences = passage.sentences.map((sentence) => {
        const tokens = analyze(sentence);
        for (const token of tokens) wordCounts.set(token.word, (wordCounts.get(token.word) ?? 0) + 1);
        return tokens.map((token) => token.term);
      });
      for (const term of store.add(heading, sentences, passage.sentences.map(answerTypesOf))) termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
      index.add({ id, title: termsOfHeading(passage.article.title).join(' '), heading: heading.join(' '), text: sentences.flat().join(' ') });
    });
    store.compact();
    const vocabulary: Vocabulary = { terms: SearchableMap.from(termCounts), words: SearchableMap.from(wordCounts), passageCount: passages.length };
    return new Engine(articles, passages, index, store, vocabulary);
  }

  /**
   * The built index as a string, to save and load with {@link Engine.fromSnapshot} instead of
   * building again: loading skips analysing every passage, which dominates start-up with
   * thousands of articles.
   */
  toSnapshot(): string {
    const snapshot: Snapshot = {
      version: SNAPSHOT_VERSION,
      passages: this.passages.length,
      index: this.index.toJSON(),
      terms: this.terms.toJSON(),
      termCounts: [...this.vocabulary.terms],
      wordCounts: [...this.vocabulary.words],
    };
    return JSON.stringify(snapshot);
  }

  /**
   * An engine over `articles` from a snapshot of the index built for exactly these articles.
   * Returns `null` when the snapshot does not fit (another engine version, other passages):
   * the caller then builds. The caller checks that the content is the same (see KnowledgeBase).
   */
  static fromSnapshot(articles: readonly Article[], json: string): Engine | null {
    try {
      const snapshot = JSON.parse(json) as Snapshot;
      const passages = articles.flatMap(chunkArticle);
      if (snapshot.version !== SNAPSHOT_VERSION || snapshot.passages !== passages.length) return null;
      const vocabulary: Vocabulary = { terms: SearchableMap.from(snapshot.termCounts), words: SearchableMap.from(snapshot.wordCounts), passageCount: passages.length };
      return new Engine(articles, passages, MiniSearch.loadJS(snapshot.index, INDEX_OPTIONS), TermStore.fromJSON(snapshot.terms), vocabulary);
    } catch {
      // Unreadable or of another shape: build instead.
      return null;
    }
  }

  /**
   * Answers a question with up to `limit` passages, best first, each with its best sentence.
   * Never throws on user text: unusable or off-topic questions get no hits and a `reason`.
   *
   * @example
   * engine.search('Who is Tom Homan?', { limit: 1 }).hits[0]?.passage.section
   * // => 'Diplomatic Tensions and Security Concerns'
   */
  search(question: string, options: { limit?: number } = {}): SearchResponse {
    const query = normalizeText(question).replace(/\s+/g, ' ').trim();
    const limit = Math.max(1, Math.min(options.limit ?? 3, 25));
    if (query === '') return { query, hits: [], reason: 'empty' };
    if (query.length > MAX_QUESTION_LENGTH) return { query, hits: [], reason: 'too-long' };
    const plan = planQuery(analyze(query, { question: true }), this.vocabulary, { partialLastWord: /[\p{L}\p{N}]$/u.test(query) });
    if (plan.terms.length === 0) return { query, hits: [], reason: 'no-terms' };
    if (HOW_TO.test(query)) return { query, hits: [], reason: 'off-topic' };
    const ranked = this.rank(plan, expectedAnswerType(query));
    if (ranked.length === 0) return { query, hits: [], reason: 'off-topic' };
    return { query, hits: ranked.slice(0, limit).map((r) => this.toHit(r, plan)), reason: null };
  }

  /**
   * Completions for a question being typed, from the words of the index: the user's own text
   * first, then the most likely completions of its last word.
   *
   * @example
   * engine.suggest('hegseth opt') // => ['hegseth opt', 'hegseth options', …]
   */
  suggest(partial: string, limit = 10): string[] {
    const text = partial.replace(/\s+/g, ' ').trim().slice(0, 100);
    if (text === '') return [];
    const head = text.slice(0, text.lastIndexOf(' ') + 1);
    const last = suggestionWord(text.slice(head.length));
    const completions = last.length === 0 ? [] : [...this.vocabulary.words.atPrefix(last)].filter(([word]) => word !== last);
    const candidates = completions.length > 0 || last.length < 4 ? completions : [...this.vocabulary.words.fuzzyGet(last, 1)].map(([word, [count]]) => [word, count] as const);
    const suggestions = candidates
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([word]) => `${head}${word}`);
    return [text, ...suggestions].slice(0, limit);
  }

  private rank(plan: QueryPlan, answerType: AnswerType | null): Ranked[] {
    const weights = new Map<string, number>();
    for (const term of plan.terms) for (const alt of term.alternatives) weights.set(alt.term, Math.max(weights.get(alt.term) ?? 0, alt.weight * term.idf));
    // Query planning: BM25 looks up the rarest terms first, as many as fit in a budget of postings.
    // Common terms barely change BM25 but cost the most to score; re-ranking still counts them.
    const byRarity = [...weights.keys()].map((term) => ({ term, df: this.vocabulary.terms.get(term) ?? 0 })).sort((a, b) => a.df - b.df);
    const lookup: string[] = [];
    let postings = 0;
    for (const { term, df } of byRarity) {
      if (lookup.length > 0 && postings + df > POSTINGS_BUDGET) break;
      lookup.push(term);
      postings += df;
    }
    const results = this.index.search(lookup.join(' '), { boostTerm: (term) => weights.get(term) ?? 1 });
    return rankCandidates(
      plan,
      results.slice(0, CANDIDATES).map((result) => ({ id: result.id as number, bm25: result.score })),
      this.terms,
      (id) => this.spans[id] as ArticleSpan,
      answerType,
    );
  }

  private toHit(ranked: Ranked, plan: QueryPlan): SearchHit {
    const passage = this.passages[ranked.id] as Passage;
    return {
      passage,
      score: Math.round(ranked.score * 1000) / 1000,
      terms: plan.terms.filter((_, i) => ranked.matchedTerms[i]).map((t) => t.surface),
      answer: passage.sentences[ranked.bestSentence] ?? passage.text,
    };
  }
}

/** A word as suggestions show it: lowercase, without a possessive. */
function suggestionWord(surface: string): string {
  return normalizeText(surface).toLowerCase().replace(/'s$/, '');
}

function splitTerms(text: string): string[] {
  return text.split(' ');
}
