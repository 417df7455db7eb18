import type { Article, ArticleInfo } from '../content/article.js';
import { normalizeText } from '../content/normalize.js';
import { aboutQuestion, answerAbout, type AboutKind } from './about.js';
import { analyze } from './analyze.js';
import { expectedAnswerType } from './answerType.js';
import type { Passage } from './chunk.js';
import { matchPassage, questionMatcher, type TermSource } from './features.js';
import type { Lexicon } from './lexicon.js';
import { questionForm } from './questionForm.js';
import type { RankModel } from './model.js';
import { DEFAULT_MODEL } from './defaultModel.js';
import { DEFAULT_OPTIONS, resolveOptions, type EngineOptions, type PartialOptions } from './options.js';
import { paced, unpaced, type Pause } from './pace.js';
import { planQuery, type PlanContext, type QueryPlan } from './plan.js';
import {
  bestPassages,
  type FieldTotals,
  type ScoredDocument,
  type ScoringIndex,
  type ServedSegment,
} from './postings.js';
import type { SegmentState } from './mergePolicy.js';
import { rankCandidates, type PassageInfo, type RankResult, type Ranked } from './rank.js';
import { buildSegment, compareArticles, PASSAGE_BLOCK, Segment, type SegmentData } from './segment.js';
import { StoredPassage } from './storedPassage.js';
import type { Reader } from './reader.js';
import {
  factoidKind,
  questionFocus,
  shortAnswer,
  shortCandidates,
  type QuestionKind,
  type ShortCandidate,
} from './shortAnswer.js';
import { fromDifferentPlaces, lackingOf } from './lacking.js';
import { centralSentences } from './summary.js';
import { Vocabulary } from './vocabulary.js';

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
  /** With a low confidence: what the closest passage lacks of what the question asks (see lackingOf), if it can be named. */
  lacking?: string | null;
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

/**
 * The version of what {@link Engine.prepare} makes and of how segments are saved: bump it whenever
 * analysis, the default options or the layout of {@link SegmentData} change, so that saved segments
 * are rebuilt, not misread. `tests/search/indexFormat.test.ts` fails when the prepared data changes
 * without a bump.
 */
export const INDEX_FORMAT = 13;

/** One segment built by {@link Engine.prepare}, with the options it was built with (and serves with). */
export interface PreparedSegment {
  options: EngineOptions;
  data: SegmentData;
}

/** A segment to serve: its name, its data, and the slugs of its articles removed or replaced since it was built. */
export interface SegmentEntry {
  id: string;
  data: SegmentData;
  deleted?: readonly string[];
}

/** What an engine serves, as plain data: the options its segments were built with, and its segments in order. */
export interface IndexData {
  options: EngineOptions;
  segments: SegmentEntry[];
}

/** A change to what an engine serves: articles removed (by slug; a replaced one is removed and added), and a segment of the added ones. */
export interface EngineChange {
  remove: readonly string[];
  add: SegmentEntry | null;
}

/** One question as the engine sees it while ranking, for training and for explaining answers. */
export interface Explanation {
  plan: QueryPlan;
  result: RankResult;
}

/**
 * The question-answering engine over a set of articles, held as segments (Lucene's shape; see
 * segment.ts): each an immutable index of some articles, and a deletion mark for each article
 * removed or replaced since. It takes BM25's candidates from the segments' postings with the
 * statistics summed over what it serves ({@link bestPassages}), ranks them with a learned model and
 * decides whether the content covers the question at all. An engine never changes: a change makes a
 * new engine sharing the unchanged segments ({@link Engine.change}, {@link Engine.merge}), which
 * answers exactly as one built from scratch over the same articles would: the same passages in the
 * same order, the same scores, the same corrections and completions.
 *
 * @example
 * const engine = Engine.build(articles, { lexicon: loadLexicon() });
 * engine.search('what did Hegseth say about the cartels?').hits[0]?.answer
 */
