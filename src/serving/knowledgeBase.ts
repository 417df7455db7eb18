import type { ArticleInfo, Problem } from '../content/article.js';
import { fileKey } from '../content/loadArticles.js';
import { NotReadyError } from '../errors.js';
import { loadLexicon } from '../language/lexicon.js';
import { loadReader, type LazyReader } from '../language/reader.js';
import { Engine, type AssemblyResources } from '../search/engine.js';
import { resolveOptions } from '../search/options.js';
import { paced, type Pause } from '../search/pace.js';
import type { Lexicon } from '../search/lexicon.js';
import type { Reader } from '../search/reader.js';
import {
  BUILD_MEMORY_MB,
  ClosedError,
  IndexClient,
  WORKER_IDLE_MS,
  type ContentDiff,
  type IndexUpdate,
} from './indexClient.js';

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

/** The imported articles' files an import or removal wrote or removed, by name (`slug.md`): all a reload then looks at. */
export interface ChangedImports {
  imported: readonly string[];
}

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
  /** How long the index worker stays with nothing to do, in ms; {@link WORKER_IDLE_MS} by default. */
  workerIdleMs?: number;
}

/**
 * Longest the main thread works on taking in a change (decoding a segment's parts, adding it to the
 * engine, comparing what changed) before it lets questions through: the one time budget of every
 * step of a reload (see `Pause`).
 */
