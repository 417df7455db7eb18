import { describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../support/content.js';
import { runEntry } from '../support/run.js';

/** One line of `npm run ask --json`. */
interface AskJson {
  query: string;
  answered: boolean;
  confidence?: 'high' | 'low';
  reason?: string;
  results: Array<{
    id: string;
    article: string;
    section: string | null;
    text: string;
    answer: string;
    short: string | null;
    score: number;
    sources: string[];
  }>;
}
const parse = (line: string): AskJson => JSON.parse(line) as AskJson;

const ask = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) =>
  runEntry('src/terminal/cli.ts', args, options);

describe('npm run ask', () => {
  it('answers one question as text, best sentence highlighted, with sources', async () => {
    const { stdout, stderr, code } = await ask(['who is Tom Homan?']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Answer: who is Tom Homan\?\n/);
    expect(stdout).not.toContain('**');
    expect(stdout).toContain(
      'Adding to the tension, Trump’s former border czar, Tom Homan, has threatened military action if cartels target U.S. security forces.',
    );
    expect(stdout).toContain(
      'https://www.npr.org/2025/02/20/nx-s1-5304248/mexico-warns-the-us-not-to-invade-our-sovereignty-in-fight-against-cartels',
    );
    expect(stderr).toBe('');
  });

  it('prints one JSON object with the documented fields, limited by --limit', async () => {
    const { stdout, code } = await ask([
      '--json',
      '--limit',
      '2',
      'how many groups were designated as terrorist organizations?',
    ]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const answer = parse(lines[0] ?? '');
    expect(answer).toMatchObject({
      query: 'how many groups were designated as terrorist organizations?',
      answered: true,
      confidence: 'high',
    });
    expect(answer.results).toHaveLength(2);
    expect(Object.keys(answer.results[0] ?? {})).toEqual([
      'id',
      'article',
      'section',
      'text',
      'answer',
      'short',
      'score',
      'sources',
    ]);
    expect(answer.results[0]?.short).toBe('six');
    expect(answer.results[1]?.short).toBeNull();
    expect(answer.results[0]?.answer).toContain('six Mexican organized crime groups');
    expect(answer.results[0]?.sources).toHaveLength(3);
    expect(answer.results[0]?.score).toBeGreaterThanOrEqual(answer.results[1]?.score ?? Infinity);
  });

  it('answers questions about the article itself in the same shape: the answer in results[0].answer', async () => {
    const { stdout, code } = await ask(['--json'], {
      input: 'when was this published?\nwho wrote it?\nwhat is the article about?\n',
    });
    expect(code).toBe(0);
    const [published, author, summary] = stdout.trim().split('\n').map(parse);
    expect(published?.results[0]?.answer).toBe(
      '“Mexico’s Assertive Stance Shakes Up U.S. Relations Over Crime And Gun Issues” was published on 20 February 2025.',
    );
    expect(published?.results[0]?.text).toContain(published?.results[0]?.answer);
    expect(author?.results[0]?.answer).toContain("doesn't name its author");
    expect(author?.results[0]?.text).toContain('published on 20 February 2025');
    expect(summary?.results[0]?.answer).toBe(
      'Mexico’s President Claudia Sheinbaum warns the U.S. against violating Mexican sovereignty as tensions rise over cartel designations.',
    );
    expect(summary?.results[0]?.text).toContain('Sheinbaum proposed a constitutional amendment');
  });

  it('reads questions from stdin with --json: one line out per line in, in order, nothing else on stdout', async () => {
    const questions = [
      'fentanyl',
      '',
      'how do I bake sourdough bread?',
      '🤔',
      'who proposed a constitutional amendment?',
    ];
    const { stdout, stderr, code } = await ask(['--json'], { input: `${questions.join('\n')}\n` });
    expect(code).toBe(0);
    const answers = stdout.trim().split('\n').map(parse);
    expect(answers.map((a) => [a.query, a.answered, a.results.length > 0])).toEqual([
      ['fentanyl', true, true],
      ['', false, false],
      ['how do I bake sourdough bread?', false, false],
      ['🤔', false, false],
      ['who proposed a constitutional amendment?', true, true],
    ]);
    expect(answers[4]?.results[0]?.answer).toContain('constitutional amendment');
    expect(answers[2]?.reason).toBe('off-topic');
    expect(stderr).not.toMatch(/injected env|dotenv/i);
  });

  it('answers from another content directory with --data (and DATA_DIR)', async () => {
    const viaFlag = await ask(['--json', '--data', FIXTURE_DIR, 'ferry']);
    const viaEnv = await ask(['--json', 'ferry'], { env: { DATA_DIR: FIXTURE_DIR } });
    expect(viaFlag.code).toBe(0);
    const answer = parse(viaFlag.stdout);
    expect(answer.answered).toBe(true);
    expect(answer.results[0]?.id).toMatch(/^orkney-battery-ferry-winter#/);
    expect(parse(viaEnv.stdout)).toEqual(answer);
  });

  it('explains bad options and a missing directory in one line, exit 1', async () => {
    const badLimit = await ask(['--limit', '0', 'x']);
    expect(badLimit.code).toBe(1);
    expect(badLimit.stderr).toBe('error: --limit takes a whole number from 1 to 25, not "0"\n');
    const missing = await ask(['--data', '/nonexistent/dir', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'error: content directory not found: "/nonexistent/dir" (set DATA_DIR or pass --data DIR)\n',
    );
    const unknown = await ask(['--frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Unknown option '--frobnicate'");
  });
});
