import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SEED_DIR, FIXTURE_DIR } from '../../tests/support/content.js';
import { articleMarkdown, syntheticArticles } from '../corpus.js';

/**
 * Writes a benchmark content directory of `size` articles as Markdown files, the way the bot
 * reads content: the seed article, the second test article, then synthetic ones. Kept between
 * runs (same seed, same files); rewritten only when the count is off.
 */
const { values } = parseArgs({ options: { size: { type: 'string' }, out: { type: 'string' } } });
const size = Number(values.size);
const articles = path.join(values.out ?? '', 'articles');
const existing = await readdir(articles).catch(() => [] as string[]);
if (existing.filter((name) => name.endsWith('.md')).length !== size) {
  await rm(articles, { recursive: true, force: true });
  await mkdir(articles, { recursive: true });
  const real = [
    path.join(SEED_DIR, 'articles', 'mexico-us-cartel-sovereignty.md'),
    path.join(FIXTURE_DIR, 'articles', 'orkney-battery-ferry-winter.md'),
  ].slice(0, size);
  for (const file of real) await copyFile(file, path.join(articles, path.basename(file)));
  for (const article of syntheticArticles(size - real.length))
    await writeFile(path.join(articles, `${article.slug}.md`), articleMarkdown(article));
}
console.log(JSON.stringify({ size, dir: values.out }));
