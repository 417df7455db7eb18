import type { ArticleInfo, Problem } from '../content/article.js';
import { NotReadyError } from '../errors.js';
import { loadLexicon } from '../language/lexicon.js';
import { loadReader, type LazyReader } from '../language/reader.js';
import { Engine, type AssemblyResources } from '../search/engine.js';
import { paced, type Pause } from '../search/pace.js';
import type { Passage } from '../search/chunk.js';
import type { Lexicon } from '../search/lexicon.js';
import type { Reader } from '../search/reader.js';
import { BUILD_MEMORY_MB, startBuild, type BuildJob } from './builder.js';
import { DataCollector } from './parts.js';

/** What a reload changed, by article slug and passage id. */
export interface ContentChanges {
  articlesAdded: string[];
  articlesRemoved: string[];
  articlesChanged: string[];
  passagesAdded: number;
  passagesRemoved: number;
  passagesChanged: number;
}

/** Outcome of a reload: applied with its changes, or refused with the problems that stopped it. */
export type ReloadReport = (
  | {
      applied: true;
      changes: ContentChanges;
      articles: number;
      passages: number;
      /** Whether the index was read from the snapshot (the content had not changed) or built. */
      source: 'snapshot' | 'built';
      /** Imported files left out because of a problem (the rest serves). */
      skipped: Problem[];
    }
  | { applied: false; problems: Problem[]; articles: number; passages: number }
) & {
  /** A newer reload started while this one was building, so this one stopped: the report is the newer one's. */
  superseded?: boolean;
};

/** Where imported articles are, and where to keep a snapshot of the built index between runs. */
export interface KnowledgeOptions {
  /** The imported articles' directory (STATE_DIR/articles), served with DATA_DIR's; none by default. */
  importsDir?: string | null;
  /** Where the snapshot is kept; `null` (the default) keeps none. */
  cacheFile?: string | null;
  /** Told once when the snapshot is stale, damaged or cannot be saved (the index is then built, which only costs time). */
  onSnapshotNotice?: (message: string) => void;
  /** English word knowledge for the engine; WordNet and SUBTLEX-US (see src/language) by default. */
  lexicon?: Lexicon;
  /** What reads short answers out of sentences; wink-nlp (see src/language) by default. */
  reader?: Reader;
  /** The most heap an index build may take, in MB; {@link BUILD_MEMORY_MB} by default. */
  buildMemoryMb?: number;
}

/**
 * Longest the main thread works on taking in a new index (decoding its parts, assembling the
 * engine, comparing it with the old one) before it lets questions through: the one time budget of
 * every step of a reload (see `Pause`).
 */
const PAUSE_BUDGET_MS = 4;
/**
 * The content currently being served: an {@link Engine} over the articles of a content
 * directory and the imported ones, replaced as a whole on reload. The index is built in a worker thread (or read from
 * its snapshot there) and assembled here a few milliseconds at a time, so questions keep being
 * answered from the current engine throughout; the new one is swapped in only once complete, so
 * every question sees one consistent index. A content problem leaves the old one serving.
 *
 * @example
 * const knowledge = KnowledgeBase.create('data', { cacheFile: 'state/index.snapshot' });
 * await knowledge.reload(); // the first load; questions before it end get NotReadyError
 * knowledge.engine.search('who is Tom Homan?');
 */
export class KnowledgeBase {
  readonly dataDir: string;
  private readonly options: KnowledgeOptions;
  /** Loaded while the first build runs in its worker, so start-up waits for the longer of the two only. */
  private resources: AssemblyResources | null = null;
  /** The wink reader, when no other was given: its model loads while the first build runs in its worker. */
  private readonly defaultReader: LazyReader | null = null;
  private readonly reader: Reader;
  private current: { engine: Engine; version: string } | null = null;
  /** The newest reload: the only one allowed to swap its engine in. */
  private latest: { job: BuildJob; report: Promise<ReloadReport> } | null = null;

  private constructor(dataDir: string, options: KnowledgeOptions) {
    this.dataDir = dataDir;
    this.options = options;
    this.reader = options.reader ?? (this.defaultReader = loadReader());
  }

  /** A knowledge base with nothing loaded yet: call {@link KnowledgeBase.reload} to load it. */
  static create(dataDir: string, options: KnowledgeOptions = {}): KnowledgeBase {
    return new KnowledgeBase(dataDir, options);
  }

  /** Whether an engine is serving (the first load has finished). */
  get ready(): boolean {
    return this.current !== null;
  }

  /**
   * The engine answering questions now. Read it once per request and use that one throughout.
   *
   * @throws {NotReadyError} before the first load has finished.
   */
  get engine(): Engine {
    if (!this.current) throw new NotReadyError();
    return this.current.engine;
  }

  /** Which content is serving: a short hash of the article files, recorded with each question. */
  get version(): string {
    return this.current?.version ?? 'loading';
  }

