import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ContentError } from '../errors.js';
import { byFileAndLine, type Article, type Problem } from './article.js';
import { slugify } from './normalize.js';
import { ARTICLE_LIMITS, formatBytes } from './limits.js';
import { parseArticle } from './parseArticle.js';

/** What loading a content directory found: the usable articles and every problem, in file order. */
export interface LoadResult {
  articles: Article[];
  /** Problems of the content directory's files: the caller decides whether they stop serving. */
  problems: Problem[];
  /**
   * Problems of imported files, which are left out while the rest serves: an import is never what
   * stops the bot (a file copied in by hand, a slug a content file took later: the content file wins).
   */
  skipped: Problem[];
  /** A hash of every file's name and bytes: equal fingerprints mean identical content. */
  fingerprint: string;
}

/** A directory articles are read from, and whether they count as imported (see {@link Article.origin}). */
interface ArticleFolder {
  dir: string;
  /** Its real path: links out of it are refused. */
  root: string;
  names: string[];
  origin: Article['origin'];
}

/**
 * Reads and validates every article of a content directory (`DIR/articles/*.md` when DIR has an
 * `articles` folder, else `DIR/*.md`) and of the imported articles' directory, when given and
 * present. Slugs are unique across both, the content directory's first. A bad file is reported and
 * left out; the caller decides whether the content directory's problems are fatal (start-up) or keep
 * the previous content serving (reload); an imported file's are only reported (`skipped`).
 * Only regular files inside the directories are read: links leading outside them are refused.
 *
 * @throws {ContentError} when the content directory does not exist or cannot be read.
 */
export async function loadArticles(dataDir: string, importsDir: string | null = null): Promise<LoadResult> {
  const folders = await articleFolders(dataDir, importsDir);
  const articles: Article[] = [];
  const problems: Problem[] = [];
  const skipped: Problem[] = [];
  const fileOfSlug = new Map<string, string>();
  const hash = createHash('sha256');

  for (const { dir, root, names, origin } of folders) {
    const found = origin === 'data' ? problems : skipped;
    const texts = await mapConcurrently(names, READ_CONCURRENCY, (name) => readArticleFile(path.join(dir, name), root));
    names.forEach((name, i) => {
      const file = path.join(dir, name);
      const text = texts[i] ?? { problem: 'cannot be read' };
      if (typeof text !== 'string') {
        found.push({ file, line: 0, message: text.problem });
        return;
      }
      hash.update(`${origin}\0${name}\0${text}\0`);
      const slug = slugify(name.slice(0, -'.md'.length));
      const clash = fileOfSlug.get(slug);
      if (slug === '' || clash !== undefined) {
        found.push({
          file,
          line: 0,
          message:
            slug === ''
              ? 'the file name gives an empty slug: name it like "my-article.md"'
              : `duplicate slug "${slug}" (also used by ${clash})`,
        });
        return;
      }
      fileOfSlug.set(slug, file);
      const parsed = parseArticle(file, text, slug, origin);
      found.push(...parsed.problems);
      if (parsed.article) articles.push(parsed.article);
    });
  }
  if (folders.every((folder) => folder.names.length === 0))
    problems.push({
      file: folders[0]?.dir ?? dataDir,
      line: 0,
      message: 'no articles found: add a Markdown file such as my-article.md',
    });
  return {
    articles,
    problems: byFileAndLine(problems),
    skipped: byFileAndLine(skipped),
    fingerprint: hash.digest('hex'),
  };
}

/**
 * A cheap stamp of the article files' names, sizes and modification times, without reading them.
 * Equal stamps almost surely mean equal content; a differing stamp means reading and hashing to
 * find out (see {@link LoadResult.fingerprint}).
 *
 * @throws {ContentError} when the content directory does not exist or cannot be read.
 */
export async function contentStamp(dataDir: string, importsDir: string | null = null): Promise<string> {
  const lines: string[] = [];
  for (const { dir, names, origin } of await articleFolders(dataDir, importsDir)) {
    const stats = await mapConcurrently(names, READ_CONCURRENCY, (name) =>
      stat(path.join(dir, name)).catch(() => null),
    );
    names.forEach((name, i) => lines.push(`${origin}\0${name}\0${stats[i]?.size}\0${stats[i]?.mtimeMs}`));
  }
  return lines.join('\n');
}

/** The content directory's article files and the imported ones (when that directory exists), sorted. */
async function articleFolders(dataDir: string, importsDir: string | null): Promise<ArticleFolder[]> {
  const folders = [await articleFolder(await articlesDirectory(dataDir), 'data')];
  if (importsDir !== null && (await isDirectory(importsDir))) folders.push(await articleFolder(importsDir, 'imported'));
  return folders;
}

async function articleFolder(dir: string, origin: Article['origin']): Promise<ArticleFolder> {
  try {
    const root = await realpath(dir);
    const names = (await readdir(dir)).filter(isArticleFile).sort();
    return { dir, root, names, origin };
  } catch (error) {
    throw directoryError(
      dir,
      `content directory cannot be read: "${dir}" (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** Whether a directory entry is an article file by its name: `*.md`, in any case. */
export function isArticleFile(name: string): boolean {
  return name.toLowerCase().endsWith('.md');
}

/** Files read at once: enough to hide disk latency with thousands of articles, few enough to stay far from open-file limits. */
const READ_CONCURRENCY = 32;

/** `items.map(work)` with at most `limit` calls in flight, results in order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Where the article files are: `DIR/articles` when it exists, else DIR itself.
 *
 * @throws {ContentError} when the directory does not exist.
 */
export async function articlesDirectory(dataDir: string): Promise<string> {
  const nested = path.join(dataDir, 'articles');
  if (await isDirectory(nested)) return nested;
  if (await isDirectory(dataDir)) return dataDir;
  throw directoryError(dataDir, `content directory not found: "${dataDir}" (set DATA_DIR or pass --data DIR)`);
}

/** A content directory that cannot be served at all: one problem, for the directory as a whole. */
function directoryError(dir: string, message: string): ContentError {
  return new ContentError([{ file: dir, line: 0, message }], message);
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/** The file's text, or why it cannot be used: a link out of the directory, too large, not UTF-8. */
async function readArticleFile(file: string, root: string): Promise<string | { problem: string }> {
  try {
    const info = await lstat(file);
    let real = info;
    if (info.isSymbolicLink()) {
      const target = await realpath(file);
      if (!target.startsWith(root + path.sep))
        return { problem: 'a link to a file outside the content directory: not read' };
      real = await stat(file);
    }
    if (!real.isFile()) return { problem: 'not a regular file' };
    if (real.size > ARTICLE_LIMITS.bytes)
      return { problem: `file is too large (${formatBytes(real.size)}; at most ${formatBytes(ARTICLE_LIMITS.bytes)})` };
    const bytes = await readFile(file);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    if (error instanceof TypeError) return { problem: 'not valid UTF-8 text: save the file as UTF-8' };
    return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}
