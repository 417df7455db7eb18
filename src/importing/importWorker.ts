import { open } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { formatProblem } from '../content/article.js';
import { draftToMarkdown } from '../content/draft.js';
import { htmlToDraft, PageTooLarge } from '../content/fromHtml.js';
import { ARTICLE_LIMITS, formatBytes } from '../content/limits.js';
import { textToDraft } from '../content/fromText.js';
import { parseArticle } from '../content/parseArticle.js';
import { chunkArticle } from '../search/chunk.js';
import { DEFAULT_OPTIONS } from '../search/options.js';
import type { ImportRequest, ImportResult, ImportSource } from './importer.js';
import { ARTICLE_MEDIA_TYPES, decode, FetchRefusal, safeFetch } from './safeFetch.js';

/**
 * The worker thread that turns a link or a file into an article (see importer.ts): it fetches the
 * page through the safe fetcher, extracts the article (Readability over linkedom), writes it in the
 * article format and validates it as DATA_DIR's files are. All of it happens here, never on the
 * thread that answers questions.
 */
const { sources, policy } = workerData as ImportRequest;

type Format = 'markdown' | 'text' | 'html';

/** Formats by file extension, for attachments and local files. */
const EXTENSIONS: Readonly<Record<string, Format>> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.html': 'html',
  '.htm': 'html',
};

/** Formats by content type, for links. */
function formatOfType(mediaType: string | null): Format {
  if (mediaType === 'text/markdown' || mediaType === 'text/x-markdown') return 'markdown';
  return mediaType === 'text/plain' ? 'text' : 'html';
}

function formatOfName(name: string): Format {
  const format = EXTENSIONS[path.extname(name).toLowerCase()];
  if (!format) throw new FetchRefusal(`${name} is not an article file: only .md, .markdown, .txt, .html or .htm`);
  return format;
}

/** The document to convert: its text, its format, where it came from, and the address it was found at. */
async function obtain(
  source: ImportSource,
): Promise<{ text: string; format: Format; from: string; name: string; pageUrl: string | null }> {
  if (source.kind === 'link' || source.kind === 'feed-item') {
    const page = await safeFetch(source.url, policy);
    return { text: page.text, format: formatOfType(page.mediaType), from: page.url, name: page.url, pageUrl: page.url };
  }
  if (source.kind === 'attachment') {
    const format = formatOfName(source.name);
    if (source.size > policy.maxBytes)
      throw new FetchRefusal(`${source.name} is larger than ${formatBytes(policy.maxBytes)} (IMPORT_MAX_BYTES)`);
    // Discord serves some text files as octet-streams; the extension says what they are.
    const file = await safeFetch(source.url, policy, [...ARTICLE_MEDIA_TYPES, 'application/octet-stream', '']);
    return { text: file.text, format, from: source.name, name: source.name, pageUrl: null };
  }
  const format = formatOfName(source.path);
  return {
    text: await readLocal(source.path, policy.maxBytes),
    format,
    from: source.path,
    name: path.basename(source.path),
    pageUrl: null,
  };
}

/** A local file's text (the terminal's operator importing from the server's disk), within the size limit. */
async function readLocal(file: string, maxBytes: number): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
    const info = await handle.stat();
    if (!info.isFile()) throw new FetchRefusal(`${file} is not a file`);
    if (info.size > maxBytes)
      throw new FetchRefusal(`${file} is larger than ${formatBytes(maxBytes)} (IMPORT_MAX_BYTES)`);
    return decode(await handle.readFile(), null, /\.html?$/i.test(file) ? 'html' : null);
  } catch (error) {
    if (error instanceof FetchRefusal) throw error;
    throw new FetchRefusal(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  } finally {
    await handle?.close();
  }
}

/**
 * Most a feed item's own content must hold, in words, to stand for its page when the page yields no
 * article: a teaser (one or two sentences, most feeds' `description`) is not a story to answer from.
 * 150 words is the issue's figure: a short news brief.
 */
const FEED_CONTENT_MIN_WORDS = 150;

/** A feed item: its page, else (when the page gives no article) its own content when it is long enough. */
async function convertFeedItem(source: Extract<ImportSource, { kind: 'feed-item' }>): Promise<ImportResult> {
  const page = await obtain(source).then((document) => convertDocument(source, document), refusedFor);
  if (page.type !== 'refused' || source.content === null) return page;
  const { title, html, published } = source.content;
  const words = html
    .replace(/<[^>]*>/g, ' ')
    .split(/\s+/)
    .filter(Boolean).length;
  if (words < FEED_CONTENT_MIN_WORDS)
    return {
      ...page,
      reason: `${page.reason}; the feed's own text has ${words} words (${FEED_CONTENT_MIN_WORDS} needed)`,
    };
  const date =
    published === null ? '' : `<meta property="article:published_time" content="${new Date(published).toISOString()}">`;
  const wrapped = `<html><head><title>${escapeHtml(title)}</title>${date}</head><body><article><h1>${escapeHtml(title)}</h1>${html}</article></body></html>`;
  return convertDocument(source, {
    text: wrapped,
    format: 'html',
    from: source.url,
    name: source.url,
    pageUrl: source.url,
  });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

async function convert(source: ImportSource): Promise<ImportResult> {
  if (source.kind === 'feed-item') return convertFeedItem(source);
  return convertDocument(source, await obtain(source));
}

function convertDocument(source: ImportSource, document: Awaited<ReturnType<typeof obtain>>): ImportResult {
  const where = document.pageUrl ?? document.name;
  let markdown: string;
  if (document.format === 'markdown') {
    markdown = document.text;
  } else {
    const draft =
      document.format === 'html' ? htmlToDraft(document.text, document.pageUrl) : textToDraft(document.text);
    if (!draft || draft.title === '' || (draft.lead.length === 0 && draft.sections.length === 0))
      return { type: 'refused', reason: `no article found at ${where}`, problems: [] };
    markdown = draftToMarkdown(draft);
  }
  // Validated exactly as DATA_DIR's files are; problems are reported against the file's own name.
  if (Buffer.byteLength(markdown) > ARTICLE_LIMITS.bytes)
    return {
      type: 'refused',
      reason: `${document.name} is too long to serve: over ${formatBytes(ARTICLE_LIMITS.bytes)} as an article`,
      problems: [],
    };
  const { article, problems } = parseArticle(document.name, markdown, 'import', 'imported');
  if (!article)
    return {
      type: 'refused',
      reason: `${document.name} is not a valid article (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
      problems: problems.map(formatProblem),
    };
  const passages = chunkArticle(article, DEFAULT_OPTIONS.passages).length;
  return {
    type: 'converted',
    markdown,
    article,
    passages,
    from: document.from,
    // A Markdown file keeps its own name, as in DATA_DIR; a page found by its link is named by its title.
    fileName:
      document.format === 'markdown' && source.kind !== 'link' && source.kind !== 'feed-item' ? document.name : null,
  };
}

/** What a conversion that threw answers: a refusal saying why, or a failure (a bug) with its stack for the log. */
function refusedFor(error: unknown): ImportResult {
  return error instanceof FetchRefusal || error instanceof PageTooLarge
    ? { type: 'refused', reason: error.message, problems: [] }
    : { type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

// The sources in order, each answered as soon as it is converted: starting this worker costs more
// than converting a page, so a feed's new items share one.
for (const [index, source] of sources.entries()) {
  const result = await convert(source).catch(refusedFor);
  parentPort?.postMessage({ index, result });
}
