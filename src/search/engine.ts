import MiniSearch from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import type { Article, ArticleInfo } from '../content/article.js';
import { normalizeText } from '../content/normalize.js';
import { aboutQuestion, answerAbout, type AboutKind } from './about.js';
import { analyze, analyzeTerms, type Token } from './analyze.js';
import { answerTypesOf, expectedAnswerType } from './answerType.js';
import { blocksOf } from './blocks.js';
import { chunkArticle, type Passage } from './chunk.js';
import { questionMatcher } from './features.js';
import { indexToData, type IndexData } from './indexData.js';
import type { Lexicon } from './lexicon.js';
import { questionForm } from './questionForm.js';
import type { RankModel } from './model.js';
import { DEFAULT_MODEL } from './defaultModel.js';
import { DEFAULT_OPTIONS, resolveOptions, type EngineOptions, type PartialOptions } from './options.js';
import { paced, unpaced, type Pause } from './pace.js';
import { planQuery, type PlanContext, type QueryPlan, type Vocabulary } from './plan.js';
import { Postings } from './postings.js';
import { rankCandidates, type PassageInfo, type RankResult, type Ranked } from './rank.js';
import { storedPassages, toBlock, type PassageBlock } from './storedPassage.js';
import type { Reader } from './reader.js';
import {
  factoidKind,
  questionFocus,
  shortAnswer,
  shortCandidates,
  type QuestionKind,
  type ShortCandidate,
} from './shortAnswer.js';
import { centralSentences } from './summary.js';
import { TermStore, type TermStoreData } from './termStore.js';

/** One passage that answers a question. */
export interface SearchHit {
  passage: Passage;
  /** Relevance, higher is better; comparable within one response only. */
  score: number;
  /** The words of the question found in the passage, as the user typed them. */
  terms: string[];
  /** The single sentence of the passage that best answers the question. */
  answer: string;
  /**
   * For a factoid question answered with confidence, the exact phrase of the passage that answers it
   * ("six", "Tom Homan"), when the engine is sure of it too; else `null`. Only the first hit has one.
   */
  short: string | null;
}

/** Longest question the engine analyses by default; front doors use it as their input limit. */
export const MAX_QUESTION_LENGTH = DEFAULT_OPTIONS.maxQuestionLength;
/** Most passages one answer gives by default; front doors use it as their limit's maximum. */
export const MAX_PASSAGES = DEFAULT_OPTIONS.maxPassages;
/** Passages an answer gives by default. */
export const ANSWER_PASSAGES = DEFAULT_OPTIONS.answerPassages;

/** Why a question got no passages, when it got none. */
export type NoAnswerReason = 'empty' | 'too-long' | 'no-terms' | 'off-topic';

/**
 * How sure the engine is of an answer: `high`, the best passage very likely answers it; `low`, it is
 * the closest the content has, but may not answer it.
 */
export type Confidence = 'high' | 'low';

/** The engine's answer to one question: ranked passages, or the reason there are none. */
export interface SearchResponse {
  query: string;
  hits: SearchHit[];
  reason: NoAnswerReason | null;
  /** With hits: how sure the engine is that the first one answers the question; `null` without hits. */
  confidence: Confidence | null;
  /** Set when the question is about the article itself (its gist, date, sources…): the hits answer from its front matter. */
  about: AboutKind | null;
  /** Which article a question about "the article" was read as being about, when several are loaded and it named one. */
  chosenArticle: string | null;
}

/** What an engine is built with besides the articles. */
export interface EngineResources {
  /** English word knowledge (WordNet, word frequencies), loaded by `src/language`. */
  lexicon: Lexicon;
  /** The learned relevance model; the one in `model.json` by default. */
  model?: RankModel;
  /** Reads candidate short answers out of sentences (`src/language/reader.ts`); without one, no short answers. */
  reader?: Reader;
  /** Any option to change from {@link DEFAULT_OPTIONS}. */
  options?: PartialOptions;
}

