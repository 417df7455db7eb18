import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/commands/rateLimiter.js';

describe('RateLimiter', () => {
  it('allows `count` questions per window per user, then says how long to wait', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ count: 2, windowMs: 30_000 }, () => now);
    expect(limiter.take('a').allowed).toBe(true);
    now += 10_000;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 20_000 });
    expect(limiter.take('b').allowed).toBe(true);
    now += 20_001;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('lets everything through when the limit is off', () => {
    const limiter = new RateLimiter({ count: Number.POSITIVE_INFINITY, windowMs: 1 });
    for (let i = 0; i < 100; i++) expect(limiter.take('a').allowed).toBe(true);
  });
});