const PAUSE_BUDGET_MS = 4;
/**
 * The content currently being served: an {@link Engine} over the articles of a content directory
 * and the imported ones, held as segments (see src/search/segment.ts). The index worker
 * (indexWorker.ts) keeps it: on each reload it scans the files against what is served and builds a
 * segment of only what was added or changed; removals are marked deleted; segments are merged in
 * the background. Each change is taken in here a few milliseconds at a time into a new engine, while
 * the current one answers; the new one is swapped in only once complete, so every question sees one
 * consistent index. A content problem leaves the old one serving.
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
  private readonly client: IndexClient;
  /** The newest reload asked for: an earlier one still going reports its result, as superseded. */
  private latest: Promise<ReloadReport> | null = null;
  /** What the last installed reload reported, for its caller. */
  private readonly reports = new WeakMap<IndexUpdate, ReloadReport>();

  private constructor(dataDir: string, options: KnowledgeOptions) {
    this.dataDir = dataDir;
    this.options = options;
    this.reader = options.reader ?? (this.defaultReader = loadReader());
    this.client = new IndexClient(
      {
        dataDir,
        importsDir: options.importsDir ?? null,
        snapshotFile: options.cacheFile ?? null,
        memoryMb: options.buildMemoryMb ?? BUILD_MEMORY_MB,
        idleMs: options.workerIdleMs ?? WORKER_IDLE_MS,
      },
      {
        onNotice: (message) => this.options.onSnapshotNotice?.(message),
        pause: pauser(PAUSE_BUDGET_MS),
        install: (update) => this.install(update),
      },
    );
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
   * Rescans the content directories in the worker and serves what changed; if a file of the
   * content directory has a problem, keeps the current content and reports the problems. A reload
   * asked for while another is going runs after it; the earlier caller gets the newer one's report
   * (marked `superseded`), so edits made meanwhile are never missed. With `changed` (an import or a
   * removal, which knows the files it wrote), only those files are looked at: at 100,000 articles,
   * looking at every file takes seconds.
   */
  reload(changed?: ChangedImports): Promise<ReloadReport> {
    const mine = this.reloadOnce(changed ? changed.imported.map((name) => fileKey('imported', name)) : null);
    // Loaded here, once the worker has started, on a thread that has nothing to answer until the
    // first load is in, rather than later, when loading the reader's model (about 0.25 s) would hold
    // up answers.
    this.resources ??= { lexicon: this.options.lexicon ?? loadLexicon(), reader: this.reader };
    if (!this.current) this.defaultReader?.load();
    this.latest = mine;
    return mine.then(async (report) => {
      const latest = this.latest;
      return latest === mine || latest === null ? report : { ...(await latest), superseded: true };
    });
  }

  /**
   * Resolves once every change served is saved (the index worker has written its manifest): wait
   * for it before the process exits, so the next start reads only what changed since.
   */
  saved(): Promise<void> {
    return this.client.saved();
  }

  /** Stops the worker (at shutdown); a reload waiting is refused. */
  close(): void {
    this.client.close();
  }

  private async reloadOnce(only: string[] | null): Promise<ReloadReport> {
    const old = this.current?.engine ?? null;
    const refused = (problems: Problem[]): ReloadReport => ({
      applied: false,
      problems,
      articles: old?.articles.length ?? 0,
      passages: old?.passageTotal ?? 0,
    });
    let outcome;
    try {
      outcome = await this.client.reload(only);
    } catch (error) {
      if (error instanceof ClosedError)
        return refused([{ file: this.dataDir, line: 0, message: 'the reload was stopped: the bot is shutting down' }]);
      throw error;
    }
    if (outcome.status === 'problems') return refused(outcome.problems);
    const report = this.reports.get(outcome.update);
    if (!report) throw new Error('a reload was installed without its report');
    return report;
  }

  /** Serves an update of the worker: a new engine made from it a step at a time, then swapped in. */
  private async install(update: IndexUpdate): Promise<void> {
    const resources = this.resources ?? { lexicon: this.options.lexicon ?? loadLexicon(), reader: this.reader };
    this.resources = resources;
    const pause = pauser(PAUSE_BUDGET_MS);
    const old = this.current;
    if (update.kind === 'merge') {
      if (!old) return;
      this.current = { ...old, engine: await old.engine.merge(update.replaced, update.segment, pause) };
      return;
    }
    let engine: Engine;
    if (update.full || !old) {
      const options = update.options ?? old?.engine.options ?? resolveOptions();
      engine = await Engine.assemble({ options, segments: update.segments }, resources, pause);
    } else {
      engine = old.engine;
      const [first, ...rest] = update.segments;
      engine = await engine.change({ remove: update.remove, add: first ?? null }, pause);
      for (const segment of rest) engine = await engine.change({ remove: [], add: segment }, pause);
    }
    this.current = { engine, version: update.fingerprint.slice(0, 12) };
    if (update.diff === null) return;
    const changes = await paced(changesOf(old?.engine ?? null, engine, update.diff), pause);
    this.reports.set(update, {
      applied: true,
      changes,
      articles: engine.articles.length,
      passages: engine.passageTotal,
      source: update.source,
      skipped: update.skipped,
    });
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
 * What a change did, from the change itself (the worker's diff of the files) rather than from the
 * whole content: the articles added, removed and changed, and their passages, compared by id and
 * text with the engine before, a step per passage (run with `paced`).
 */
function* changesOf(before: Engine | null, after: Engine, diff: ContentDiff): Generator<void, ContentChanges> {
  if (!before)
    return {
      articlesAdded: after.articles.map((article) => article.slug),
      articlesRemoved: [],
      articlesChanged: [],
      passagesAdded: after.passageTotal,
      passagesRemoved: 0,
      passagesChanged: 0,
    };
  const changes: ContentChanges = {
    articlesAdded: diff.added,
    articlesRemoved: diff.removed,
    articlesChanged: [],
    passagesAdded: 0,
    passagesRemoved: 0,
    passagesChanged: 0,
  };
  const passagesOf = (engine: Engine, article: ArticleInfo | undefined): Map<string, string> =>
    new Map(article ? engine.passagesOf(article).map((passage) => [passage.id, passage.text]) : []);
  const passageCount = (engine: Engine, slug: string): number => {
    const article = engine.article(slug);
    return article ? engine.passageCount(article) : 0;
  };
  for (const slug of diff.added) {
    changes.passagesAdded += passageCount(after, slug);
    yield;
  }
  for (const slug of diff.removed) {
    changes.passagesRemoved += passageCount(before, slug);
    yield;
  }
  for (const slug of diff.changed) {
    const a = before.article(slug);
    const b = after.article(slug);
    const was = passagesOf(before, a);
    let edited = false;
    for (const [id, text] of passagesOf(after, b)) {
      const previous = was.get(id);
      if (previous === undefined) changes.passagesAdded++;
      else if (previous !== text) changes.passagesChanged++;
      if (previous !== text) edited = true;
      was.delete(id);
    }
    changes.passagesRemoved += was.size;
    if (edited || was.size > 0 || !a || !b || !sameFrontMatter(a, b)) changes.articlesChanged.push(slug);
    yield;
  }
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