/** What an engine assembled from prepared data needs: its options come with the data. */
export type AssemblyResources = Omit<EngineResources, 'options'>;

/** A passage as MiniSearch indexes it: each field already analysed, its terms joined by spaces. */
export interface IndexedPassage {
  id: number;
  title: string;
  heading: string;
  text: string;
}

/**
 * The version of what {@link Engine.prepare} makes: bump it whenever analysis, the default options
 * or the layout of {@link EngineData} change, so that saved snapshots are rebuilt, not misread.
 * `tests/search/indexFormat.test.ts` fails when the prepared data changes without a bump.
 */
export const INDEX_FORMAT = 9;

/**
 * A built index as plain data: what a worker thread builds and posts, and what a snapshot saves.
 * Everything in it survives structured cloning, so it crosses threads and `v8.serialize` as it is.
 */
export interface EngineData {
  /** What it was prepared with, and what the engine assembled from it serves with. */
  options: EngineOptions;
  /** Without their sections: the passages hold that text. */
  articles: ArticleInfo[];
  /** In blocks of {@link PASSAGE_BLOCK}, so no step handles them all at once. */
  passages: PassageBlock[];
  /** Per article, the analysed terms of its title. */
  titleTerms: string[][];
  index: IndexData;
  terms: TermStoreData;
  termCounts: Array<[string, number]>;
  wordCounts: Array<[string, number]>;
}

/**
 * MiniSearch over already-analysed fields: terms are joined by spaces and used as they are. Its
 * search options are those {@link Postings} scores with, so a plain MiniSearch built with these
 * options searches as the engine does (the equivalence test builds one).
 *
 * @example
 * const plain = new MiniSearch(indexOptions(DEFAULT_OPTIONS));
 * plain.addAll([...analysedPassages(articles, DEFAULT_OPTIONS)].map((analysed) => analysed.document));
 */
export function indexOptions(options: EngineOptions): ConstructorParameters<typeof MiniSearch<IndexedPassage>>[0] {
  return {
    fields: ['title', 'heading', 'text'],
    tokenize: splitTerms,
    processTerm: (term: string) => term,
    searchOptions: {
      tokenize: splitTerms,
      processTerm: (term: string) => term,
      boost: { ...options.fieldBoosts },
      bm25: { ...options.bm25 },
    },
  };
}

/** One question as the engine sees it while ranking, for training and for explaining answers. */
export interface Explanation {
  plan: QueryPlan;
  result: RankResult;
}

/**
 * The question-answering engine over a fixed set of articles: chunks them into passages, indexes
 * the passages with MiniSearch, takes BM25's candidates from the postings ({@link Postings}), ranks
 * them with a learned model and decides whether the content covers the question at all. Immutable once built: to change content, build a new engine
 * and swap it in.
 *
 * @example
 * const engine = Engine.build(articles, { lexicon: loadLexicon() });
 * engine.search('what did Hegseth say about the cartels?').hits[0]?.answer
 */
export class Engine {
  readonly articles: readonly ArticleInfo[];
  readonly passages: readonly Passage[];
  readonly options: EngineOptions;
  private readonly postings: Postings;
  private readonly terms: TermStore;
  private readonly model: RankModel;
  private readonly reader: Reader | null;
  private readonly plan: PlanContext;
  /** Per passage, the span of its article's passages: first at `2 × passage`, last right after. */
  private readonly spans: Uint32Array;
  /** Per article, the terms of its title. */
  private readonly titleTerms: ReadonlyMap<ArticleInfo, ReadonlySet<string>>;
  /** Per article, its first and last passage; found when first asked for. */
  private ranges: Map<ArticleInfo, readonly [first: number, last: number]> | null = null;
  /** Summaries made so far, by article (each is made from its passages when first asked for). */
  private readonly summaries = new Map<ArticleInfo, string[]>();

