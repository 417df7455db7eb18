import { parentPort, workerData } from 'node:worker_threads';
import { FEED_MEDIA_TYPES, FeedProblem, feedLinksInPage, parseFeedText, usualFeedUrls } from '../content/feed.js';
import type { FeedReadRequest, FeedReadResult } from './feedReader.js';
import { FetchRefusal, HttpRefusal, safeRequest, type FetchedResponse } from './safeFetch.js';

/**
 * The worker thread that reads a feed (see feedReader.ts): it fetches the document through the safe
 * fetcher (conditionally, with the validators of the last poll), finds a site's feed from one of
 * its pages when asked to, and parses and normalises the items. Parsing a feed of hundreds of items
 * takes a tenth of a second, never on the thread that answers questions.
 */
const request = workerData as FeedReadRequest;

/** What a page or a feed may come as: a feed's types, a page's, and the generic types servers give feeds. */
const ACCEPTED = [
  ...FEED_MEDIA_TYPES,
  'text/html',
  'application/xhtml+xml',
  'text/plain',
  'application/octet-stream',
  '',
];

/** Feed links tried from one page at most: a page may declare hundreds. */
const MAX_DECLARED = 4;

async function read(): Promise<FeedReadResult> {
  const headers: Record<string, string> = {};
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.lastModified) headers['if-modified-since'] = request.lastModified;
  const first = await safeRequest(request.url, request.policy, { accept: ACCEPTED, headers });
  if (first.document === null) return { type: 'unchanged', ...caching(first) };
  const { mediaType, text } = first.document;
  const isPage = mediaType === 'text/html' || mediaType === 'application/xhtml+xml';
  if (!isPage) return parsed(first);
  if (!request.discover) throw new FeedProblem(`${first.url} is a web page, not a feed`);
  return discover(first.url, text);
}

/** The feed of the site whose page `html` is: the first it declares that is one, else the first usual path that is. */
async function discover(pageUrl: string, html: string): Promise<FeedReadResult> {
  const declared = feedLinksInPage(html, pageUrl).slice(0, MAX_DECLARED);
  const tried: string[] = [];
  for (const url of declared) {
    const found = await attempt(url, true);
    if (found) return found;
    tried.push(url);
  }
  if (declared.length === 0)
    for (const url of usualFeedUrls(pageUrl)) {
      // Not followed: sites redirect unknown paths to their home page, which is no feed.
      const found = await attempt(url, false);
      if (found) return found;
      tried.push(new URL(url).pathname);
    }
  throw new FeedProblem(
    declared.length > 0
      ? `${pageUrl} names feeds, but none of them could be read (${tried.join(', ')})`
      : `no feed found at ${pageUrl}: the page names none, and none of ${tried.join(', ')} is one`,
  );
}

/** The feed at `url`, or `null` when it is not one (or cannot be read): discovery goes on to the next. */
async function attempt(url: string, followRedirects: boolean): Promise<FeedReadResult | null> {
  try {
    const response = await safeRequest(url, request.policy, { accept: ACCEPTED, followRedirects });
    return response.document === null ? null : parsed(response);
  } catch (error) {
    if (error instanceof FetchRefusal || error instanceof FeedProblem) return null;
    throw error;
  }
}

/** A fetched feed, parsed, with what its headers say of caching. */
function parsed(response: FetchedResponse): FeedReadResult {
  const text = response.document?.text ?? '';
  const feed = parseFeedText(text, response.url);
  return { type: 'feed', url: response.url, feed, ...caching(response) };
}

/** The validators and freshness a response gives: ETag, Last-Modified, and `max-age` (or Expires) in seconds. */
function caching(
  response: FetchedResponse,
): Pick<Extract<FeedReadResult, { type: 'feed' }>, 'etag' | 'lastModified' | 'maxAgeSeconds'> {
  const { headers } = response;
  const maxAge = /(?:^|,)\s*max-age\s*=\s*(\d+)/i.exec(String(headers['cache-control'] ?? ''))?.[1];
  const expires = headers.expires ? Date.parse(headers.expires) : NaN;
  const date = headers.date ? Date.parse(headers.date) : Date.now();
  return {
    etag: typeof headers.etag === 'string' ? headers.etag : null,
    lastModified: typeof headers['last-modified'] === 'string' ? headers['last-modified'] : null,
    maxAgeSeconds:
      maxAge !== undefined
        ? Number(maxAge)
        : Number.isFinite(expires)
          ? Math.max(0, Math.round((expires - date) / 1000))
          : null,
  };
}

read().then(
  (result) => parentPort?.postMessage(result),
  (error: unknown) =>
    parentPort?.postMessage(
      error instanceof HttpRefusal
        ? ({
            type: 'refused',
            reason: error.message,
            status: error.status,
            retryAfter: error.retryAfter,
          } satisfies FeedReadResult)
        : error instanceof FetchRefusal || error instanceof FeedProblem
          ? ({ type: 'refused', reason: error.message, status: null, retryAfter: null } satisfies FeedReadResult)
          : ({
              type: 'failed',
              error: error instanceof Error ? (error.stack ?? error.message) : String(error),
            } satisfies FeedReadResult),
    ),
);