export class Engine {
  readonly options: EngineOptions;
  /** Every article served, in canonical order (see `compareArticles`). */
  readonly articles: readonly ArticleInfo[];
  /** Passages served. */
  readonly passageTotal: number;
  private readonly segments: readonly ServedSegment[];
  private readonly vocabulary: Vocabulary;
  private readonly totals: FieldTotals;
  private readonly resources: AssemblyResources;
  private readonly model: RankModel;
  private readonly reader: Reader | null;
  private readonly plan: PlanContext;
  private readonly index: ScoringIndex;
  private readonly terms: TermSource;
  /** Summaries made so far, by article (each is made from its passages when first asked for). */
  private readonly summaries = new Map<ArticleInfo, string[]>();

  private constructor(
    options: EngineOptions,
    segments: readonly ServedSegment[],
    vocabulary: Vocabulary,
    totals: FieldTotals,
    articles: readonly ArticleInfo[],
    resources: AssemblyResources,
  ) {
    this.options = options;
    this.segments = segments;
    this.vocabulary = vocabulary;
    this.totals = totals;
    this.articles = articles;
    this.passageTotal = totals.passages;
    this.resources = resources;
    this.model = resources.model ?? DEFAULT_MODEL;
    this.reader = resources.reader ?? null;
    this.plan = { vocabulary, passageCount: totals.passages, lexicon: resources.lexicon, options };
    const numbered = segments.reduce((sum, served) => sum + served.segment.passageCount, 0);
    this.index = { segments, vocabulary, totals, numbered, precedes: (a, b) => this.precedes(a, b) };
    this.terms = {
      match: (matcher, first, last, reach, perSentence) => {
        const { served, local } = this.locate(first);
        return matchPassage(matcher, served.segment, local, local + last - first, reach, perSentence);
      },
      sentenceTerms: (id, sentence) => {
        const { served, local } = this.locate(id);
        return served.segment.sentenceTerms(local, sentence);
      },
      sentenceTypes: (id) => {
        const { served, local } = this.locate(id);
        return served.segment.sentenceTypes(local);
      },
    };
  }

  /**
   * Builds the index of `articles` on the spot, as one segment.
   *
   * @example
   * const { articles } = await loadArticles('data');
   * const engine = Engine.build(articles, { lexicon: loadLexicon() });
   */
  static build(articles: readonly Article[], resources: EngineResources): Engine {
    const { options, data } = Engine.prepare(articles, resources.options);
    return unpaced(Engine.assembling({ options, segments: [{ id: 'built', data }] }, resources));
  }

  /**
   * Builds the index of `articles` as one segment of plain data, to post from a worker thread, save,
   * and serve with {@link Engine.assemble} or add with {@link Engine.change}.
   *
   * @example
   * const { data } = Engine.prepare(articles); // in a worker
   */
  static prepare(articles: readonly Article[], options?: PartialOptions): PreparedSegment {
    const resolved = resolveOptions(options);
    return { options: resolved, data: buildSegment(articles, resolved) };
  }

  /**
   * An engine serving `index`'s segments (with the options they were built with), assembled a step
   * at a time: `pause` is asked after each, so a thread that keeps answering questions meanwhile
   * never stalls for longer than its time budget. Whether saved data is still usable is the
   * snapshot's check, made before.
   *
   * @example
   * const engine = await Engine.assemble({ options, segments: [{ id: 'base', data }] }, { lexicon }, pause);
   */
  static assemble(index: IndexData, resources: AssemblyResources, pause: Pause): Promise<Engine> {
    return paced(Engine.assembling(index, resources), pause);
  }

  /** {@link Engine.assemble}'s steps. */
  private static *assembling(index: IndexData, resources: AssemblyResources): Generator<void, Engine> {
    let engine = new Engine(index.options, [], Vocabulary.empty(), NO_TOTALS, [], resources);
    for (const entry of index.segments) {
      engine = yield* engine.changing({ remove: [], add: { id: entry.id, data: entry.data } });
      if (entry.deleted && entry.deleted.length > 0) engine = yield* engine.deleting(entry.deleted, entry.id);
    }
    return engine;
  }

