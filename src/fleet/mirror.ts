import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isArticleFile } from '../content/loadArticles.js';
import type { SharedContent } from '../store/store.js';

/** The mirror's record of which version of each article its files hold. */
const VERSIONS_FILE = '.versions.json';

/** What a sync did. */
export interface MirrorSync {
  /** Whether any file was written or removed: the served content must be reloaded. */
  changed: boolean;
  /** Articles the database has no Markdown for (imported before it was stored): not served. */
  withoutMarkdown: string[];
  /** Which versions the files held before the sync, and hold now, as {@link ArticleMirror.state} gives it. */
  before: string;
  state: string;
  /** The names of the files it wrote or removed. */
  files: string[];
}

/**
 * A directory holding a copy of the imported articles kept in the database (PostgreSQL), one
 * Markdown file per article, which the knowledge base reads like any imports directory. A sync
 * reads the articles' versions, fetches only the articles that changed, writes each file whole
 * (renamed into place) and removes the files of articles the database no longer has. The
 * directory belongs to the mirror: nothing else should write into it.
 *
 * @example
 * const mirror = new ArticleMirror(store.shared, 'state/shared-articles');
 * if ((await mirror.sync()).changed) await knowledge.reload();
 */
export class ArticleMirror {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly shared: Pick<SharedContent, 'articleVersions' | 'markdownOf'>,
    readonly dir: string,
  ) {}

  /**
   * Brings the directory up to the database's articles; syncs asked for together run one after
   * the other.
   *
   * @throws when the database cannot be read (the files are left as they were).
   */
  sync(): Promise<MirrorSync> {
    const next = this.queue.then(
      () => this.syncNow(),
      () => this.syncNow(),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async syncNow(): Promise<MirrorSync> {
    const wanted = await this.shared.articleVersions();
    await mkdir(this.dir, { recursive: true });
    const held = await this.heldVersions();
    const before = stateOf(held);
    const names = (await readdir(this.dir)).filter(isArticleFile);
    const files = new Set(names);
    const stale = [...wanted].filter(([slug, version]) => held.get(slug) !== version || !files.has(`${slug}.md`));
    const markdown = await this.shared.markdownOf(stale.map(([slug]) => slug));
    const written: string[] = [];
    const withoutMarkdown: string[] = [];
    for (const [slug, version] of stale) {
      const text = markdown.get(slug);
      if (text === undefined) {
        withoutMarkdown.push(slug);
        continue;
      }
      await this.writeWhole(`${slug}.md`, text);
      held.set(slug, version);
      written.push(`${slug}.md`);
    }
    // Only `slug.md` of a slug the database has stays: any other article file would be served.
    for (const name of names) {
      const slug = name.slice(0, -3);
      if (name === `${slug}.md` && wanted.has(slug) && !withoutMarkdown.includes(slug)) continue;
      await rm(path.join(this.dir, name), { force: true });
      held.delete(slug);
      written.push(name);
    }
    for (const slug of held.keys()) if (!wanted.has(slug)) held.delete(slug);
    const state = stateOf(held);
    // Checked every few seconds: the record is rewritten only when it changed.
    if (state !== before) await this.writeWhole(VERSIONS_FILE, JSON.stringify(Object.fromEntries(held)));
    return { changed: written.length > 0, withoutMarkdown, before, state, files: written };
  }

  /**
   * Which versions of the articles the files hold, as the last sync (of any process sharing the
   * directory) left them: equal states mean the same articles. Compared with the state last
   * served, it tells whether a reload is due even when another process did the sync.
   */
  async state(): Promise<string> {
    return stateOf(await this.heldVersions());
  }

  /** Writes `name` of the directory whole (renamed into place), so no reader, in this process or another, sees half of it. */
  private async writeWhole(name: string, text: string): Promise<void> {
    const temporary = path.join(this.dir, `.${randomUUID()}.tmp`);
    await writeFile(temporary, text);
    await rename(temporary, path.join(this.dir, name));
  }

  /** The versions the files hold, as the last sync left them (none when it left no record). */
  private async heldVersions(): Promise<Map<string, number>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(path.join(this.dir, VERSIONS_FILE), 'utf8'));
      if (parsed === null || typeof parsed !== 'object') return new Map();
      return new Map(Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
    } catch {
      return new Map();
    }
  }
}

/** The versions held, in one string that is equal for equal contents. */
function stateOf(held: ReadonlyMap<string, number>): string {
  return JSON.stringify([...held].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
