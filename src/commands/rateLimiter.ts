import type { RateLimit } from '../config.js';

/**
 * Counts each user's questions in a sliding window. `take` answers whether one more is allowed
 * now and, if not, how long until it is. Memory stays bounded: once per window, users idle for
 * a whole window are forgotten.
 *
 * @example
 * const limiter = new RateLimiter({ count: 5, windowMs: 30_000 });
 * const { allowed, retryAfterMs } = limiter.take(userId);
 */
export class RateLimiter {
  private readonly limit: RateLimit;
  private readonly now: () => number;
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(limit: RateLimit, now: () => number = Date.now) {
    this.limit = limit;
    this.now = now;
  }

  /** Records a question by `userId` if allowed. */
  take(userId: string): { allowed: boolean; retryAfterMs: number } {
    if (!Number.isFinite(this.limit.count)) return { allowed: true, retryAfterMs: 0 };
    const now = this.now();
    const since = now - this.limit.windowMs;
    const recent = (this.hits.get(userId) ?? []).filter((time) => time > since);
    if (recent.length >= this.limit.count) {
      this.hits.set(userId, recent);
      return { allowed: false, retryAfterMs: (recent[0] ?? now) + this.limit.windowMs - now };
    }
    recent.push(now);
    this.hits.set(userId, recent);
    if (now - this.lastSweep >= this.limit.windowMs) {
      this.lastSweep = now;
      this.forgetIdle(since);
    }
    return { allowed: true, retryAfterMs: 0 };
  }

  private forgetIdle(since: number): void {
    for (const [user, times] of this.hits) if ((times.at(-1) ?? 0) <= since) this.hits.delete(user);
  }
}
