import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, for paths to fixtures. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * A copy of the seed article, frozen for tests: moderators edit `data/`, and no test may depend on
 * what it serves.
 */
/** The fake Discord's moderator as the store records who changed the content (tests/support/fakeDiscord/fixtures.ts). */
export const MODERATOR = { id: '1300000000000000012', name: 'mona_mod' };

export const SEED_DIR = path.join(ROOT, 'tests/fixtures/seed');
/** The second test article's content directory. */
export const FIXTURE_DIR = path.join(ROOT, 'tests/fixtures/content');
/** The held-out set's third article. */
export const HOLDOUT_DIR = path.join(ROOT, 'tests/fixtures/holdout');

/** A small valid article, for tests that need content but not the seed article. */
export function articleText(overrides: { title?: string; lead?: string; extra?: string } = {}): string {
  return [
    '---',
    `title: ${overrides.title ?? 'Harbour Bridge Reopens'}`,
    'url: https://example.com/bridge',
    'published: 2025-03-01',
    'sources:',
    '  - https://example.com/source-1',
    '---',
    '',
    overrides.lead ?? 'The Harbour Bridge reopened on Monday after two years of repairs.',
    '',
    '## Key Insights',
    '',
    '- Repairs cost 40 million euros.',
    '- Cyclists get a separate lane.',
    '',
    '## The Repairs',
    '',
    'Engineers replaced 300 steel cables. Work ran late because of storms.',
    overrides.extra ?? '',
  ].join('\n');
}

/** A temporary content directory holding `articles/<name>` files; remove it with `dispose`. */
export async function makeContentDir(
  files: Record<string, string | Buffer>,
): Promise<{ dir: string; articles: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'article-bot-'));
  const articles = path.join(dir, 'articles');
  await mkdir(articles);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(articles, name), text);
  // Retried: a build worker may still be writing its snapshot into the directory when a test ends.
  return { dir, articles, dispose: () => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }) };
}

/** Made-up words for filler articles: many distinct ones, none a real English word. */
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'pe', 'sa', 'do', 'fu', 'gi', 'ho', 'ju', 'be'];

function fillerWord(n: number): string {
  let word = '';
  for (let rest = n + SYLLABLES.length * SYLLABLES.length; rest > 0; rest = Math.floor(rest / SYLLABLES.length))
    word += SYLLABLES[rest % SYLLABLES.length];
  return word;
}

/**
 * `count` valid articles of made-up words (3 sections of 4 paragraphs each), named
 * `filler-<n>.md`: content big enough that building its index takes seconds, sharing no word
 * with real questions.
 */
export function fillerArticles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  let seed = 1;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const sentence = (): string => {
    const words = Array.from({ length: 12 }, () => fillerWord(next() % 20_000));
    return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
  };
  const paragraph = (): string => Array.from({ length: 4 }, sentence).join(' ');
  for (let n = 0; n < count; n++) {
    const sections = [1, 2, 3].map((s) => `## Part ${s}\n\n${Array.from({ length: 4 }, paragraph).join('\n\n')}`);
    files[`filler-${n}.md`] = [
      '---',
      `title: ${fillerWord(n)} ${fillerWord(n + 7)}`,
      `url: https://example.com/filler-${n}`,
      '---',
      '',
      paragraph(),
      '',
      ...sections,
    ].join('\n');
  }
  return files;
}
