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
  return { dir, articles, dispose: () => rm(dir, { recursive: true, force: true }) };
}