  /**
   * Rereads the content directory in a worker thread and swaps in a new engine if every file is
   * valid; otherwise keeps the current one and reports the problems. A reload asked for while
   * another is building supersedes it: the older one stops, and both callers get the newer one's
   * report (the older marked `superseded`), so edits made meanwhile are never missed.
   */
  reload(): Promise<ReloadReport> {
    const previous = this.latest;
    const pause = pauser(PAUSE_BUDGET_MS);
    const collector = new DataCollector();
    const job = startBuild(
      {
        dataDir: this.dataDir,
        importsDir: this.options.importsDir ?? null,
        snapshotFile: this.options.cacheFile ?? null,
        memoryMb: this.options.buildMemoryMb ?? BUILD_MEMORY_MB,
      },
      {
        onNotice: (message) => this.options.onSnapshotNotice?.(message),
        onPart: async (bytes) => {
          collector.add(bytes);
          await pause();
        },
      },
    );
    // Loaded here, on a thread that has nothing to answer until the first build is in, rather than
    // later, when loading the reader's model (about 0.25 s) would hold up answers.
    this.resources ??= { lexicon: this.options.lexicon ?? loadLexicon(), reader: this.reader };
    if (!this.current) this.defaultReader?.load();
    const run = { job, report: this.finish(job, collector, pause, this.resources) };
    this.latest = run;
    previous?.job.cancel();
    return run.report;
  }

  /** Stops a build in progress, if any (at shutdown). */
  close(): void {
    this.latest?.job.cancel();
  }

  private async finish(
    job: BuildJob,
    collector: DataCollector,
    pause: Pause,
    resources: AssemblyResources,
  ): Promise<ReloadReport> {
    const outcome = await job.result;
    const superseded = async (): Promise<ReloadReport> => ({
      ...(await (this.latest?.report ?? Promise.reject(new Error('no reload running')))),
      superseded: true,
    });
    if (this.latest?.job !== job) return superseded();
    const old = this.current?.engine ?? null;
    const refused = (problems: Problem[]): ReloadReport => ({
      applied: false,
      problems,
      articles: old?.articles.length ?? 0,
      passages: old?.passages.length ?? 0,
    });
    if (outcome.status === 'cancelled')
      return refused([{ file: this.dataDir, line: 0, message: 'the reload was stopped: the bot is shutting down' }]);
    if (outcome.status === 'problems') return refused(outcome.problems);
    const next = await Engine.assemble(collector.result(), resources, pause);
    if (this.latest?.job !== job) return superseded();
    this.current = { engine: next, version: outcome.fingerprint.slice(0, 12) };
    return {
      applied: true,
      changes: await paced(diffContent(old, next), pause),
      articles: next.articles.length,
      passages: next.passages.length,
      source: outcome.source,
      skipped: outcome.skipped,
    };
  }
}

/** A {@link Pause} that lets other work run once `budgetMs` have passed since it last did. */
function pauser(budgetMs: number): Pause {
  let since = performance.now();
  return () => {
    if (performance.now() - since < budgetMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        since = performance.now();
        resolve();
      }),
    );
  };
}

/**
 * Compares two engines' content by article slug and by passage id and text, a step per item (run
 * with `paced`). An article in both has changed when its front matter, lead or insights differ, or
 * any of its passages was added, removed or edited.
 */
function* diffContent(before: Engine | null, after: Engine): Generator<void, ContentChanges> {
  const oldArticles = new Map<string, ArticleInfo>();
  for (const article of before?.articles ?? []) {
    oldArticles.set(article.slug, article);
    yield;
  }
  const changes: ContentChanges = {
    articlesAdded: [],
    articlesRemoved: [],
    articlesChanged: [],
    passagesAdded: 0,
    passagesRemoved: 0,
    passagesChanged: 0,
  };
  const edited = new Set<string>();
  const oldPassages = new Map<string, Passage>();
  for (const passage of before?.passages ?? []) {
    oldPassages.set(passage.id, passage);
    yield;
  }
  // A served passage cuts its id and text from its block on each read: read each once.
  for (const passage of after.passages) {
    const id = passage.id;
    const old = oldPassages.get(id);
    if (old === undefined || old.text !== passage.text) {
      if (old === undefined) changes.passagesAdded++;
      else changes.passagesChanged++;
      edited.add(passage.article.slug);
    }
    oldPassages.delete(id);
    yield;
  }
  changes.passagesRemoved = oldPassages.size;
  for (const passage of oldPassages.values()) edited.add(passage.article.slug);
  for (const article of after.articles) {
    const old = oldArticles.get(article.slug);
    if (old === undefined) changes.articlesAdded.push(article.slug);
    else if (!sameFrontMatter(old, article) || edited.has(article.slug)) changes.articlesChanged.push(article.slug);
    oldArticles.delete(article.slug);
    yield;
  }
  changes.articlesRemoved = [...oldArticles.keys()];
  return changes;
}

/** Whether two versions of an article have the same title, links, dates, lead and insights (sections are compared by passage). */
function sameFrontMatter(a: ArticleInfo, b: ArticleInfo): boolean {
  const sameList = (x: readonly string[], y: readonly string[]): boolean =>
    x.length === y.length && x.every((item, i) => item === y[i]);
  return (
    a.title === b.title &&
    a.url === b.url &&
    a.published === b.published &&
    a.author === b.author &&
    a.caption === b.caption &&
    sameList(a.sources, b.sources) &&
    sameList(a.lead, b.lead) &&
    sameList(a.insights, b.insights)
  );
}
