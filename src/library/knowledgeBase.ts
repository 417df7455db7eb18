import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Article, Problem } from '../content/article.js';
import { loadArticles } from '../content/loadArticles.js';
import { UserError } from '../errors.js';
import { loadLexicon } from '../language/lexicon.js';
import type { Passage } from '../search/chunk.js';
import { Engine, SNAPSHOT_VERSION, type EngineResources } from '../search/engine.js';
import type { Lexicon } from '../search/lexicon.js';

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
export type ReloadReport =
  | { applied: true; changes: ContentChanges; articles: number; passages: number }
  | { applied: false; problems: Problem[]; articles: number; passages: number };

/** Where to keep a snapshot of the built index between runs; `null` keeps none. */
export interface KnowledgeOptions {
  cacheFile?: string | null;
  /** Told when the snapshot cannot be read or written (the index is then built, which only costs time). */
  onCacheError?: (error: unknown) => void;
  /** English word knowledge for the engine; WordNet and SUBTLEX-US (see src/language) by default. */
  lexicon?: Lexicon;
}

/**
 * The content currently being served: an {@link Engine} over the articles of a content
 * directory, replaced as a whole on reload. A reload builds the new engine completely before
 * swapping it in, and a content problem leaves the old one serving, so questions in flight
 * always see one consistent index. With a cache file, the built index is saved and reused
 * while the content is byte for byte the same.
 *
 * @example
 * const { knowledge, problems } = await KnowledgeBase.open('data');
 * knowledge.engine.search('who is Tom Homan?');
 * await knowledge.reload(); // after a moderator edited data/articles/*.md
 */
export class KnowledgeBase {
  readonly dataDir: string;
  private readonly options: KnowledgeOptions;
  private readonly resources: EngineResources;
  private current: { engine: Engine; version: string };
  private pending: Promise<ReloadReport> | null = null;

  private constructor(
    dataDir: string,
    engine: Engine,
    fingerprint: string,
    options: KnowledgeOptions,
    resources: EngineResources,
  ) {
    this.dataDir = dataDir;
    this.current = { engine, version: fingerprint.slice(0, 12) };
    this.options = options;
    this.resources = resources;
  }

  /**
   * Loads the content directory and builds the first engine (or loads it from the cache).
   * Problems are returned, not thrown: the caller decides whether to start with the valid
   * articles or to stop.
   *
   * @throws {UserError} when the directory does not exist.
   */
  static async open(
    dataDir: string,
    options: KnowledgeOptions = {},
  ): Promise<{ knowledge: KnowledgeBase; problems: Problem[] }> {
    const { articles, problems, fingerprint } = await loadArticles(dataDir);
    const resources: EngineResources = { lexicon: options.lexicon ?? loadLexicon() };
    const cached = await readSnapshot(options, fingerprint, articles, resources);
    const engine = cached ?? Engine.build(articles, resources);
    const knowledge = new KnowledgeBase(dataDir, engine, fingerprint, options, resources);
    if (!cached && problems.length === 0) await knowledge.saveSnapshot(engine, fingerprint);
    return { knowledge, problems };
  }

  /** The engine answering questions now. Read it once per request and use that one throughout. */
  get engine(): Engine {
    return this.current.engine;
  }

  /** Which content is serving: a short hash of the article files, recorded with each question. */
  get version(): string {
    return this.current.version;
  }

