/** Recording of REST requests plus promise-based waiting for them. */
import type { RecordedRequest, RequestMatcher } from './types.js';

interface Waiter {
  matches: (request: RecordedRequest) => boolean;
  from: number;
  resolve: (request: RecordedRequest) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Turns a {@link RequestMatcher} into a predicate. */
export function toPredicate(matcher: RequestMatcher): (request: RecordedRequest) => boolean {
  if (typeof matcher === 'function') return matcher;
  const { method, path, where } = matcher;
  return (request) =>
    (method === undefined || request.method === method.toUpperCase()) &&
    (path === undefined || (typeof path === 'string' ? request.path === path : path.test(request.path))) &&
    (where === undefined || where(request));
}

/** Short human-readable line for a request, used in timeout messages. */
export function describeRequest(request: RecordedRequest): string {
  return `${request.method} ${request.path} -> ${request.status || 'pending'}${request.injected ? ' (injected)' : ''}`;
}

/** Every REST request the bot made, in arrival order, with waiting helpers. */
export class RequestLog {
  readonly requests: RecordedRequest[] = [];
  readonly #waiters = new Set<Waiter>();
  #closed = false;

  constructor(private readonly defaultTimeoutMs: number) {}

  /** Registers an arriving request (status 0 until {@link complete} is called). */
  add(request: Omit<RecordedRequest, 'index'>): RecordedRequest {
    const recorded: RecordedRequest = { ...request, index: this.requests.length };
    this.requests.push(recorded);
    return recorded;
  }

  /** Marks a request answered and wakes whoever waits for it. */
  complete(request: RecordedRequest): void {
    for (const waiter of this.#waiters) {
      if (request.index >= waiter.from && waiter.matches(request)) {
        this.#settle(waiter);
        waiter.resolve(request);
      }
    }
  }

  /**
   * Resolves with the first answered request at index >= `from` that matches;
   * rejects after `timeoutMs` with a list of what did arrive.
   */
  waitFor(
    matcher: RequestMatcher,
    options: { from?: number; timeoutMs?: number | undefined; description?: string } = {},
  ): Promise<RecordedRequest> {
    const matches = toPredicate(matcher);
    const from = options.from ?? 0;
    const existing = this.requests.find((r) => r.index >= from && r.status !== 0 && matches(r));
    if (existing) return Promise.resolve(existing);
    if (this.#closed) return Promise.reject(new Error('Fake Discord is closed'));

    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const description = options.description ?? 'a matching request';
    return new Promise<RecordedRequest>((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        from,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#settle(waiter);
          const seen = this.requests.slice(from).map(describeRequest);
          reject(
            new Error(
              `Timed out after ${timeoutMs}ms waiting for ${description}.\n` +
                `Requests since: ${seen.length ? `\n  ${seen.join('\n  ')}` : '(none)'}`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  /** Rejects every pending wait (used when the fake shuts down). */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiters) {
      this.#settle(waiter);
      waiter.reject(new Error('Fake Discord closed while waiting for a request'));
    }
  }

  #settle(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.#waiters.delete(waiter);
  }
}
