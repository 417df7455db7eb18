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

/** What a scan remembers of a file, to know next time whether it changed without reading it. */
export interface FileRecord {
  /** Its size and modification time when it was read: while both stay, it is taken as unchanged. */
  size: number;
  mtimeMs: number;
  /** A hash of its bytes: read again (touched), the same hash means unchanged; empty when it could not be read. */
  hash: string;
  /** What reading it found wrong; none for a valid article. */
  problems: Problem[];
}

/** One article file of a scan: where it is, its slug, and (once read) its record. */
export interface ScannedFile {
  origin: Article['origin'];
  /** The file's name in its directory, and its path. */
  name: string;
  file: string;
  slug: string;
  record: FileRecord;
  /** The article, when this scan read it and it is valid (a file whose stamp is unchanged is not read). */
  article: Article | null;
  /** Whether it is served: it has its slug and no problem. */
  served: boolean;
}

/** What {@link scanArticles} found. */
export interface ScanResult {
  /** Every article file, the content directory's first, each in file order. */
  files: ScannedFile[];
  /** Problems of the content directory's files (their own, or a slug another has), in file order. */
  problems: Problem[];
  /** Problems of imported files, which are left out. */
  skipped: Problem[];
  /** A hash of every file's origin, name and bytes: equal fingerprints mean identical content. */
  fingerprint: string;
}

/**
 * A file modified this recently is read and hashed even when its size and time are as recorded
 * (git's "racily clean" entries): written twice within the clock's granularity, it can keep both
 * while its bytes change, so only its hash tells. The file systems' coarsest common times are 1 s
 * (ext3, HFS+) and 2 s (FAT).
 */
const RACY_MS = 2000;

/** The record of a file not read yet: a scan replaces it once it has looked. */
const NOT_READ: FileRecord = { size: -1, mtimeMs: -1, hash: '', problems: [] };

/** What a scan may skip or must do besides: see {@link scanArticles}. */
export interface ScanOptions {
  /** Asks for a file to be parsed even when unchanged (one newly served). */
  mustRead?: (file: { origin: Article['origin']; name: string }) => boolean;
  /**
   * The only files that may have changed, by {@link fileKey} (the ones an import wrote or removed):
   * the directories are not listed, every other known file is taken as it was recorded, and only
   * these are looked at (one missing is gone). Without it, every file is.
   */
  only?: ReadonlySet<string>;
}

/**
 * Finds every article file of a content directory (`DIR/articles/*.md` when DIR has an `articles`
 * folder, else `DIR/*.md`) and of the imported articles' directory, when given and present, and
 * reads those that changed since `known` (its records by {@link fileKey}): a file whose size and
 * modification time are as recorded (and not within the last {@link RACY_MS}) is taken as
 * unchanged without reading it; another is read, hashed, and parsed when its hash differs. Slugs
 * are unique across both directories, the content directory's first: a file whose slug another
 * has is a problem (a content file's) or is left out (an import's). Only regular files inside the directories are read: links leading outside them
 * are refused. With `options.only`, only the files named there are looked at.
 *
 * @throws {ContentError} when the content directory does not exist or cannot be read.
 */