  /**
   * This engine with `change` made: its articles removed (each marked deleted in its segment, its
   * statistics subtracted) and its segment added (its statistics added), a step at a time (see
   * {@link Engine.assemble}). This engine is left as it is, still answering.
   *
   * @throws {Error} when the added segment was built with other options.
   */
  change(change: EngineChange, pause: Pause): Promise<Engine> {
    return paced(this.changing(change), pause);
  }

  private *changing(change: EngineChange): Generator<void, Engine> {
    let engine: Engine = change.remove.length > 0 ? yield* this.deleting(change.remove, null) : this;
    const added = change.add;
    if (!added) return engine;
    const segment = new Segment(added.data);
    const vocabulary = yield* engine.vocabulary.plus(segment);
    const totals = { ...engine.totals };
    const { data } = segment;
    for (let a = 0; a < data.articles.length; a++) {
      const passages = (data.articleStarts[a + 1] ?? 0) - (data.articleStarts[a] ?? 0);
      totals.title += (data.titleLength[a] ?? 0) * passages;
      if (a % STEP === 0) yield;
    }
    for (let p = 0; p < segment.passageCount; p++) {
      totals.heading += data.headingLength[p] ?? 0;
      totals.text += data.textLength[p] ?? 0;
      if (p % STEP === 0) yield;
    }
    totals.passages += segment.passageCount;
    const served: ServedSegment = {
      id: added.id,
      segment,
      offset: 0,
      deletedArticles: null,
      deletedPassages: null,
    };
    engine = yield* engine.with([...engine.segments, served], vocabulary, totals);
    return engine;
  }

  /**
   * This engine with `slugs` deleted: in segment `only` when given, else wherever they are served.
   * A slug not served is passed over.
   */
  private *deleting(slugs: readonly string[], only: string | null): Generator<void, Engine> {
    const totals = { ...this.totals };
    const segments = [...this.segments];
    // Each segment's deletion flags copied once for the whole change, however many it loses.
    const copied = new Set<number>();
    const removed: Array<{ segment: Segment; article: number }> = [];
    for (const slug of new Set(slugs)) {
      const at = segments.findIndex(
        (served) => (only === null || served.id === only) && liveArticle(served, slug) >= 0,
      );
      const served = segments[at];
      if (!served) continue;
      const article = liveArticle(served, slug);
      const { data } = served.segment;
      const first = data.articleStarts[article] ?? 0;
      const end = data.articleStarts[article + 1] ?? 0;
      removed.push({ segment: served.segment, article });
      totals.passages -= end - first;
      totals.title -= (data.titleLength[article] ?? 0) * (end - first);
      for (let p = first; p < end; p++) {
        totals.heading -= data.headingLength[p] ?? 0;
        totals.text -= data.textLength[p] ?? 0;
      }
      if (!copied.has(at)) {
        copied.add(at);
        segments[at] = {
          ...served,
          deletedArticles: served.deletedArticles?.slice() ?? new Uint8Array(data.articles.length),
          deletedPassages: served.deletedPassages?.slice() ?? new Uint8Array(served.segment.passageCount),
        };
      }
      const flags = segments[at] as ServedSegment;
      (flags.deletedArticles as Uint8Array)[article] = 1;
      flags.deletedPassages?.fill(1, first, end);
      if (removed.length % 64 === 0) yield;
    }
    const vocabulary = yield* this.vocabulary.minus(removed);
    return yield* this.with(segments, vocabulary, totals);
  }

  /**
   * This engine with the segments named by `replaced` served by `merged` instead, which holds their
   * articles (built from them by `mergeSegments`), or by nothing when none of their articles was
   * left; an article removed from them since the merge began is deleted from it again. What is
   * served does not change, so neither do the statistics.
   */
  merge(replaced: readonly string[], merged: SegmentEntry | null, pause: Pause): Promise<Engine> {
    return paced(this.merging(replaced, merged), pause);
  }

