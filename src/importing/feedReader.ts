import type { ParsedFeed } from '../content/feed.js';
import { startWorker } from '../workers.js';
import type { FetchPolicy } from './safeFetch.js';
import { Slots } from './slots.js';

/** What the feed worker is asked: the feed (or a page of its site, with `discover`), and the last poll's validators. */
export interface FeedReadRequest {
  url: string;
  policy: FetchPolicy;
  /** Look for the site's feed when `url` is a web page (adding a feed); a poll reads the feed's own URL. */
  discover: boolean;
  etag: string | null;
  lastModified: string | null;
}

/** What the feed worker answers. */
export type FeedReadResult =
  | {
      type: 'feed';
      url: string;
      feed: ParsedFeed;
      etag: string | null;
      lastModified: string | null;
      maxAgeSeconds: number | null;
    }
  | { type: 'unchanged'; etag: string | null; lastModified: string | null; maxAgeSeconds: number | null }
  /** Why it could not be read, in one line; the HTTP status and `Retry-After` when the server refused. */
  | { type: 'refused'; reason: string; status: number | null; retryAfter: string | null }
  | { type: 'failed'; error: string };

/**
 * The bounds of reading feeds. A feed document is bounded like any fetch (IMPORT_MAX_BYTES, 5 MB,
 * and IMPORT_TIMEOUT, 15 s, per request); discovery makes at most 7 requests (a page, then 4 feeds
 * it names or 6 usual paths).
 */
export const FEED_READ_LIMITS = {
  /** Feeds read at once in this process: the rest wait their turn (a poll cycle of 50 feeds reads them two by two). */
  atOnce: 2,
  /** A feed worker's heap: parsing the 1.6 MB podcast feed of the test set takes under 60 MB; a 5 MB feed built to take more is stopped. */
  memory: { maxOldGenerationSizeMb: 256 },
  /** What the worker may take beyond its requests' own limits (7 × the fetch's) to parse. */
  graceMs: 15_000,
  /** Most requests one read makes (discovery): the page, then up to 6 candidates. */
  requests: 7,
} as const;

const READS = new Slots(FEED_READ_LIMITS.atOnce);

/**
 * Reads a feed in a worker thread (feedWorker.ts), at most {@link FEED_READ_LIMITS.atOnce} at once
 * in this process.
 *
 * @example
 * const result = await readFeed({ url, policy, discover: false, etag, lastModified });
 * if (result.type === 'unchanged') // a 304: nothing new
 */
export function readFeed(request: FeedReadRequest): Promise<FeedReadResult> {
  return READS.run(() => {
    const worker = startWorker(import.meta.url, 'feedWorker', request, FEED_READ_LIMITS.memory);
    return new Promise<FeedReadResult>((resolve) => {
      const limit =
        request.policy.timeoutMs * (request.discover ? FEED_READ_LIMITS.requests : 1) + FEED_READ_LIMITS.graceMs;
      const timer = setTimeout(
        () => resolve({ type: 'refused', reason: 'the feed took too long to read', status: null, retryAfter: null }),
        limit,
      );
      const settle = (result: FeedReadResult): void => {
        clearTimeout(timer);
        resolve(result);
      };
      worker.once('message', settle);
      worker.once('error', (error) =>
        settle(
          /ERR_WORKER_OUT_OF_MEMORY/.test(String((error as NodeJS.ErrnoException).code))
            ? { type: 'refused', reason: 'the feed is too large to read', status: null, retryAfter: null }
            : { type: 'failed', error: error.stack ?? error.message },
        ),
      );
      worker.once('exit', (code) => settle({ type: 'failed', error: `the feed worker exited with code ${code}` }));
    }).finally(() => worker.terminate());
  });
}