  private constructor(
    articles: readonly ArticleInfo[],
    passages: readonly Passage[],
    postings: Postings,
    terms: TermStore,
    vocabulary: Vocabulary,
    resources: AssemblyResources,
    options: EngineOptions,
    titleTerms: ReadonlyArray<readonly string[]>,
  ) {
    this.articles = articles;
    this.passages = passages;
    this.options = options;
    this.postings = postings;
    this.terms = terms;
    this.model = resources.model ?? DEFAULT_MODEL;
    this.reader = resources.reader ?? null;
    this.plan = { vocabulary, lexicon: resources.lexicon, options };
    // As (first, last) pairs: two numbers per passage, no object.
    const spans = new Uint32Array(passages.length * 2);
    for (let first = 0; first < passages.length;) {
      let last = first;
      while (passages[last + 1]?.article === passages[first]?.article) last++;
      for (let i = first; i <= last; i++) {
        spans[i * 2] = first;
        spans[i * 2 + 1] = last;
      }
      first = last + 1;
    }
    this.spans = spans;
    this.titleTerms = new Map(articles.map((article, i) => [article, new Set(titleTerms[i])]));
  }

  /**
   * Builds the passages and the index for `articles`.
   *
   * @example
   * const { articles } = await loadArticles('data');
   * const engine = Engine.build(articles, { lexicon: loadLexicon() });
   */
  static build(articles: readonly Article[], resources: EngineResources): Engine {
    const options = resolveOptions(resources.options);
    const built = buildParts(articles, options);
    const vocabulary: Vocabulary = {
      terms: unpaced(countsMap(built.termCounts)),
      words: unpaced(countsMap(built.wordCounts)),
      passageCount: built.passages.length,
    };
    // Scored from the same data as an assembled engine, so both answer alike.
    const postings = unpaced(Postings.load(indexToData(built.index as MiniSearch<unknown>), options));
    return new Engine(
      articles,
      built.passages,
      postings,
      built.store,
      vocabulary,
      resources,
      options,
      built.titleTerms,
    );
  }

  /**
   * Builds the index for `articles` as plain data, to post from a worker thread or save as a
   * snapshot, and turn into an engine with {@link Engine.assemble}.
   *
   * @example
   * const data = Engine.prepare(articles); // in a worker
   * const engine = await Engine.assemble(data, { lexicon }, pause); // on the main thread
   */
  static prepare(articles: readonly Article[], options?: PartialOptions): EngineData {
    const resolved = resolveOptions(options);
    const built = buildParts(articles, resolved);
    const position = new Map<ArticleInfo, number>(articles.map((article, i) => [article, i]));
    return {
      options: resolved,
      articles: articles.map(({ sections: _sections, ...info }) => info),
      passages: blocksOf(built.passages, PASSAGE_BLOCK).map((block) =>
        toBlock(block, (passage) => position.get(passage.article) ?? -1),
      ),
      titleTerms: built.titleTerms,
      index: indexToData(built.index as MiniSearch<unknown>),
      terms: built.store.toData(),
      termCounts: [...built.termCounts],
      wordCounts: [...built.wordCounts],
    };
  }

  /**
   * An engine from {@link Engine.prepare}'s data (serving with the options it was prepared with),
   * assembled an item at a time: `pause` is asked after each, so a thread that keeps answering
   * questions meanwhile never stalls for longer than its time budget. Whether saved data is still
   * usable is the snapshot's check (src/library/snapshot.ts), made before.
   *
   * @example
   * const engine = await Engine.assemble(collector.result(), { lexicon }, pause);
   */
  static assemble(data: EngineData, resources: AssemblyResources, pause: Pause): Promise<Engine> {
    return paced(Engine.assembling(data, resources), pause);
  }

