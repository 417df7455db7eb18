import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFrontMatter } from '../content/frontMatter.js';
import { isArticleFile } from '../content/loadArticles.js';
import { slugify } from '../content/normalize.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ContentChange, SharedContent, Store } from '../store/store.js';
import { ArticleMirror } from '../fleet/mirror.js';

/** An imported article's file, as its front matter names it. */
export interface ImportedFile {
  /** The file's name in the imports directory. */
  name: string;
  url: string | null;
  title: string | null;
}

/** A change that stores an article: its Markdown with who added it. */
export type StoredChange = ContentChange & { action: 'added' | 'updated'; markdown: string };

/**
 * Where imported articles are kept, and where the record of who changed what goes with them: a
 * directory on this machine ({@link DirectoryShelf}), or the database every machine shares
 * ({@link DatabaseShelf}). Either leaves each article as `slug.md` in {@link ImportShelf.dir},
 * which the knowledge base serves.
 */
export interface ImportShelf {
  /** The directory the served files are in (with a shared database, once the reload that follows a change has synced it). */
  readonly dir: string;
  /** The imported articles by slug, with their links and titles. */
  list(): Promise<Map<string, ImportedFile>>;
  /** Stores a new article under its slug unless an article has it: `false` then, and nothing is stored. */
  claim(change: StoredChange & { action: 'added' }): Promise<boolean>;
  /** Stores an article over the earlier import under its slug. */
  replace(change: StoredChange & { action: 'updated' }): Promise<void>;
  /** Removes the article under the change's slug (its file is `fileName`). */
  remove(change: ContentChange & { action: 'removed' }, fileName: string): Promise<void>;
}

/**
 * Imports as files in a directory on this machine (STATE_DIR/articles), claimed atomically so two
 * processes importing at once never write over each other; the record of the change goes to the
 * store when there is one, and the change stands when the store cannot take it (logged).
 */
export class DirectoryShelf implements ImportShelf {
  constructor(
    readonly dir: string,
    private readonly store: Store | null,
    private readonly logger: Logger,
  ) {}

  list(): Promise<Map<string, ImportedFile>> {
    return listImports(this.dir);
  }

  async claim(change: StoredChange & { action: 'added' }): Promise<boolean> {
    const claimed = await this.withTemporary(change.markdown, async (temporary) => {
      try {
        await link(temporary, path.join(this.dir, `${change.slug}.md`));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    });
    if (claimed) await this.record(change);
    return claimed;
  }

  async replace(change: StoredChange & { action: 'updated' }): Promise<void> {
    await this.withTemporary(change.markdown, (temporary) =>
      rename(temporary, path.join(this.dir, `${change.slug}.md`)),
    );
    await this.record(change);
  }

  async remove(change: ContentChange & { action: 'removed' }, fileName: string): Promise<void> {
    await rm(path.join(this.dir, fileName), { force: true });
    await this.record(change);
  }

  /** Writes `text` to a temporary file of the directory for `work`, and removes what is left of it after. */
  private async withTemporary<T>(text: string, work: (temporary: string) => Promise<T>): Promise<T> {
    await mkdir(this.dir, { recursive: true });
    const temporary = path.join(this.dir, `.import-${process.pid}-${randomUUID()}.tmp`);
    await writeFile(temporary, text);
    try {
      return await work(temporary);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  /** Records who changed what; the change stands when the database cannot take it (logged as a warning). */
  private async record(change: ContentChange): Promise<void> {
    await this.store
      ?.recordContentChange(change)
      .catch((error: unknown) =>
        this.logger.warn('store.change_not_recorded', { slug: change.slug, error: String(error) }),
      );
  }
}

/**
 * Imports kept in the database every machine shares (PostgreSQL): the article's Markdown and who
 * added it are written in one transaction, and a new slug is claimed there, so two machines never
 * take one. The change reaches this machine's mirror of the database's articles (and every other
 * machine's) with the reload that follows. A database that cannot be reached refuses the change,
 * saying so: nothing is kept on one machine only.
 */
export class DatabaseShelf implements ImportShelf {
  readonly dir: string;

  constructor(
    private readonly store: Pick<Store, 'recordContentChange'>,
    private readonly shared: SharedContent,
    private readonly mirror: ArticleMirror,
    private readonly logger: Logger,
  ) {
    this.dir = mirror.dir;
  }

  async list(): Promise<Map<string, ImportedFile>> {
    await this.reachable(() => this.mirror.sync());
    return listImports(this.dir);
  }

  claim(change: StoredChange & { action: 'added' }): Promise<boolean> {
    return this.reachable(() => this.shared.claimArticle(change));
  }

  replace(change: StoredChange & { action: 'updated' }): Promise<void> {
    return this.reachable(() => this.store.recordContentChange(change));
  }

  remove(change: ContentChange & { action: 'removed' }): Promise<void> {
    return this.reachable(() => this.store.recordContentChange(change));
  }

  /** `work`, or a user error when the database does not answer (the reason is logged, not shown). */
  private async reachable<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.logger.warn('content.shared_unreachable', { error: String(error) });
      throw new UserError(
        'The database that keeps the articles for every machine did not answer, so nothing was changed. Try again in a moment.',
      );
    }
  }
}

/** The imported articles' files of `dir` by slug, with their links and titles, read from the files themselves. */
async function listImports(dir: string): Promise<Map<string, ImportedFile>> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = new Map<string, ImportedFile>();
  for (const name of names.filter(isArticleFile)) {
    const text = await readFile(path.join(dir, name), 'utf8').catch(() => '');
    const { values } = parseFrontMatter(text.split(/\r\n|\r|\n/, 40)).frontMatter;
    files.set(slugify(name.slice(0, -3)), { name, url: values.url?.value ?? null, title: values.title?.value ?? null });
  }
  return files;
}

/**
 * The shelf for `store`: the database's, with this machine's mirror of it in `dir`, when the store
 * is shared by machines (PostgreSQL); else the files of `dir`.
 *
 * @example
 * const { shelf, mirror } = shelfFor(config.imports.dir, store, logger);
 * await mirror?.sync(); // before the first load
 */
export function shelfFor(
  dir: string,
  store: Store | null,
  logger: Logger,
): { shelf: ImportShelf; mirror: ArticleMirror | null } {
  const shared = store?.shared;
  if (!store || !shared) return { shelf: new DirectoryShelf(dir, store, logger), mirror: null };
  const mirror = new ArticleMirror(shared, dir);
  return { shelf: new DatabaseShelf(store, shared, mirror, logger), mirror };
}