export async function scanArticles(
  dataDir: string,
  importsDir: string | null,
  known: ReadonlyMap<string, FileRecord>,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const { mustRead = () => false, only } = options;
  const folders = only
    ? await knownFolders(dataDir, importsDir, known, only)
    : await articleFolders(dataDir, importsDir);
  // Every file first as recorded; then the ones to look at (all, or those `only` names) are looked at, a few at a time.
  const files: Array<ScannedFile | null> = [];
  const toLook: Array<{ at: number; root: string }> = [];
  for (const { dir, root, names, origin } of folders)
    for (const name of names) {
      const key = fileKey(origin, name);
      const record = known.get(key);
      // The names are plain file names from the directory: joined without path.join, which costs at 100,000 files.
      const file = `${dir}${path.sep}${name}`;
      const slug = slugify(name.slice(0, -'.md'.length));
      if (!only || only.has(key) || !record) toLook.push({ at: files.length, root });
      files.push({ origin, name, file, slug, record: record ?? NOT_READ, article: null, served: false });
    }
  await mapConcurrently(toLook, READ_CONCURRENCY, async ({ at, root }) => {
    const entry = files[at] as ScannedFile;
    const previous = known.get(fileKey(entry.origin, entry.name));
    const info = await stat(entry.file).catch((error: NodeJS.ErrnoException) => error);
    if (only && info instanceof Error && info.code === 'ENOENT') {
      files[at] = null;
      return;
    }
    const stamp = info instanceof Error ? { size: -1, mtimeMs: -1 } : { size: info.size, mtimeMs: info.mtimeMs };
    const racy = stamp.mtimeMs > Date.now() - RACY_MS;
    if (previous && stamp.size === previous.size && stamp.mtimeMs === previous.mtimeMs && !racy && !mustRead(entry))
      return;
    const text = await readArticleFile(entry.file, root);
    if (typeof text !== 'string') {
      entry.record = { ...stamp, hash: '', problems: [{ file: entry.file, line: 0, message: text.problem }] };
      return;
    }
    const hash = createHash('sha256').update(text).digest('hex');
    if (previous && previous.hash === hash && !mustRead(entry)) {
      entry.record = { ...previous, ...stamp };
      return;
    }
    const parsed = parseArticle(entry.file, text, entry.slug, entry.origin);
    entry.article = parsed.article;
    entry.record = { ...stamp, hash, problems: parsed.problems };
  });
  const present = files.filter((file) => file !== null);
  const problems: Problem[] = [];
  const skipped: Problem[] = [];
  const fileOfSlug = new Map<string, string>();
  const stamps: string[] = [];
  for (const scanned of present) {
    const found = scanned.origin === 'data' ? problems : skipped;
    stamps.push(`${scanned.origin}\0${scanned.name}\0${scanned.record.hash}\0`);
    const unreadable = scanned.record.hash === '';
    const clash = fileOfSlug.get(scanned.slug);
    if (!unreadable && (scanned.slug === '' || clash !== undefined)) {
      found.push({
        file: scanned.file,
        line: 0,
        message:
          scanned.slug === ''
            ? 'the file name gives an empty slug: name it like "my-article.md"'
            : `duplicate slug "${scanned.slug}" (also used by ${clash})`,
      });
      continue;
    }
    if (!unreadable) fileOfSlug.set(scanned.slug, scanned.file);
    found.push(...scanned.record.problems);
    scanned.served = scanned.record.problems.length === 0;
  }
  if (present.length === 0)
    problems.push({
      file: folders[0]?.dir ?? dataDir,
      line: 0,
      message: 'no articles found: add a Markdown file such as my-article.md',
    });
  return {
    files: present,
    problems: byFileAndLine(problems),
    skipped: byFileAndLine(skipped),
    // Hashed at once: one update per file costs more than the hashing at 100,000 files.
    fingerprint: createHash('sha256').update(stamps.join('')).digest('hex'),
  };
}

/** How a scan knows a file: its origin and name. */
export function fileKey(origin: Article['origin'], name: string): string {
  return `${origin}\0${name}`;
}

/**
 * Reads and validates every article of a content directory and of the imported articles'
 * directory (see {@link scanArticles}, here with nothing known: every file is read). A bad file is
 * reported and left out; the caller decides whether the content directory's problems are fatal
 * (start-up) or keep the previous content serving (reload); an imported file's are only reported
 * (`skipped`).
 *
 * @throws {ContentError} when the content directory does not exist or cannot be read.
 */
export async function loadArticles(dataDir: string, importsDir: string | null = null): Promise<LoadResult> {
  const { files, problems, skipped, fingerprint } = await scanArticles(dataDir, importsDir, new Map());
  const articles = files.flatMap((file) => (file.served && file.article ? [file.article] : []));
  return { articles, problems, skipped, fingerprint };
}

/** The content directory's article files and the imported ones (when that directory exists), sorted. */
async function articleFolders(dataDir: string, importsDir: string | null): Promise<ArticleFolder[]> {
  const folders = [await articleFolder(await articlesDirectory(dataDir), 'data')];
  if (importsDir !== null && (await isDirectory(importsDir))) folders.push(await articleFolder(importsDir, 'imported'));
  return folders;
}

/**
 * The article files `known` records and the ones `only` names, as folders, without listing the
 * directories: the files a scan limited to `only` looks at.
 */
async function knownFolders(
  dataDir: string,
  importsDir: string | null,
  known: ReadonlyMap<string, FileRecord>,
  only: ReadonlySet<string>,
): Promise<ArticleFolder[]> {
  const names: Record<Article['origin'], string[]> = { data: [], imported: [] };
  const add = (key: string): void => {
    const cut = key.indexOf('\0');
    const origin = key.slice(0, cut);
    const name = key.slice(cut + 1);
    if ((origin === 'data' || origin === 'imported') && isArticleFile(name)) names[origin].push(name);
  };
  for (const key of known.keys()) add(key);
  for (const key of only) if (!known.has(key)) add(key);
  // Sorted as a listing is (the records are, so this costs a pass).
  const folders = [await articleFolder(await articlesDirectory(dataDir), 'data', names.data.sort())];
  if (importsDir !== null && (await isDirectory(importsDir)))
    folders.push(await articleFolder(importsDir, 'imported', names.imported.sort()));
  return folders;
}

/** A folder of article files: those `listed`, or else the ones it holds. */
async function articleFolder(dir: string, origin: Article['origin'], listed?: string[]): Promise<ArticleFolder> {
  try {
    const root = await realpath(dir);
    const names = listed ?? (await readdir(dir)).filter(isArticleFile).sort();
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
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T, i);
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
