import { randomUUID } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { ConfigError, loadConfig, readEnvironment, secretsOf, type Config } from './config.js';
import { formatProblem, type Article, type Problem } from './content/article.js';
import { isArticleFile, loadArticles } from './content/loadArticles.js';
import { slugify } from './content/normalize.js';
import { ContentError, UserError } from './errors.js';
import { KnowledgeBase, type KnowledgeOptions, type ReloadReport } from './serving/knowledgeBase.js';
import { ArticleMirror } from './fleet/mirror.js';
import { createLogger, type Logger } from './logger.js';
import { ArticleImporter } from './importing/importer.js';
import { shelfFor } from './importing/importShelf.js';
import { openStore } from './store/open.js';
import { StoreError, type Machine, type Store } from './store/store.js';

/** Start-up cannot go on: the lines say why, for the person starting the bot. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * Opens the content directory for serving and waits for its index. Start-up is strict: any
 * content problem stops it, listed as `file:line: problem`, so a broken file is fixed before
 * anyone is answered from it.
 *
 * @throws {StartupError} listing every problem.
 */
export async function openContent(dataDir: string, options: KnowledgeOptions = {}): Promise<KnowledgeBase> {
  const knowledge = KnowledgeBase.create(dataDir, options);
  await loadContent(knowledge);
  return knowledge;
}

/**
 * The first load of a knowledge base (see {@link openContent}), for a front door that starts
 * meanwhile: the Discord bot connects while the index builds.
 *
 * @throws {StartupError} listing every problem.
 */
export async function loadContent(knowledge: KnowledgeBase): Promise<Extract<ReloadReport, { applied: true }>> {
  const report = await knowledge.reload();
  if (report.applied) return report;
  // The directory itself is missing or unreadable: that one line says it all.
  const directory = report.problems.find((problem) => problem.file === knowledge.dataDir);
  if (directory) throw new StartupError(directory.message);
  stopOnProblems(report.problems);
  throw new StartupError('the content could not be loaded');
}

/**
 * Checks the content directory without building an index: for the sharding manager, whose
 * shards each build their own.
 *
 * @throws {StartupError} listing every problem.
 */
export async function checkContent(dataDir: string, importsDir: string | null): Promise<void> {
  stopOnProblems((await loadArticles(dataDir, importsDir)).problems);
}

function stopOnProblems(problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  throw new StartupError(
    `the content has ${problems.length} problem${problems.length === 1 ? '' : 's'}; fix ${problems.length === 1 ? 'it' : 'them'} and start again:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
  );
}

/**
 * Creates the state directory if it is missing (on first start).
 *
 * @throws {StartupError} naming the directory when it cannot be created.
 */
export async function ensureStateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new StartupError(
      `the state directory "${dir}" cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'}): set STATE_DIR to a writable directory`,
    );
  }
}

/**
 * Reports a start-up failure on stderr and exits 1. Expected failures (configuration, content,
 * user errors) print their message only; anything else is a bug and prints its stack.
 */
export function exitOnStartupError(error: unknown): never {
  const expected =
    error instanceof ConfigError ||
    error instanceof StartupError ||
    error instanceof UserError ||
    error instanceof ContentError;
  const message = expected ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/**
 * The configured store (PostgreSQL when DATABASE_URL is set, else SQLite), opened and migrated.
 *
 * @throws {StartupError} naming the database and why it cannot be used.
 */
export async function openConfiguredStore(
  config: Pick<Config, 'databaseUrl' | 'databasePath'>,
  logger: Logger,
): Promise<Store> {
  try {
    return await openStore(config, logger);
  } catch (error) {
    throw error instanceof StoreError ? new StartupError(error.message) : error;
  }
}

/**
 * This process as the other machines of a fleet name it: its host, its process id, and the
 * shards it runs.
 *
 * @example
 * machineOf({ shardIds: [0, 1] }) // => { id: '…', label: 'bot-1:4242 (shards 0, 1)' }
 */
export function machineOf(config: Pick<Config, 'shardIds'>): Machine {
  const shards = config.shardIds;
  const runs = shards === null ? '' : ` (shard${shards.length === 1 ? '' : 's'} ${shards.join(', ')})`;
  return { id: randomUUID(), label: `${hostname()}:${process.pid}${runs}` };
}

/**
 * Brings this machine's copy of the database's articles up to date before the first load; a
 * database that cannot be read now leaves the copy as the last run left it (with a warning).
 * Warns of articles imported here before the database was shared, which only migrate-store shares.
 */
export async function syncAtStart(mirror: ArticleMirror, localImportsDir: string, logger: Logger): Promise<void> {
  try {
    const { withoutMarkdown } = await mirror.sync();
    if (withoutMarkdown.length > 0)
      logger.warn('content.without_markdown', {
        slugs: withoutMarkdown,
        hint: 'imported before the database kept articles: import them again',
      });
  } catch (error) {
    logger.warn('content.shared_unreadable', { error: String(error), serving: mirror.dir });
  }
  const slugOf = (name: string): string => slugify(name.slice(0, -3));
  const shared = new Set((await readdir(mirror.dir).catch(() => [] as string[])).filter(isArticleFile).map(slugOf));
  const local = (await readdir(localImportsDir).catch(() => [] as string[])).filter(
    (name) => isArticleFile(name) && !shared.has(slugOf(name)),
  );
  if (local.length > 0)
    logger.warn('content.not_shared', {
      dir: localImportsDir,
      files: local.slice(0, 20),
      hint: 'articles imported before DATABASE_URL was set are not served: copy them with npm run migrate-store -- --to "$DATABASE_URL"',
    });
}

/**
 * For a process that serves questions without joining the fleet (`npm run ask`): brings this
 * machine's copy of the database's articles up to date, then closes the database.
 *
 * @throws {StartupError} naming the database when it cannot be opened.
 */
export async function syncSharedArticles(config: Config, logger: Logger): Promise<void> {
  const store = await openConfiguredStore(config, logger);
  try {
    if (store.shared)
      await syncAtStart(new ArticleMirror(store.shared, config.imports.dir), config.imports.localDir, logger);
  } finally {
    await store.close();
  }
}

/** What the server's own command lines for the content (`npm run import`, `npm run feeds`) work with. */
export interface ImportTools {
  config: Config;
  logger: Logger;
  store: Store;
  /** This machine's copy of a shared database's articles, synced; `null` without one. */
  mirror: ArticleMirror | null;
  /** The articles served from the content directory and the imports, as read now. */
  articles: Article[];
  importer: ArticleImporter;
}

/**
 * Opens what `npm run import` and `npm run feeds` need: the configuration, a quiet logger, the
 * store, the imports' shelf (synced with a shared database) and an importer next to the articles
 * served now. The caller closes the store.
 */
export async function openImportTools(): Promise<ImportTools> {
  const config = loadConfig(readEnvironment());
  await ensureStateDir(config.stateDir);
  const logger = createLogger({ level: 'warn', format: 'pretty', secrets: secretsOf(config) });
  const store = await openConfiguredStore(config, logger);
  const { shelf, mirror } = shelfFor(config.imports.dir, store, logger);
  try {
    await mirror?.sync();
    const { articles } = await loadArticles(config.dataDir, config.imports.dir);
    const importer = new ArticleImporter({
      shelf,
      policy: ArticleImporter.policyOf(config),
      logger,
      served: () => articles,
    });
    return { config, logger, store, mirror, articles, importer };
  } catch (error) {
    await store.close();
    throw error;
  }
}