  /** {@link Engine.assemble}'s steps. */
  private static *assembling(data: EngineData, resources: AssemblyResources): Generator<void, Engine> {
    const passages: Passage[] = [];
    for (const block of data.passages)
      for (const passage of storedPassages(block, data.articles)) {
        passages.push(passage);
        yield;
      }
    const postings = yield* Postings.load(data.index, data.options);
    const vocabulary: Vocabulary = {
      terms: yield* countsMap(data.termCounts),
      words: yield* countsMap(data.wordCounts),
      passageCount: passages.length,
    };
    const store = yield* TermStore.load(data.terms);
    return new Engine(data.articles, passages, postings, store, vocabulary, resources, data.options, data.titleTerms);
  }

  /**
   * Answers a question with up to `limit` passages, best first, each with its best sentence.
   * Questions about the article itself ("when was it published?", "summarize the article") are
   * answered from its front matter, lead and insights. Never throws on user text: unusable or
   * off-topic questions get no hits and a `reason`.
   *
   * @example
   * engine.search('Who is Tom Homan?', { limit: 1 }).hits[0]?.passage.section
   * // => 'Diplomatic Tensions and Security Concerns'
   */
  search(question: string, options: { limit?: number } = {}): SearchResponse {
    // Measured as given before any work on it, and again once normalised (NFKC can make one
    // character eighteen), so no question costs more than the longest one allowed.
    const { maxQuestionLength } = this.options;
    const overlong = question.length > maxQuestionLength;
    const query = overlong ? '' : normalizeText(question).replace(/\s+/g, ' ').trim();
    const limit = Math.max(1, Math.min(options.limit ?? this.options.answerPassages, this.options.maxPassages));
    const none = (reason: NoAnswerReason): SearchResponse => ({
      query,
      hits: [],
      reason,
      confidence: null,
      about: null,
      chosenArticle: null,
    });
    if (overlong || query.length > maxQuestionLength)
      return { ...none('too-long'), query: query.slice(0, maxQuestionLength) };
    if (query === '') return none('empty');
    const about = aboutQuestion(query);
    if (about && this.articles.length > 0) return this.answerAbout(query, about.kind, about.rest, limit);
    const explained = this.explain(query);
    if (explained.plan.terms.length === 0) return none('no-terms');
    const { confidence } = explained.result;
    const { refuse, confident } = this.model.decision;
    if (confidence < refuse) return none('off-topic');
    const hits = explained.result.ranked.slice(0, limit).map((r) => this.toHit(r, explained.plan));
    const first = hits[0];
    const high = confidence >= confident;
    // Only an answer the engine is sure of gets a short answer: a wrong one is worse than none.
    const short = high ? this.shortCandidates(query, explained) : null;
    if (first && short) first.short = shortAnswer(short.kind, short.candidates, this.model.short, confidence);
    return { query, hits, reason: null, confidence: high ? 'high' : 'low', about: null, chosenArticle: null };
  }

  /**
   * How the engine reads a question: its plan, every candidate's features and score, and the
   * probability that the best passage answers it. `npm run train` fits the model on these.
   */
  explain(question: string): Explanation {
    const query = normalizeText(question).replace(/\s+/g, ' ').trim();
    const plan = planQuery(analyze(query, { question: true }), this.plan, {
      partialLastWord: /[\p{L}\p{N}]$/u.test(query),
    });
    const empty: RankResult = { ranked: [], confidence: 0, decisionFeatures: [] };
    if (plan.terms.length === 0) return { plan, result: empty };
    const matcher = questionMatcher(plan, this.terms, expectedAnswerType(query), questionForm(query));
    const candidates = this.candidates(plan);
    if (candidates.length === 0) return { plan, result: empty };
    return {
      plan,
      result: rankCandidates(
        matcher,
        candidates,
        this.terms,
        (id) => this.infoOf(id, plan),
        this.model,
        this.options.proximity,
      ),
    };
  }