  /**
   * Rereads the content directory and swaps in a new engine if every file is valid; otherwise
   * keeps the current one and reports the problems. Concurrent calls share one reload.
   */
  reload(): Promise<ReloadReport> {
    this.pending ??= this.rebuild().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async rebuild(): Promise<ReloadReport> {
    const old = this.current.engine;
    const refused = (problems: Problem[]): ReloadReport => ({
      applied: false,
      problems,
      articles: old.articles.length,
      passages: old.passages.length,
    });
    let loaded;
    try {
      loaded = await loadArticles(this.dataDir);
    } catch (error) {
      // The directory itself is gone or unreadable: a content problem like any other.
      if (error instanceof UserError) return refused([{ file: this.dataDir, line: 0, message: error.message }]);
      throw error;
    }
    const { articles, problems, fingerprint } = loaded;
    if (problems.length > 0) return refused(problems);
    const next = Engine.build(articles, this.resources);
    this.current = { engine: next, version: fingerprint.slice(0, 12) };
    await this.saveSnapshot(next, fingerprint);
    return {
      applied: true,
      changes: diffContent(old, next),
      articles: next.articles.length,
      passages: next.passages.length,
    };
  }

  /** Saves the index for the next start, atomically (a crash never leaves half a file). */
  private async saveSnapshot(engine: Engine, fingerprint: string): Promise<void> {
    const file = this.options.cacheFile;
    if (!file) return;
    try {
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, `${snapshotKey(fingerprint)}\n${engine.toSnapshot()}`);
      await rename(temporary, file);
    } catch (error) {
      this.options.onCacheError?.(error);
    }
  }
}

/**
 * A hash of the code that decides what the index holds (the engine's sources and model, and
 * natural's version): editing the analysis, even without bumping SNAPSHOT_VERSION, rebuilds the index.
 */
const ENGINE_FINGERPRINT = ((): string => {
  const hash = createHash('sha256');
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'search');
  for (const name of readdirSync(dir)
    .filter((file) => /\.(?:[jt]s|json)$/.test(file))
    .sort())
    hash.update(`${name}\0${readFileSync(path.join(dir, name), 'utf8')}\0`);
  hash.update(String((createRequire(import.meta.url)('natural/package.json') as { version: string }).version));
  return hash.digest('hex').slice(0, 16);
})();

/** The first line of a snapshot file: the engine's version and code, and the content fingerprint. */
function snapshotKey(fingerprint: string): string {
  return `article-qa-bot index v${SNAPSHOT_VERSION} ${ENGINE_FINGERPRINT} ${fingerprint}`;
}

/** The engine saved for exactly this content, or `null` (no file, other content, unreadable). */
async function readSnapshot(
  options: KnowledgeOptions,
  fingerprint: string,
  articles: readonly Article[],
  resources: EngineResources,
): Promise<Engine | null> {
  if (!options.cacheFile) return null;
  let text: string;
  try {
    text = await readFile(options.cacheFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onCacheError?.(error);
    return null;
  }
  const newline = text.indexOf('\n');
  if (newline === -1 || text.slice(0, newline) !== snapshotKey(fingerprint)) return null;
  return Engine.fromSnapshot(articles, text.slice(newline + 1), resources);
}

/** Compares two engines' content by article slug and by passage id and text. */
function diffContent(before: Engine, after: Engine): ContentChanges {
  const articleKey = (article: Article): string => JSON.stringify({ ...article, file: undefined });
  const oldArticles = new Map(before.articles.map((a) => [a.slug, articleKey(a)]));
  const newArticles = new Map(after.articles.map((a) => [a.slug, articleKey(a)]));
  const oldPassages = new Map(before.passages.map((p: Passage) => [p.id, p.text]));
  const newPassages = new Map(after.passages.map((p: Passage) => [p.id, p.text]));
  return {
    articlesAdded: [...newArticles.keys()].filter((slug) => !oldArticles.has(slug)),
    articlesRemoved: [...oldArticles.keys()].filter((slug) => !newArticles.has(slug)),
    articlesChanged: [...newArticles]
      .filter(([slug, key]) => oldArticles.has(slug) && oldArticles.get(slug) !== key)
      .map(([slug]) => slug),
    passagesAdded: [...newPassages.keys()].filter((id) => !oldPassages.has(id)).length,
    passagesRemoved: [...oldPassages.keys()].filter((id) => !newPassages.has(id)).length,
    passagesChanged: [...newPassages].filter(([id, text]) => oldPassages.has(id) && oldPassages.get(id) !== text)
      .length,
  };
}
