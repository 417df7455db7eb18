/**
 * Resolves once `check` holds, asking every 25 ms; rejects after `ms` with `what` (and what it
 * shows then) in the message.
 *
 * @example
 * await eventually(() => heard.includes('after'), { what: () => JSON.stringify(heard) });
 */
export async function eventually(
  check: () => boolean,
  options: { ms?: number; what?: () => string } = {},
): Promise<void> {
  const ms = options.ms ?? 10_000;
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms${options.what ? `: ${options.what()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
