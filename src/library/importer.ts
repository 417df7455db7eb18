import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article, ArticleInfo } from '../content/article.js';
import { parseFrontMatter } from '../content/frontMatter.js';
import { slugify } from '../content/normalize.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Actor, Store } from '../store/store.js';
import type { Config } from '../config.js';
import type { KnowledgeBase } from './knowledgeBase.js';
import { DEFAULT_FETCH_LIMITS, type FetchLimits } from './safeFetch.js';
import { startWorker } from './workers.js';

/** What to import: a link, a file attached in Discord, or a file on this machine (the terminal). */
export type ImportSource =
  | { kind: 'link'; url: string }
  | { kind: 'attachment'; url: string; name: string; size: number }
  | { kind: 'file'; path: string };

/** What the import worker is asked. */
export interface ImportRequest {
  source: ImportSource;
  policy: FetchLimits & { allowPrivate: boolean };
}

/** What the import worker answers. */
export type ImportResult =
  | {
      type: 'converted';
      /** The article in the project's format, as it will be stored. */
      markdown: string;
      article: Article;
      passages: number;
      /** Where it came from: the page's address after redirects, or the file's name. */
      from: string;
      /** A Markdown file's own name, which gives its slug as in DATA_DIR; `null` for other formats (the title gives it). */
      fileName: string | null;
    }
  | { type: 'refused'; reason: string; problems: string[] }
  | { type: 'failed'; error: string };

/** An article imported (or imported again), for the reply. */
export interface Imported {
  status: 'added' | 'updated';
  slug: string;
  article: Article;
  passages: number;
  from: string;
  /** The stored Markdown file. */
  file: string;
}

/** An import the moderator has to hear about: a refusal with its reason, and the file's problems if any. */
export class ImportRefused extends UserError {
  override readonly title = 'Not imported';
  override readonly details: readonly string[];

  constructor(reason: string, problems: readonly string[] = []) {
    super(reason);
    this.details = problems;
  }
}

/** Longest a slug made from a title gets, in characters. */
const SLUG_LENGTH = 80;
/** How long the worker may take beyond the fetch's own limit: extracting a 5 MB page takes under a second. */
const PARSE_GRACE_MS = 30_000;

/**
 * Adds and removes the articles moderators import: each is converted in a worker thread (fetching
 * and parsing never run on the thread that answers), stored as a Markdown file in the project's
 * format under the imports directory (STATE_DIR/articles), and recorded with who did it. The caller
 * reloads the content to serve the change. One change at a time, in the order asked.
 *
 * @example
 * const importer = new ArticleImporter({ importsDir, policy, store, logger, served: () => knowledge.engine.articles });
 * const imported = await importer.add({ kind: 'link', url }, { id: userId, name });
 * await knowledge.reload();
 */
export class ArticleImporter {
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * The importer as the configuration sets it up: into STATE_DIR/articles, with IMPORT_MAX_BYTES
   * and IMPORT_ALLOW_PRIVATE, next to the articles `knowledge` serves.
   */
  static configured(
    config: Config,
    deps: { store: Store | null; logger: Logger; knowledge: KnowledgeBase },
  ): ArticleImporter {
    return new ArticleImporter({
      importsDir: config.imports.dir,
      policy: ArticleImporter.policyOf(config),
      store: deps.store,
      logger: deps.logger,
      // Before the first load this throws NotReadyError: an import must know DATA_DIR's slugs and links.
      served: () => deps.knowledge.engine.articles,
    });
  }

  /** What imports may fetch, as configured: IMPORT_MAX_BYTES and IMPORT_ALLOW_PRIVATE, 15 s, 5 redirects. */
  static policyOf(config: Config): ImportRequest['policy'] {
    return { ...DEFAULT_FETCH_LIMITS, maxBytes: config.imports.maxBytes, allowPrivate: config.imports.allowPrivate };
  }

  constructor(
    private readonly deps: {
      importsDir: string;
      policy: ImportRequest['policy'];
      store: Store | null;
      logger: Logger;
      /** The articles served now: DATA_DIR's slugs and links are never taken by an import. */
      served: () => readonly ArticleInfo[];
    },
  ) {}

  /**
   * Imports an article. The same story again (the same canonical link, or a Markdown file of the
   * same name) replaces the earlier import.
   *
   * @throws {ImportRefused} saying why nothing was added.
   */
  add(source: ImportSource, actor: Actor): Promise<Imported> {
    return this.serially(async () => {
      const result = await convertInWorker({ source, policy: this.deps.policy });
      if (result.type === 'failed') throw new Error(`the import worker failed: ${result.error}`);
      if (result.type === 'refused') throw new ImportRefused(result.reason, result.problems);
      const { slug, status } = await this.placeFor(result);
      const file = path.join(this.deps.importsDir, `${slug}.md`);
      await mkdir(this.deps.importsDir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, result.markdown);
      await rename(temporary, file);
      const { article } = result;
      this.deps.store?.recordContentChange({ action: status, slug, title: article.title, source: result.from, actor });
      this.deps.logger.info('content.imported', {
        status,
        slug,
        title: article.title,
        from: result.from,
        user: actor.name,
        userId: actor.id,
      });
      return { status, slug, article: { ...article, slug, file }, passages: result.passages, from: result.from, file };
    });
  }