  /**
   * The candidate short answers of a factoid question in its best passage's best sentence and that
   * sentence's neighbour (see shortAnswer.ts); `null` for a question that asks for no single phrase,
   * or without a reader. For search, and for `npm run train` to fit the short-answer model on.
   */
  shortCandidates(query: string, explained: Explanation): { kind: QuestionKind; candidates: ShortCandidate[] } | null {
    const kind = factoidKind(query);
    const best = explained.result.ranked[0];
    if (kind === null || !best || !this.reader) return null;
    const { sentences } = this.passages[best.id] as Passage;
    const at = best.bestSentence;
    const neighbour = at + 1 < sentences.length ? at + 1 : at - 1;
    const read = [sentences[at] ?? '', ...(neighbour >= 0 && neighbour !== at ? [sentences[neighbour] ?? ''] : [])];
    const terms = new Map<string, number>();
    for (const term of explained.plan.terms)
      for (const alt of term.alternatives) terms.set(alt.term, Math.max(terms.get(alt.term) ?? 0, term.idf));
    const question = { terms, focus: questionFocus(query) };
    return { kind, candidates: shortCandidates(kind, question, read, this.reader, this.plan.lexicon) };
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
    const { words } = this.plan.vocabulary;
    const completions = last.length === 0 ? [] : [...words.atPrefix(last)].filter(([word]) => word !== last);
    const candidates =
      completions.length > 0 || last.length < 4
        ? completions
        : [...words.fuzzyGet(last, 1)].map(([word, [count]]) => [word, count] as const);
    const suggestions = candidates
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([word]) => `${head}${word}`);
    return [text, ...suggestions].slice(0, limit);
  }

  /**
   * How many passages an article has (0 for one this engine does not serve).
   *
   * @example
   * engine.passageCount(engine.articles[0]) // => 14
   */
  passageCount(article: ArticleInfo): number {
    const range = this.rangeOf(article);
    return range ? range[1] - range[0] + 1 : 0;
  }

  /**
   * An extractive summary of an article: its 3–5 most central sentences, in article order, by
   * TextRank over its lead and paragraphs (see summary.ts). For articles that list no key insights
   * (imported stories); made when first asked for, then kept.
   *
   * @example
   * engine.summary(engine.articles[0]) // => ['LONDON - After nearly 20 years …', …]
   */
  summary(article: ArticleInfo): string[] {
    const known = this.summaries.get(article);
    if (known) return known;
    const range = this.rangeOf(article);
    const sentences: string[] = [];
    const terms: number[][] = [];
    const seen = new Set<string>();
    for (let id = range?.[0] ?? 0; range && id <= range[1]; id++) {
      const passage = this.passages[id] as Passage;
      if (passage.kind !== 'lead' && passage.kind !== 'paragraph') continue;
      const own: number[][] = passage.sentences.map(() => []);
      this.terms.forEachTerm(id, id, (term, sentence) => {
        if (sentence >= 0) own[sentence]?.push(term);
      });
      // Windows of a long paragraph share a sentence: each sentence counts once.
      passage.sentences.forEach((sentence, i) => {
        if (seen.has(sentence)) return;
        seen.add(sentence);
        sentences.push(sentence);
        terms.push(own[i] ?? []);
      });
    }
    const picked = centralSentences(terms, this.options.summary).map((i) => sentences[i] ?? '');
    if (this.summaries.size >= SUMMARIES_KEPT) this.summaries.clear();
    this.summaries.set(article, picked);
    return picked;
  }

  /** The first and last passage of an article. */
  private rangeOf(article: ArticleInfo): readonly [number, number] | undefined {
    if (this.ranges === null) {
      const ranges = new Map<ArticleInfo, readonly [number, number]>();
      for (let first = 0; first < this.passages.length;) {
        const last = this.spans[first * 2 + 1] ?? first;
        const passage = this.passages[first];
        if (passage) ranges.set(passage.article, [first, last]);
        first = last + 1;
      }
      this.ranges = ranges;
    }
    return this.ranges.get(article);
  }

  /** BM25 candidates ({@link Postings}): the rarest terms first, as many as fit in the postings budget. */
  private candidates(plan: QueryPlan): Array<{ id: number; bm25: number }> {
    const weights = new Map<string, number>();
    for (const term of plan.terms)
      for (const alt of term.alternatives)
        weights.set(alt.term, Math.max(weights.get(alt.term) ?? 0, alt.weight * term.idf));
    // Common terms barely change BM25 but cost the most to score; re-ranking still counts them.
    const byRarity = [...weights.keys()]
      .map((term) => ({ term, df: this.plan.vocabulary.terms.get(term) ?? 0 }))
      .sort((a, b) => a.df - b.df);
    const lookup: string[] = [];
    let postings = 0;
    for (const { term, df } of byRarity) {
      if (lookup.length > 0 && postings + df > this.options.postingsBudget) break;
      lookup.push(term);
      postings += df;
    }
    if (lookup.length === 0) return [];
    const boosts = lookup.map((term) => weights.get(term) ?? 1);
    return this.postings.search(lookup, boosts).map((found) => ({ id: found.id, bm25: found.score }));
  }

  private infoOf(id: number, plan: QueryPlan): PassageInfo {
    const passage = this.passages[id] as Passage;
    const span = { first: this.spans[id * 2] ?? id, last: this.spans[id * 2 + 1] ?? id };
    const title = this.titleTerms.get(passage.article) ?? new Set<string>();
    let inTitle = 0;
    for (const term of plan.terms) {
      let best = 0;
      for (const alt of term.alternatives) if (title.has(alt.term)) best = Math.max(best, alt.weight);
      inTitle += best * term.idf;
    }
    return {
      first: span.first,
      last: span.last,
      lead: passage.kind === 'lead',
      title: plan.totalIdf > 0 ? inTitle / plan.totalIdf : 0,
      paragraph: passage.paragraph,
    };
  }

  /** Answers a question about the article itself: for the one it names, else for each loaded (up to `limit`). */
  private answerAbout(query: string, kind: AboutKind, rest: readonly string[], limit: number): SearchResponse {
    const named = rest.length === 0 ? [] : this.articlesNamed(rest);
    const articles = named.length === 1 ? named : this.articles.slice(0, limit);
    const hits = articles.map((article): SearchHit => {
      const lead = this.passages.find((p) => p.article === article && p.kind === 'lead') ?? {
        text: article.title,
        sentences: [article.title],
      };
      const about = answerAbout(kind, article, lead, () => this.summary(article));
      return {
        passage: {
          id: `${article.slug}#about-${kind}`,
          article,
          section: 'About this article',
          kind: 'about',
          position: -1,
          paragraph: -1,
          text: about.text,
          sentences: [about.answer],
        },
        score: 1,
        terms: [],
        answer: about.answer,
        short: null,
      };
    });
    return {
      query,
      hits,
      reason: null,
      // Read from the front matter: nothing to doubt.
      confidence: 'high',
      about: kind,
      chosenArticle: named.length === 1 && this.articles.length > 1 ? (named[0]?.title ?? null) : null,
    };
  }

  /** The articles whose title holds the most of `terms` (several when they tie). */
  private articlesNamed(terms: readonly string[]): ArticleInfo[] {
    let best: ArticleInfo[] = [];
    let bestCount = 0;
    for (const article of this.articles) {
      const title = this.titleTerms.get(article) ?? new Set<string>();
      const count = terms.filter((term) => title.has(term)).length;
      if (count > bestCount) {
        best = [article];
        bestCount = count;
      } else if (count === bestCount && count > 0) best.push(article);
    }
    return best;
  }

  private toHit(ranked: Ranked, plan: QueryPlan): SearchHit {
    const passage = this.passages[ranked.id] as Passage;
    return {
      passage,
      score: Math.round(ranked.score * 1000) / 1000,
      terms: plan.terms.filter((_, i) => ranked.matchedTerms[i]).map((t) => t.surface),
      answer: passage.sentences[ranked.bestSentence] ?? passage.text,
      short: null,
    };
  }
}

