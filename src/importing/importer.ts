import path from 'node:path';
import type { Article, ArticleInfo } from '../content/article.js';
import { slugify } from '../content/normalize.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Actor } from '../store/store.js';
import type { Config } from '../config.js';
import type { ImportedFile, ImportShelf } from './importShelf.js';
import type { KnowledgeBase } from '../serving/knowledgeBase.js';
import { DEFAULT_FETCH_LIMITS, type FetchLimits } from './safeFetch.js';
import { Slots } from './slots.js';
import { startWorker } from '../workers.js';

/**
 * What to import: a link, a file attached in Discord, a file on this machine (the terminal), or a
 * feed's item (its link, and its own content to fall back on when the page yields no article).
 */
export type ImportSource =
  | { kind: 'link'; url: string }
  | { kind: 'feed-item'; url: string; content: FeedItemContent | null }
  | { kind: 'attachment'; url: string; name: string; size: number }
  | { kind: 'file'; path: string };

/** A feed item's own text: taken when its page yields no article (a paywall, a page built by script). */
export interface FeedItemContent {
  title: string;
  /** Its full content as HTML (`content:encoded`, Atom `content`, JSON Feed `content_html`). */
  html: string;
  /** When it was published (ms since the epoch), if the feed says. */
  published: number | null;
}

/** What the import worker is asked: the sources to convert, in order. */
export interface ImportRequest {
  sources: ImportSource[];
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
  /** The stored Markdown file, and its name in the imported articles' directory. */
  file: string;
  name: string;
}

/** An imported article removed: its slug and title, and the name its file had in the imported articles' directory. */
export interface Removed {
  slug: string;
  title: string;
  name: string;
}

/** An import the moderator has to hear about: a refusal with its reason, and the file's problems if any. */
export class ImportRefused extends UserError {
  override readonly name = 'ImportRefused';
  /** The file's problems, as `file:line: problem`, when it was refused for them. */
  readonly problems: readonly string[];

  constructor(reason: string, problems: readonly string[] = []) {
    super(reason);
    this.problems = problems;
  }
}

/** An import that failed for a fault of the bot (the worker crashed): logged as a bug, never shown as a reason. */
export class ImportFault extends Error {
  override readonly name = 'ImportFault';
}

/** Longest a slug made from a title gets, in characters. */
const SLUG_LENGTH = 80;
/** The import worker's heap: a 5 MB page's DOM takes under 200 MB; a page built to take more is stopped. */
const IMPORT_MEMORY = { maxOldGenerationSizeMb: 512 };
/**
 * Conversions running at once in this process, whoever asked for them: with {@link IMPORT_MEMORY}
 * each, at most 1 GB of heap together, however many moderators import at the same moment (three
 * 4.5 MB pages once took 1.69 GB at once); the others wait their turn, in order.
 */
const CONVERSIONS = new Slots(2);
/** How long the worker may take beyond the fetch's own limit: extracting a 5 MB page takes under a second. */
const PARSE_GRACE_MS = 30_000;

/**
 * Adds and removes the articles moderators import: each is converted in a worker thread (fetching
 * and parsing never run on the thread that answers), stored in the project's format on its shelf
 * (files in STATE_DIR/articles, or with PostgreSQL the database every machine shares), and
 * recorded with who did it. The caller reloads the content to serve the change. One change at a
 * time, in the order asked.
 *
 * @example
 * const importer = new ArticleImporter({ shelf, policy, logger, served: () => knowledge.engine.articles });
 * const imported = await importer.add({ kind: 'link', url }, { id: userId, name });
 * await knowledge.reload();
 */
export class ArticleImporter {
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * The importer as the configuration sets it up: onto `shelf`, with IMPORT_MAX_BYTES and
   * IMPORT_ALLOW_PRIVATE, next to the articles `knowledge` serves.
   */
  static configured(
    config: Config,
    deps: { shelf: ImportShelf; logger: Logger; knowledge: KnowledgeBase },
  ): ArticleImporter {
    return new ArticleImporter({
      shelf: deps.shelf,
      policy: ArticleImporter.policyOf(config),
      logger: deps.logger,
      // Before the first load this throws NotReadyError: an import must know DATA_DIR's slugs and links.
      served: () => deps.knowledge.engine.articles,
    });
  }