  /**
   * Removes an imported article, named by its slug or title.
   *
   * @throws {UserError} when no imported article has that name, or it comes from DATA_DIR.
   */
  remove(name: string, actor: Actor): Promise<ArticleInfo> {
    return this.serially(async () => {
      const article = this.find(name);
      await rm(path.join(this.deps.importsDir, `${article.slug}.md`), { force: true });
      this.deps.store?.recordContentChange({
        action: 'removed',
        slug: article.slug,
        title: article.title,
        source: article.url ?? article.file,
        actor,
      });
      this.deps.logger.info('content.removed', {
        slug: article.slug,
        title: article.title,
        user: actor.name,
        userId: actor.id,
      });
      return article;
    });
  }

  /** The served article `name` names, when it is one that can be removed. */
  private find(name: string): ArticleInfo {
    const wanted = name.trim().toLowerCase();
    if (wanted === '') throw new UserError('Name the article to remove: a word of its title.');
    const served = this.deps.served();
    const article =
      served.find((a) => a.slug === wanted) ??
      served.find((a) => a.title.toLowerCase() === wanted) ??
      served.find((a) => a.origin === 'imported' && a.title.toLowerCase().includes(wanted)) ??
      served.find((a) => a.title.toLowerCase().includes(wanted));
    if (!article) {
      const imported = served.filter((a) => a.origin === 'imported').map((a) => `“${a.title}”`);
      throw new UserError(
        `No imported article matches "${name.slice(0, 100)}". ${imported.length > 0 ? `The imported ones are: ${imported.join(', ')}.` : 'No article has been imported.'}`,
      );
    }
    if (article.origin === 'data')
      throw new UserError(
        `“${article.title}” comes from the bot's content directory on its server (DATA_DIR), not from an import: it can't be removed from here. Whoever hosts the bot can delete its file and /reload.`,
      );
    return article;
  }

  /** The slug an import is stored under, and whether it replaces an earlier import. */
  private async placeFor(
    result: Extract<ImportResult, { type: 'converted' }>,
  ): Promise<{ slug: string; status: 'added' | 'updated' }> {
    const { article } = result;
    const served = this.deps.served().filter((a) => a.origin === 'data');
    const same = article.url === null ? undefined : served.find((a) => a.url === article.url);
    if (same)
      throw new ImportRefused(
        `“${same.title}” is already served from the bot's content directory (DATA_DIR) with the same link, so it is not imported again.`,
      );
    const imports = await this.importedLinks();
    const taken = new Set([...served.map((a) => a.slug), ...imports.keys()]);
    if (result.fileName !== null) {
      const slug = slugify(result.fileName.replace(/\.(?:md|markdown)$/i, ''));
      if (slug === '')
        throw new ImportRefused(`${result.fileName}: the file name gives an empty slug: name it like "my-article.md"`);
      if (served.some((a) => a.slug === slug))
        throw new ImportRefused(
          `${result.fileName}: an article of the bot's content directory already has the slug "${slug}": rename the file`,
        );
      return { slug, status: imports.has(slug) ? 'updated' : 'added' };
    }
    const earlier = article.url === null ? undefined : [...imports].find(([, url]) => url === article.url)?.[0];
    if (earlier !== undefined) return { slug: earlier, status: 'updated' };
    const base = titleSlug(article.title);
    // Without a link, the same title is the same story.
    if (article.url === null && imports.has(base) && imports.get(base) === null)
      return { slug: base, status: 'updated' };
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    return { slug, status: 'added' };
  }

  /** The imported articles' slugs and links, read from their files (the database may not know of files copied in). */
  private async importedLinks(): Promise<Map<string, string | null>> {
    const names = await readdir(this.deps.importsDir).catch(() => [] as string[]);
    const links = new Map<string, string | null>();
    for (const name of names.filter((n) => n.endsWith('.md'))) {
      const text = await readFile(path.join(this.deps.importsDir, name), 'utf8').catch(() => '');
      const { frontMatter } = parseFrontMatter(text.split(/\r\n|\r|\n/, 40));
      links.set(slugify(name.slice(0, -3)), frontMatter.values.url?.value ?? null);
    }
    return links;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** A slug from a title: its first words, cut at a word boundary; `article` when the title has no Latin letters or digits. */
function titleSlug(title: string): string {
  const slug = slugify(title);
  if (slug === '') return 'article';
  if (slug.length <= SLUG_LENGTH) return slug;
  const cut = slug.slice(0, SLUG_LENGTH);
  return cut.slice(0, cut.lastIndexOf('-') > SLUG_LENGTH / 2 ? cut.lastIndexOf('-') : SLUG_LENGTH);
}

/** Runs the import worker on `request` and waits for its answer. */
function convertInWorker(request: ImportRequest): Promise<ImportResult> {
  const worker = startWorker('importWorker', request);
  return new Promise<ImportResult>((resolve) => {
    const timer = setTimeout(
      () => resolve({ type: 'refused', reason: 'the page took too long to read', problems: [] }),
      request.policy.timeoutMs + PARSE_GRACE_MS,
    );
    const settle = (result: ImportResult): void => {
      clearTimeout(timer);
      resolve(result);
    };
    worker.once('message', settle);
    worker.once('error', (error) => settle({ type: 'failed', error: error.stack ?? error.message }));
    worker.once('exit', (code) => settle({ type: 'failed', error: `the import worker exited with code ${code}` }));
  }).finally(() => void worker.terminate());
}