  private *merging(replaced: readonly string[], merged: SegmentEntry | null): Generator<void, Engine> {
    const gone = new Set(replaced);
    const at = this.segments.findIndex((served) => gone.has(served.id));
    if (at < 0) return this;
    const segments = this.segments.filter((other) => !gone.has(other.id));
    if (!merged) return yield* this.with(segments, this.vocabulary, this.totals);
    const live = new Set<string>();
    for (const served of this.segments)
      if (gone.has(served.id))
        for (const [a, article] of served.segment.data.articles.entries()) {
          if (served.deletedArticles?.[a] !== 1) live.add(article.slug);
          if (a % STEP === 0) yield;
        }
    const segment = new Segment(merged.data);
    const deletedArticles = new Uint8Array(merged.data.articles.length);
    const deletedPassages = new Uint8Array(segment.passageCount);
    let deletedAny = false;
    for (const [a, article] of merged.data.articles.entries()) {
      if (a % STEP === 0) yield;
      if (live.has(article.slug)) continue;
      deletedAny = true;
      deletedArticles[a] = 1;
      deletedPassages.fill(1, merged.data.articleStarts[a] ?? 0, merged.data.articleStarts[a + 1] ?? 0);
    }
    const served: ServedSegment = {
      id: merged.id,
      segment,
      offset: 0,
      deletedArticles: deletedAny ? deletedArticles : null,
      deletedPassages: deletedAny ? deletedPassages : null,
    };
    segments.splice(at, 0, served);
    return yield* this.with(segments, this.vocabulary, this.totals);
  }

  /** A new engine over `segments` (numbered afresh) with these statistics, its articles listed in canonical order. */
  private *with(
    segments: readonly ServedSegment[],
    vocabulary: Vocabulary,
    totals: FieldTotals,
  ): Generator<void, Engine> {
    let offset = 0;
    const numbered = segments.map((served) => {
      const renumbered = served.offset === offset ? served : { ...served, offset };
      offset += served.segment.passageCount;
      return renumbered;
    });
    for (const served of numbered) yield* served.segment.numbering();
    // Each segment's articles are in canonical order: merged as sorted runs.
    const runs: ArticleInfo[][] = [];
    for (const served of numbered) {
      runs.push(served.segment.data.articles.filter((_, a) => served.deletedArticles?.[a] !== 1));
      yield;
    }
    const articles: ArticleInfo[] = [];
    const heads = runs.map(() => 0);
    for (;;) {
      let best = -1;
      runs.forEach((run, r) => {
        const candidate = run[heads[r] ?? 0];
        const current = best < 0 ? undefined : runs[best]?.[heads[best] ?? 0];
        if (candidate && (!current || compareArticles(candidate, current) < 0)) best = r;
      });
      if (best < 0) break;
      articles.push(runs[best]?.[heads[best] ?? 0] as ArticleInfo);
      heads[best] = (heads[best] ?? 0) + 1;
      if (articles.length % STEP === 0) yield;
    }
    return new Engine(this.options, numbered, vocabulary, totals, articles, this.resources);
  }

  /** How much of each segment this engine serves, in order. */
  segmentStates(): SegmentState[] {
    return this.segments.map((served) => ({
      id: served.id,
      articles: served.segment.data.articles.length,
      deleted: served.segment.data.articles
        .filter((_, a) => served.deletedArticles?.[a] === 1)
        .map((article) => article.slug),
    }));
  }

  /** The segment named `id`, with its deletions, for a merge (see merge.ts). */
  segmentForMerge(id: string): { segment: Segment; deleted: Set<number> } | null {
    const served = this.segments.find((other) => other.id === id);
    if (!served) return null;
    const deleted = new Set<number>();
    served.deletedArticles?.forEach((flag, a) => {
      if (flag === 1) deleted.add(a);
    });
    return { segment: served.segment, deleted };
  }