  /** What imports may fetch, as configured: IMPORT_MAX_BYTES, IMPORT_TIMEOUT and IMPORT_ALLOW_PRIVATE; 5 redirects. */
  static policyOf(config: Config): ImportRequest['policy'] {
    const { maxBytes, timeoutMs, allowPrivate } = config.imports;
    return { ...DEFAULT_FETCH_LIMITS, maxBytes, timeoutMs, allowPrivate };
  }

  constructor(
    private readonly deps: {
      shelf: ImportShelf;
      policy: ImportRequest['policy'];
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
  async add(source: ImportSource, actor: Actor): Promise<Imported> {
    const [result] = await this.addAll([source], actor);
    if (result === undefined || result instanceof Error) throw result ?? new ImportFault('the import gave no result');
    return result;
  }

  /**
   * Imports several articles (a feed's new items) in the order given, converted one after another
   * by one worker (starting a worker costs more than converting a page; a page that takes too long
   * or crashes it gets a fresh worker for the pages after it): each imported, refused with the
   * reason, or failed for a fault of the bot.
   */
  async addAll(sources: readonly ImportSource[], actor: Actor): Promise<Array<Imported | ImportRefused | ImportFault>> {
    const results: Array<Promise<Imported | ImportRefused | ImportFault>> = [];
    // The shelf is listed once for the batch, and kept up to date as each is stored: listing it
    // for each of a feed's items would read every imported file again each time.
    let listing: Promise<Map<string, ImportedFile>> | null = null;
    const files = (): Promise<Map<string, ImportedFile>> => (listing ??= this.deps.shelf.list());
    // Converted two workers at a time (CONVERSIONS); only choosing the slug and storing take turns one by one.
    await CONVERSIONS.run(() =>
      convertInWorker({ sources: [...sources], policy: this.deps.policy }, (result) => {
        const outcome =
          result.type === 'converted'
            ? this.serially(() => this.stored(result, actor, files)).catch((error: unknown) => {
                if (error instanceof ImportRefused || error instanceof UserError)
                  return new ImportRefused(error.message);
                return new ImportFault(`storing the import failed: ${String(error)}`);
              })
            : Promise.resolve(
                result.type === 'refused'
                  ? new ImportRefused(result.reason, result.problems)
                  : new ImportFault(`the import worker failed: ${result.error}`),
              );
        results.push(outcome);
      }),
    );
    return Promise.all(results);
  }

  /** Stores a converted article, logged with who imported it. */
  private async stored(
    result: Converted,
    actor: Actor,
    files: () => Promise<Map<string, ImportedFile>>,
  ): Promise<Imported> {
    const { slug, status } = await this.store(result, actor, await files());
    const { article } = result;
    const name = `${slug}.md`;
    const file = path.join(this.deps.shelf.dir, name);
    this.deps.logger.info('content.imported', {
      status,
      slug,
      title: article.title,
      from: result.from,
      user: actor.name,
      userId: actor.id,
    });
    (await files()).set(slug, { name, url: article.url, title: article.title });
    const { passages, from } = result;
    return { status, slug, article: { ...article, slug, file }, passages, from, file, name };
  }

  /**
   * Removes an imported article, named by its slug, its title, or a part of its title that names
   * no other; also one left out of the served content for a problem, by its slug.
   *
   * @throws {UserError} when no imported article has that name, several do, or it comes from DATA_DIR.
   */
  remove(name: string, actor: Actor): Promise<Removed> {
    return this.serially(async () => {
      const files = await this.deps.shelf.list();
      return this.removeFrom(files, this.find(name, files), actor);
    });
  }

  /**
   * Removes the imported articles of exactly these slugs (a feed's stories past retention), listing
   * the shelf once; a slug no imported file has is passed over. Never matched by title.
   */
  removeSlugs(slugs: readonly string[], actor: Actor): Promise<Removed[]> {
    return this.serially(async () => {
      const files = await this.deps.shelf.list();
      const removed: Removed[] = [];
      for (const slug of slugs) {
        const file = files.get(slug);
        if (file) removed.push(await this.removeFrom(files, { slug, title: file.title ?? slug }, actor));
      }
      return removed;
    });
  }

  /** Removes one imported article from the shelf, recorded and logged. */
  private async removeFrom(
    files: ReadonlyMap<string, ImportedFile>,
    removed: { slug: string; title: string },
    actor: Actor,
  ): Promise<Removed> {
    const source = files.get(removed.slug)?.url ?? removed.slug;
    const file = files.get(removed.slug)?.name ?? `${removed.slug}.md`;
    await this.deps.shelf.remove({ action: 'removed', ...removed, source, actor }, file);
    this.deps.logger.info('content.removed', { ...removed, user: actor.name, userId: actor.id });
    return { ...removed, name: file };
  }

  /** The imported article `name` names (see {@link ArticleImporter.remove}). */
  private find(name: string, files: ReadonlyMap<string, ImportedFile>): { slug: string; title: string } {
    const wanted = name.trim().toLowerCase();
    if (wanted === '') throw new UserError('Name the article to remove: its title.');
    const served = this.deps.served();
    const fromData = (article: ArticleInfo): UserError =>
      new UserError(
        `“${article.title}” comes from the bot's content directory on its server (DATA_DIR), not from an import: it can't be removed from here. Whoever hosts the bot can delete its file and /reload.`,
      );
    const exact = served.find((a) => a.slug === wanted || a.title.toLowerCase() === wanted);
    if (exact?.origin === 'data') throw fromData(exact);
    if (exact) return { slug: exact.slug, title: exact.title };
    // An imported file the served content left out (it has a problem) is removable by its slug.
    if (files.has(wanted)) return { slug: wanted, title: files.get(wanted)?.title ?? wanted };
    const partial = served.filter((a) => a.title.toLowerCase().includes(wanted));
    const [only] = partial;
    if (only && partial.length === 1) {
      if (only.origin === 'data') throw fromData(only);
      return { slug: only.slug, title: only.title };
    }
    const titles = (list: readonly ArticleInfo[]): string =>
      list
        .slice(0, 10)
        .map((a) => `“${a.title}”`)
        .join(', ') + (list.length > 10 ? ` and ${list.length - 10} more` : '');
    if (partial.length > 1)
      throw new UserError(`"${name.slice(0, 100)}" names several articles: ${titles(partial)}. Give the whole title.`);
    const imported = served.filter((a) => a.origin === 'imported');
    throw new UserError(
      `No imported article matches "${name.slice(0, 100)}". ${imported.length > 0 ? `The imported ones are: ${titles(imported)}.` : 'No article has been imported.'}`,
    );
  }

  /**
   * Stores an import under its slug: over the earlier import of the same story, or as a new
   * article under a slug no article has, claimed atomically on the shelf.
   */
  private async store(
    result: Converted,
    actor: Actor,
    files: ReadonlyMap<string, ImportedFile>,
  ): Promise<{ slug: string; status: 'added' | 'updated' }> {
    const place = this.placeFor(result, files);
    const change = { title: result.article.title, source: result.from, actor, markdown: result.markdown };
    if (place.status === 'updated') {
      await this.deps.shelf.replace({ ...change, action: 'updated', slug: place.slug });
      return place;
    }
    for (let n = 1; ; n++) {
      const slug = n === 1 ? place.slug : `${place.slug}-${n}`;
      if (!place.taken.has(slug) && (await this.deps.shelf.claim({ ...change, action: 'added', slug })))
        return { slug, status: 'added' };
    }
  }

  /** Where an import goes: the slug of the earlier import it replaces, or the one to start from for a new one. */
  private placeFor(
    result: Converted,
    files: ReadonlyMap<string, ImportedFile>,
  ): { slug: string; status: 'updated' } | { slug: string; status: 'added'; taken: ReadonlySet<string> } {
    const { article } = result;
    const data = this.deps.served().filter((a) => a.origin === 'data');
    const same = article.url === null ? undefined : data.find((a) => a.url === article.url);
    if (same)
      throw new ImportRefused(
        `“${same.title}” is already served from the bot's content directory (DATA_DIR) with the same link, so it is not imported again.`,
      );
    const taken = new Set([...data.map((a) => a.slug), ...files.keys()]);
    if (result.fileName !== null) {
      const slug = slugify(result.fileName.replace(/\.(?:md|markdown)$/i, ''));
      if (slug === '')
        throw new ImportRefused(`${result.fileName}: the file name gives an empty slug: name it like "my-article.md"`);
      if (data.some((a) => a.slug === slug))
        throw new ImportRefused(
          `${result.fileName}: an article of the bot's content directory already has the slug "${slug}": rename the file`,
        );
      return files.has(slug) ? { slug, status: 'updated' } : { slug, status: 'added', taken };
    }
    const earlier = article.url === null ? undefined : [...files].find(([, file]) => file.url === article.url)?.[0];
    if (earlier !== undefined) return { slug: earlier, status: 'updated' };
    return { slug: titleSlug(article.title), status: 'added', taken };
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

type Converted = Extract<ImportResult, { type: 'converted' }>;

/** A slug from a title: its first words, cut at a word boundary; `article` when the title has no Latin letters or digits. */
function titleSlug(title: string): string {
  const slug = slugify(title);
  if (slug === '') return 'article';
  if (slug.length <= SLUG_LENGTH) return slug;
  const cut = slug.slice(0, SLUG_LENGTH);
  return cut.slice(0, cut.lastIndexOf('-') > SLUG_LENGTH / 2 ? cut.lastIndexOf('-') : SLUG_LENGTH);
}

/**
 * Runs the import worker on `request`, giving each source's result to `each` as it comes, in order.
 * A source taking too long, or one that makes the worker fail, answers for itself, and the sources
 * after it go to a fresh worker.
 */
async function convertInWorker(request: ImportRequest, each: (result: ImportResult) => void): Promise<void> {
  let rest = request.sources;
  while (rest.length > 0) {
    const answered = await convertSome({ ...request, sources: rest }, each);
    rest = rest.slice(answered);
  }
}

/** One worker over `request.sources`, until it has answered them all or stops on one: how many it answered (that one included). */
function convertSome(request: ImportRequest, each: (result: ImportResult) => void): Promise<number> {
  const worker = startWorker(import.meta.url, 'importWorker', request, IMPORT_MEMORY);
  let answered = 0;
  return new Promise<number>((resolve) => {
    const limit = request.policy.timeoutMs + PARSE_GRACE_MS;
    const stop = (result: ImportResult | null): void => {
      clearTimeout(timer);
      if (result && answered < request.sources.length) {
        answered++;
        each(result);
      }
      resolve(answered);
    };
    let timer = setTimeout(
      () => stop({ type: 'refused', reason: 'the page took too long to read', problems: [] }),
      limit,
    );
    worker.on('message', (message: { index: number; result: ImportResult }) => {
      if (message.index !== answered) return;
      answered++;
      each(message.result);
      clearTimeout(timer);
      if (answered === request.sources.length) return stop(null);
      timer = setTimeout(
        () => stop({ type: 'refused', reason: 'the page took too long to read', problems: [] }),
        limit,
      );
    });
    worker.once('error', (error) => stop({ type: 'failed', error: error.stack ?? error.message }));
    worker.once('exit', (code) => stop({ type: 'failed', error: `the import worker exited with code ${code}` }));
    // Its slot is free once the worker has stopped, not before.
  }).finally(() => worker.terminate());
}
