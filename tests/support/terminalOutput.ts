import { expect } from 'vitest';

/**
 * Piped terminal output cut into one block per reply, each starting at its title line: the titles
 * must appear in `titles`' order, each at the start of a line. Piped output has no markers to
 * find replies by, so the test says which titles it expects.
 */
export function replyBlocks(stdout: string, titles: readonly string[]): string[] {
  const starts: number[] = [];
  let from = 0;
  for (const title of titles) {
    const at = stdout.indexOf(`${title}\n`, from);
    expect(at, `title "${title}" after offset ${from}`).toBeGreaterThanOrEqual(0);
    expect(at === 0 || stdout[at - 1] === '\n', `title "${title}" starts a line`).toBe(true);
    starts.push(at);
    from = at + title.length;
  }
  return starts.map((start, i) => stdout.slice(start, starts[i + 1] ?? stdout.length));
}
