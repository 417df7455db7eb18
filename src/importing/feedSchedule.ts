/**
 * When a feed is polled: the numbers of the schedule, and the arithmetic from a poll's outcome to
 * the next check. Pure, so the tests check it without waiting.
 */
export const FEED_SCHEDULE = {
  /** The poll interval when none is given, and its bounds, in minutes (the issue's: 15, 5 and 1,440). */
  everyMinutes: { default: 15, min: 5, max: 1440 },
  /** The longest wait between polls, whatever a feed's `<ttl>`, `max-age` or back-off says (Miniflux and FreshRSS: 24 h). */
  maxWaitMs: 24 * 60 * 60 * 1000,
  /** A feed failing this many polls in a row… */
  disableAfterFailures: 10,
  /** …over at least this long is disabled, with one notice (the 10 failures spanning a day). */
  disableAfterMs: 24 * 60 * 60 * 1000,
  /**
   * Polls are spread by up to this share of the interval, at most {@link FEED_SCHEDULE.maxJitterMs},
   * so feeds added together do not poll together forever.
   */
  jitter: 0.1,
  maxJitterMs: 60_000,
  /**
   * How long a machine holds a feed while polling it: longer than the slowest poll (20 items
   * converted one after another, each bounded by 15 s of fetching and 30 s of reading: 15 min,
   * plus waiting for a conversion slot behind other imports). A machine that dies mid-poll frees the
   * feed when it expires.
   */
  leaseMs: 60 * 60_000,
  /** How often due feeds are looked for, and expired stories removed. */
  tickMs: 30_000,
  retentionCheckMs: 60 * 60_000,
  /** Feeds polled at once by one process; their fetches are capped again by FEED_READ_LIMITS. */
  pollsAtOnce: 2,
} as const;

/** The next check after a poll that succeeded: the interval, or longer when the feed's `<ttl>` or `max-age` asks, at most 24 h. */
export function nextCheckAfterSuccess(
  now: number,
  everyMinutes: number,
  hints: { ttlMinutes: number | null; maxAgeSeconds: number | null },
  jitterMs: number,
): number {
  const interval = everyMinutes * 60_000;
  const hinted = Math.max((hints.ttlMinutes ?? 0) * 60_000, (hints.maxAgeSeconds ?? 0) * 1000);
  return now + Math.min(Math.max(interval, hinted), FEED_SCHEDULE.maxWaitMs) + jitterMs;
}

/**
 * The next check after the `failures`-th failure in a row: the interval doubled for each failure
 * after the first, at most 24 h; after a 429 or 503, at least what `Retry-After` asks (also at most 24 h).
 */
export function nextCheckAfterFailure(
  now: number,
  everyMinutes: number,
  failures: number,
  retryAfterMs: number | null,
): number {
  const backoff = everyMinutes * 60_000 * 2 ** Math.min(Math.max(0, failures - 1), 20);
  return now + Math.min(Math.max(backoff, retryAfterMs ?? 0), FEED_SCHEDULE.maxWaitMs);
}

/** A `Retry-After` header in milliseconds from `now`: seconds, or an HTTP date; `null` when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** The jitter of one poll of a feed polled every `everyMinutes`, from a number in [0, 1). */
export function jitterOf(everyMinutes: number, random: number): number {
  return Math.floor(random * Math.min(everyMinutes * 60_000 * FEED_SCHEDULE.jitter, FEED_SCHEDULE.maxJitterMs));
}