  /**
   * Passage `id` of this engine (numbered 0 to the passages numbered, deleted ones included).
   *
   * @throws {RangeError} for a number no segment has.
   */
  passageAt(id: number): Passage {
    const { served, local } = this.locate(id);
    const { passages, articles } = served.segment.data;
    const block = passages[Math.floor(local / PASSAGE_BLOCK)];
    const i = local % PASSAGE_BLOCK;
    const article = articles[block?.articles[i] ?? -1];
    if (!block || !article) throw new RangeError(`no passage ${id}`);
    return new StoredPassage(block, i, article);
  }

  /** The article served under `slug`, if any. */
  article(slug: string): ArticleInfo | undefined {
    for (const served of this.segments) {
      const a = liveArticle(served, slug);
      if (a >= 0) return served.segment.data.articles[a];
    }
    return undefined;
  }

  /** The passages of an article this engine serves, in order (none for another). */
  passagesOf(article: ArticleInfo): Passage[] {
    const range = this.rangeOf(article);
    const passages: Passage[] = [];
    for (let id = range?.[0] ?? 0; range && id <= range[1]; id++) passages.push(this.passageAt(id));
    return passages;
  }

  /** The passages served, in canonical order, each made when reached. */
  *passages(): Generator<Passage> {
    for (const article of this.articles) {
      const range = this.rangeOf(article);
      for (let id = range?.[0] ?? 0; range && id <= range[1]; id++) yield this.passageAt(id);
    }
  }