/** A word as suggestions show it: lowercase, without a possessive. */
function suggestionWord(surface: string): string {
  return normalizeText(surface).toLowerCase().replace(/'s$/, '');
}

/** Summaries an engine keeps made: more than /insights on every imported story needs between reloads. */
const SUMMARIES_KEPT = 1000;

/** Passages per {@link PassageBlock}: a few hundred kilobytes of text. */
const PASSAGE_BLOCK = 2500;

/** What building produces, before it becomes an engine or plain data. */
interface BuiltParts {
  passages: Passage[];
  index: MiniSearch<IndexedPassage>;
  store: TermStore;
  termCounts: Map<string, number>;
  wordCounts: Map<string, number>;
  titleTerms: string[][];
}

/** A passage as the engine analyses it, and the document MiniSearch indexes for it. */
export interface AnalysedPassage {
  passage: Passage;
  /** The terms of its heading: the article's title for the lead, else its section's heading. */
  heading: string[];
  /** Each sentence's tokens. */
  sentences: Token[][];
  /** Each sentence's terms. */
  terms: string[][];
  document: IndexedPassage;
}

/**
 * The passages of `articles`, numbered 0, 1, 2… in order, each analysed once (its sentences, its
 * heading and its article's title): the index, the term store and the vocabulary share the result.
 * One at a time, so their analysed text never piles up in memory.
 *
 * @example
 * const index = new MiniSearch(indexOptions(options));
 * for (const { document } of analysedPassages(articles, options)) index.add(document);
 */
export function* analysedPassages(articles: readonly Article[], options: EngineOptions): Generator<AnalysedPassage> {
  const passages = articles.flatMap((article) => chunkArticle(article, options.passages));
  const headingTerms = new Map<string, string[]>();
  const termsOfHeading = (heading: string): string[] => {
    let terms = headingTerms.get(heading);
    if (!terms) headingTerms.set(heading, (terms = analyzeTerms(heading)));
    return terms;
  };
  for (const [id, passage] of passages.entries()) {
    const heading = termsOfHeading(passage.kind === 'lead' ? passage.article.title : (passage.section ?? ''));
    const sentences = passage.sentences.map((sentence) => analyze(sentence));
    const terms = sentences.map((tokens) => tokens.map((token) => token.term));
    const document = {
      id,
      title: termsOfHeading(passage.article.title).join(' '),
      heading: heading.join(' '),
      text: terms.flat().join(' '),
    };
    yield { passage, heading, sentences, terms, document };
  }
}

/** Chunks, analyses and indexes `articles`. */
function buildParts(articles: readonly Article[], options: EngineOptions): BuiltParts {
  const passages: Passage[] = [];
  const index = new MiniSearch<IndexedPassage>(indexOptions(options));
  const termCounts = new Map<string, number>();
  const wordCounts = new Map<string, number>();
  const store = new TermStore();
  for (const { passage, heading, sentences, terms, document } of analysedPassages(articles, options)) {
    passages.push(passage);
    for (const tokens of sentences)
      for (const token of tokens) wordCounts.set(token.word, (wordCounts.get(token.word) ?? 0) + 1);
    for (const term of store.add(heading, terms, passage.sentences.map(answerTypesOf)))
      termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
    index.add(document);
  }
  store.compact();
  return { passages, index, store, termCounts, wordCounts, titleTerms: articles.map((a) => analyzeTerms(a.title)) };
}

/** Counts by word as a radix tree, for prefix and fuzzy look-ups; a step per entry. */
function* countsMap(entries: Iterable<readonly [string, number]>): Generator<void, SearchableMap<number>> {
  const map = new SearchableMap<number>();
  for (const [key, count] of entries) {
    map.set(key, count);
    yield;
  }
  return map;
}

function splitTerms(text: string): string[] {
  return text.split(' ');
}
