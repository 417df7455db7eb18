import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/content/article.js';
import { ARTICLE_LIMITS } from '../../src/content/limits.js';
import { fileKey, loadArticles, scanArticles } from '../../src/content/loadArticles.js';
import { ContentError } from '../../src/errors.js';
import { articleText, SEED_DIR, makeContentDir } from '../support/content.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((dispose) => dispose()));
});
async function contentDir(files: Record<string, string | Buffer>) {
  const made = await makeContentDir(files);
  cleanups.push(made.dispose);
  return made;
}

describe('loadArticles', () => {
  it('loads the bundled article with its three sources', async () => {
    const { articles, problems } = await loadArticles(SEED_DIR);
    expect(problems).toEqual([]);
    expect(articles).toHaveLength(1);
    expect(articles[0]?.title).toBe('Mexico’s Assertive Stance Shakes Up U.S. Relations Over Crime And Gun Issues');
    expect(articles[0]?.sources).toHaveLength(3);
    expect(articles[0]?.insights).toHaveLength(5);
    expect(articles[0]?.sections.map((s) => s.heading)).toEqual([
      'Mexico Stands Firm Against U.S. Pressure',
      'Diplomatic Tensions and Security Concerns',
      'Cooperation vs. Coercion: Mexico’s Approach',
      'The Road Ahead: Balancing Security and Sovereignty',
    ]);
  });

  it('keeps good files when one is bad, and reports the bad one by file and line', async () => {
    const { articles: dir } = await contentDir({
      'good.md': articleText(),
      'bad.md': '---\ntitle: Bad\nsources:\n  - not-a-url\n---\n\nText.\n',
    });
    const { articles, problems } = await loadArticles(path.dirname(dir));
    expect(articles.map((a) => a.slug)).toEqual(['good']);
    expect(problems.map(formatProblem)).toEqual([
      `${path.join(dir, 'bad.md')}:4: source is not an http(s) URL: "not-a-url"`,
    ]);
  });

  it('lists problems in file and line order', async () => {
    const { articles: dir } = await contentDir({
      'b.md': '---\ntitle: B\nurl: nope\nsources:\n  - bad\nfoo: 1\n---\n\nText.\n',
      'a.md': '---\ntitle: A\nsources:\n  - bad\n---\n\nText.\n',
    });
    const { problems } = await loadArticles(path.dirname(dir));
    expect(problems.map((p) => `${path.basename(p.file)}:${p.line}`)).toEqual(['a.md:4', 'b.md:3', 'b.md:5', 'b.md:6']);
  });

  it('reads DIR/*.md when DIR has no articles folder', async () => {
    const { articles: dir } = await contentDir({ 'one.md': articleText() });
    const { articles } = await loadArticles(dir);
    expect(articles.map((a) => a.slug)).toEqual(['one']);
  });

  it('reports duplicate slugs', async () => {
    const { articles: dir } = await contentDir({ 'Bridge.md': articleText(), 'bridge.md': articleText() });
    const { articles, problems } = await loadArticles(dir);
    expect(articles).toHaveLength(1);
    expect(problems.map(formatProblem)).toEqual([
      `${path.join(dir, 'bridge.md')}: duplicate slug "bridge" (also used by ${path.join(dir, 'Bridge.md')})`,
    ]);
  });

  it('refuses non-UTF-8, oversized files and links leaving the directory', async () => {
    const outside = await contentDir({ 'secret.md': articleText({ title: 'Secret' }) });
    const { articles: dir } = await contentDir({
      'latin1.md': Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x74, 0xe9, 0x0a]),
      'huge.md': articleText({ extra: 'x'.repeat(ARTICLE_LIMITS.bytes) }),
    });
    await symlink(path.join(outside.articles, 'secret.md'), path.join(dir, 'escape.md'));
    const { articles, problems } = await loadArticles(dir);
    expect(articles).toEqual([]);
    expect(problems.map(formatProblem)).toEqual([
      `${path.join(dir, 'escape.md')}: a link to a file outside the content directory: not read`,
      expect.stringMatching(/huge\.md: file is too large \(\d+ KB; at most 128 KB\)$/),
      `${path.join(dir, 'latin1.md')}: not valid UTF-8 text: save the file as UTF-8`,
    ]);
  });

  it('refuses a 50 MB file without reading it, and loads thousands of files', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`article-${i}.md`] = articleText({ title: `Report ${i}` });
    const { articles: dir } = await contentDir(files);
    const { open } = await import('node:fs/promises');
    const huge = await open(path.join(dir, 'huge.md'), 'w');
    await huge.truncate(50 * 1024 * 1024);
    await huge.close();
    const { articles, problems } = await loadArticles(dir);
    expect(articles).toHaveLength(3000);
    expect(problems.map(formatProblem)).toEqual([
      `${path.join(dir, 'huge.md')}: file is too large (50 MB; at most 128 KB)`,
    ]);
  });

  it('reports an empty directory, and throws a content error for a missing one', async () => {
    const { articles: dir } = await contentDir({});
    await writeFile(path.join(dir, 'notes.txt'), 'not an article');
    expect((await loadArticles(dir)).problems.map(formatProblem)).toEqual([
      `${dir}: no articles found: add a Markdown file such as my-article.md`,
    ]);
    await expect(loadArticles(path.join(dir, 'missing'))).rejects.toThrow(ContentError);
  });

  it('serves imported articles with the content directory’s, leaving out a bad import instead of refusing', async () => {
    const { dir } = await contentDir({ 'harbour.md': articleText() });
    const imports = path.join(dir, 'imports');
    await mkdir(imports);
    await writeFile(path.join(imports, 'ferry.md'), articleText({ title: 'Night Ferry Returns' }));
    await writeFile(path.join(imports, 'harbour.md'), articleText({ title: 'A Clash' }));
    await writeFile(path.join(imports, 'broken.md'), '---\ntitle: Broken\n---\n');
    const { articles, problems, skipped } = await loadArticles(dir, imports);
    expect(articles.map((a) => [a.slug, a.origin])).toEqual([
      ['harbour', 'data'],
      ['ferry', 'imported'],
    ]);
    expect(problems).toEqual([]);
    expect(skipped.map(formatProblem)).toEqual([
      `${path.join(imports, 'broken.md')}:4: empty body: add a lead paragraph after the front matter`,
      `${path.join(imports, 'harbour.md')}: duplicate slug "harbour" (also used by ${path.join(dir, 'articles', 'harbour.md')})`,
    ]);
    // No imports directory yet: just the content directory.
    expect((await loadArticles(dir, path.join(dir, 'none'))).articles).toHaveLength(1);
  });

  it('looks only at the files it is told changed, taking every other as recorded', async () => {
    const { dir } = await contentDir({ 'harbour.md': articleText() });
    const imports = path.join(dir, 'imports');
    await mkdir(imports);
    await writeFile(path.join(imports, 'ferry.md'), articleText({ title: 'Night Ferry Returns' }));
    const first = await scanArticles(dir, imports, new Map());
    const records = new Map(first.files.map((file) => [fileKey(file.origin, file.name), file.record]));
    // An edit nobody names is not seen; the import named is, and so is one named and gone.
    await writeFile(path.join(dir, 'articles', 'harbour.md'), articleText({ title: 'Edited By Hand' }));
    await writeFile(path.join(imports, 'tram.md'), articleText({ title: 'Tram Line Opens' }));
    await rm(path.join(imports, 'ferry.md'));
    const limited = await scanArticles(dir, imports, records, {
      only: new Set([fileKey('imported', 'tram.md'), fileKey('imported', 'ferry.md')]),
    });
    expect(limited.files.map((file) => [file.name, file.article?.title ?? null])).toEqual([
      ['harbour.md', null],
      ['tram.md', 'Tram Line Opens'],
    ]);
    expect(limited.files[0]?.record).toEqual(records.get(fileKey('data', 'harbour.md')));
    // Looking at everything finds the edit too, and the same files.
    const full = await scanArticles(dir, imports, records);
    expect(full.files.map((file) => [file.name, file.article?.title ?? null])).toEqual([
      ['harbour.md', 'Edited By Hand'],
      ['tram.md', 'Tram Line Opens'],
    ]);
  });
});