  /** The segment holding passage `id`, and the passage's number in it. */
  private locate(id: number): { served: ServedSegment; local: number } {
    const segments = this.segments;
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((segments[mid]?.offset ?? 0) <= id) lo = mid;
      else hi = mid - 1;
    }
    const served = segments[lo];
    if (!served || id < served.offset || id >= served.offset + served.segment.passageCount)
      throw new RangeError(`no passage ${id}`);
    return { served, local: id - served.offset };
  }

  /** Whether passage `a` comes before passage `b` in the canonical order. */
  private precedes(a: number, b: number): boolean {
    const one = this.locate(a);
    const other = this.locate(b);
    if (one.served === other.served) return one.local < other.local;
    const { articles: first } = one.served.segment.data;
    const { articles: second } = other.served.segment.data;
    return (
      compareArticles(
        first[one.served.segment.articleOf(one.local)] as ArticleInfo,
        second[other.served.segment.articleOf(other.local)] as ArticleInfo,
      ) < 0
    );
  }

  /**
   * Answers a question with up to `limit` passages, best first, each with its best sentence.
   * Questions about the article itself ("when was it published?", "summarize the article") are
   * answered from its front matter, lead and insights. Never throws on user text: unusable or
   * off-topic questions get no hits and a `reason`. With `within`, only that article's passages
   * are searched, and the confidence is the article's own (a story's thread asks about it first).
   *
   * @example
   * engine.search('Who is Tom Homan?', { limit: 1 }).hits[0]?.passage.section
   * // => 'Diplomatic Tensions and Security Concerns'
   */
  search(question: string, options: { limit?: number; within?: ArticleInfo } = {}): SearchResponse {
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
    if (about && this.articles.length > 0 && options.within === undefined)
      return this.answerAbout(query, about.kind, about.rest, limit);
    const explained = this.explain(query, options.within);
    if (explained.plan.terms.length === 0) return none('no-terms');
    const { confidence } = explained.result;
    const { refuse, confident } = this.model.decision;
    if (confidence < refuse) return none('off-topic');
    const high = confidence >= confident;
    // Unsure: the closest passages of different paragraphs (a long one is cut into overlapping
    // windows), and what the best one lacks.
    const shown = high
      ? explained.result.ranked.slice(0, limit)
      : fromDifferentPlaces(explained.result.ranked, (id) => this.placeOf(id), limit);
    const hits = shown.map((r) => this.toHit(r, explained.plan));
    const first = hits[0];
    const best = explained.result.ranked[0];
    // Only an answer the engine is sure of gets a short answer: a wrong one is worse than none.
    const short = high ? this.shortCandidates(query, explained) : null;
    if (first && short) first.short = shortAnswer(short.kind, short.candidates, this.model.short, confidence);
    if (high) return { query, hits, reason: null, confidence: 'high', about: null, chosenArticle: null };
    const around = best ? this.passageAt(best.id) : null;
    const lacking =
      best && around
        ? lackingOf(factoidKind(query), explained.plan, best, `${around.article.title}\n${around.section ?? ''}`)
        : null;
    return { query, hits, reason: null, confidence: 'low', about: null, chosenArticle: null, lacking };
  }

  /** The article and paragraph passage `id` comes from (each key insight its own), as one key. */
  private placeOf(id: number): string {
    const passage = this.passageAt(id);
    return `${passage.article.slug}\n${passage.paragraph === -1 ? `insight ${passage.position}` : passage.paragraph}`;
  }

  /**
   * How the engine reads a question: its plan, every candidate's features and score, and the
   * probability that the best passage answers it. `npm run train` fits the model on these.
   */
  explain(question: string, within?: ArticleInfo): Explanation {
    const query = normalizeText(question).replace(/\s+/g, ' ').trim();
    const plan = planQuery(analyze(query, { question: true }), this.plan, {
      partialLastWord: /[\p{L}\p{N}]$/u.test(query),
    });
    const empty: RankResult = { ranked: [], confidence: 0, decisionFeatures: [] };
    if (plan.terms.length === 0) return { plan, result: empty };
    const matcher = questionMatcher(plan, expectedAnswerType(query), questionForm(query));
    const range = within === undefined ? undefined : this.rangeOf(within);
    if (within !== undefined && range === undefined) return { plan, result: empty };
    const candidates = this.candidates(plan, range);
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
        (a, b) => this.precedes(a, b),
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
    const { sentences } = this.passageAt(best.id);
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
    const { vocabulary } = this;
    const completions = last.length === 0 ? [] : vocabulary.wordsWithPrefix(last).filter(([word]) => word !== last);
    const candidates =
      completions.length > 0 || last.length < 4
        ? completions
        : vocabulary.wordsNear(last, 1).map(([word, count]) => [word, count] as const);
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
      const passage = this.passageAt(id);
      if (passage.kind !== 'lead' && passage.kind !== 'paragraph') continue;
      const own: number[][] = passage.sentences.map(() => []);
      const { served, local } = this.locate(id);
      served.segment.forEachTerm(local, local, (term, sentence) => {
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

  /** The first and last passage of an article this engine serves. */
  private rangeOf(article: ArticleInfo): readonly [number, number] | undefined {
    for (const served of this.segments) {
      const a = served.segment.articleNumber(article.slug);
      if (a < 0 || served.segment.data.articles[a] !== article || served.deletedArticles?.[a] === 1) continue;
      const { articleStarts } = served.segment.data;
      return [served.offset + (articleStarts[a] ?? 0), served.offset + (articleStarts[a + 1] ?? 1) - 1];
    }
    return undefined;
  }

  /**
   * The best passages by BM25 alone for some exact terms, each weighted (see {@link bestPassages}):
   * what re-ranking starts from, for the tests that compare it with MiniSearch.
   */
  bm25(
    terms: readonly string[],
    boosts: readonly number[],
    candidates = this.options.candidates,
    within?: readonly [number, number],
  ): ScoredDocument[] {
    return bestPassages(this.index, terms, boosts, { ...this.options, candidates, ...(within ? { within } : {}) });
  }

  /** BM25 candidates ({@link bestPassages}): the rarest terms first, as many as fit in the postings budget. */
  private candidates(plan: QueryPlan, within?: readonly [number, number]): Array<{ id: number; bm25: number }> {
    const weights = new Map<string, number>();
    for (const term of plan.terms)
      for (const alt of term.alternatives)
        weights.set(alt.term, Math.max(weights.get(alt.term) ?? 0, alt.weight * term.idf));
    // Common terms barely change BM25 but cost the most to score; re-ranking still counts them.
    const byRarity = [...weights.keys()]
      .map((term) => ({ term, df: this.vocabulary.passagesWith(term) }))
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
    return this.bm25(lookup, boosts, this.options.candidates, within).map((found) => ({
      id: found.id,
      bm25: found.score,
    }));
  }

  private infoOf(id: number, plan: QueryPlan): PassageInfo {
    const { served, local } = this.locate(id);
    const { segment, offset } = served;
    const article = segment.articleOf(local);
    const { articleStarts } = segment.data;
    const block = segment.data.passages[Math.floor(local / PASSAGE_BLOCK)];
    const i = local % PASSAGE_BLOCK;
    let inTitle = 0;
    const titleTerms = plan.terms.map((term) => {
      let best = 0;
      for (const alt of term.alternatives)
        if (titleHolds(segment, article, alt.term)) best = Math.max(best, alt.weight);
      inTitle += best * term.idf;
      return best > 0;
    });
    return {
      first: offset + (articleStarts[article] ?? 0),
      last: offset + (articleStarts[article + 1] ?? 1) - 1,
      lead: block?.kinds[i] === 0,
      title: plan.totalIdf > 0 ? inTitle / plan.totalIdf : 0,
      titleTerms,
      paragraph: block?.paragraphs[i] ?? 0,
      section: block ? (block.sections[block.sectionOf[i] ?? 0] ?? null) : null,
    };
  }

  /** Answers a question about the article itself: for the one it names, else for each loaded (up to `limit`). */
  private answerAbout(query: string, kind: AboutKind, rest: readonly string[], limit: number): SearchResponse {
    const named = rest.length === 0 ? [] : this.articlesNamed(rest);
    const articles = named.length === 1 ? named : this.articles.slice(0, limit);
    const hits = articles.map((article): SearchHit => {
      const first = this.rangeOf(article)?.[0];
      const opening = first === undefined ? undefined : this.passageAt(first);
      const lead = opening?.kind === 'lead' ? opening : { text: article.title, sentences: [article.title] };
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

  /** The articles whose title holds the most of `terms` (several when they tie, in canonical order), from the title postings. */
  private articlesNamed(terms: readonly string[]): ArticleInfo[] {
    const counts = new Map<ArticleInfo, number>();
    for (const term of new Set(terms))
      for (const served of this.segments) {
        const { segment, deletedArticles } = served;
        const t = segment.terms.indexOf(term);
        if (t < 0) continue;
        const { postings, postingStarts, articles } = segment.data;
        const at = postingStarts[t] ?? 0;
        for (let i = 0; i < (postings[at] ?? 0); i++) {
          const a = postings[at + 1 + 2 * i] ?? 0;
          const article = articles[a];
          if (article && deletedArticles?.[a] !== 1) counts.set(article, (counts.get(article) ?? 0) + 1);
        }
      }
    const most = Math.max(0, ...counts.values());
    return most === 0
      ? []
      : [...counts]
          .filter(([, count]) => count === most)
          .map(([article]) => article)
          .sort(compareArticles);
  }

  private toHit(ranked: Ranked, plan: QueryPlan): SearchHit {
    const passage = this.passageAt(ranked.id);
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

/** Items handled per step of a paced change: a few hundred microseconds of work. */
const STEP = 4096;

/** No passages, no lengths: an engine serving nothing. */
const NO_TOTALS: FieldTotals = { passages: 0, title: 0, heading: 0, text: 0 };

/** The number of the live article `slug` in a served segment, or −1. */
function liveArticle(served: ServedSegment, slug: string): number {
  const a = served.segment.articleNumber(slug);
  return a >= 0 && served.deletedArticles?.[a] !== 1 ? a : -1;
}

/** Whether article `article` of `segment` has `term` in its title (its title postings, by binary search). */
function titleHolds(segment: Segment, article: number, term: string): boolean {
  const t = segment.terms.indexOf(term);
  if (t < 0) return false;
  const { postings, postingStarts } = segment.data;
  const at = (postingStarts[t] ?? 0) + 1;
  let lo = 0;
  let hi = postings[at - 1] ?? 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const found = postings[at + 2 * mid] ?? 0;
    if (found === article) return true;
    if (found < article) lo = mid + 1;
    else hi = mid;
  }
  return false;
}
