import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseHTML } from 'linkedom';
import { ROOT, SEED_DIR } from '../../tests/support/content.js';
import { captureLogger } from '../../tests/support/logger.js';
import { page, startWebServer, type Route } from '../../tests/support/webServer.js';
import type { KnowledgeBase } from '../../src/serving/knowledgeBase.js';

/**
 * What importing an article costs, with the compiled bot's own modules (dist/, as `npm start` runs
 * them, so the import and build workers start as they do in production):
 *
 * - `--pages`: each of the 16 shared news pages (tests/fixtures/news-pages), served from a local
 *   web server: the extraction alone on this thread (Readability over linkedom, written in the
 *   article format and validated), the whole import (fetch and extraction in the import worker,
 *   the file written), and the index rebuilt with it next to the seed article; plus how many of
 *   Readability's expected paragraphs each import keeps.
 * - `--data DIR`: over a benchmark corpus, the time from asking for an import to the first
 *   question it alone answers, and the answering thread's longest stall meanwhile (a question every
 *   100 ms, `monitorEventLoopDelay` at 10 ms resolution).
 */
const { values } = parseArgs({ options: { pages: { type: 'boolean' }, data: { type: 'string' } } });
type Modules = typeof import('../../src/importing/importer.js') &
  typeof import('../../src/importing/importShelf.js') &
  typeof import('../../src/serving/knowledgeBase.js') &
  typeof import('../../src/importing/safeFetch.js') &
  typeof import('../../src/content/fromHtml.js') &
  typeof import('../../src/content/draft.js') &
  typeof import('../../src/content/parseArticle.js') &
  typeof import('../../src/content/normalize.js');
const dist = async (module: string): Promise<unknown> => import(path.join(ROOT, 'dist', module));
const m = Object.assign(
  {},
  ...(await Promise.all(
    [
      'importing/importer.js',
      'importing/importShelf.js',
      'serving/knowledgeBase.js',
      'importing/safeFetch.js',
      'content/fromHtml.js',
      'content/draft.js',
      'content/parseArticle.js',
      'content/normalize.js',
    ].map(dist),
  )),
) as Modules;

const NEWS = path.join(ROOT, 'tests/fixtures/news-pages');
const names = (await readdir(NEWS)).filter((name) => !name.endsWith('.md'));
const routes: Record<string, Route> = {};
for (const name of names) routes[`/${name}`] = page(await readFile(path.join(NEWS, name, 'source.html')));
const web = await startWebServer(routes);
const work = await mkdtemp(path.join(tmpdir(), 'article-bot-import-bench-'));
const actor = { id: 'bench', name: 'bench' };
const round = (ms: number): number => Math.round(ms * 10) / 10;
const summary = (list: number[]): { median: number; worst: number } => {
  const sorted = [...list].sort((a, b) => a - b);
  return { median: round(sorted[Math.floor(sorted.length / 2)] ?? 0), worst: round(sorted.at(-1) ?? 0) };
};
const importerInto = (importsDir: string, knowledge: KnowledgeBase) =>
  new m.ArticleImporter({
    shelf: new m.DirectoryShelf(importsDir, null, captureLogger().logger),
    policy: { ...m.DEFAULT_FETCH_LIMITS, allowPrivate: true },
    logger: captureLogger().logger,
    served: () => (knowledge.ready ? knowledge.engine.articles : []),
  });

try {
  if (values.pages) {
    const flat = (text: string): string => m.normalizeText(text).replace(/\s+/g, ' ').trim();
    const extract = (name: string, html: string) =>
      m.parseArticle(`${name}.md`, m.draftToMarkdown(m.htmlToDraft(html, web.url(`/${name}`))!), name, 'imported')
        .article;
    // First round: warms the code up, and counts the expected paragraphs each import keeps (as the tests do).
    let kept = 0;
    let expected = 0;
    for (const name of names) {
      const article = extract(name, await readFile(path.join(NEWS, name, 'source.html'), 'utf8'));
      const text = flat(
        [
          article?.caption ?? '',
          ...(article?.lead ?? []),
          ...(article?.sections.flatMap((s) => [s.heading, ...s.paragraphs]) ?? []),
        ].join(' '),
      );
      const parse = parseHTML as unknown as (html: string) => {
        document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
      };
      const { document } = parse(await readFile(path.join(NEWS, name, 'expected.html'), 'utf8'));
      const paragraphs = Array.from(document.querySelectorAll('p'))
        .map((p) => flat(p.textContent ?? ''))
        .filter((p) => p.length >= 20);
      expected += paragraphs.length;
      kept += paragraphs.filter((p) => text.includes(p)).length;
    }
    const extractMs: number[] = [];
    const importMs: number[] = [];
    const indexMs: number[] = [];
    for (const name of names) {
      const html = await readFile(path.join(NEWS, name, 'source.html'), 'utf8');
      let started = performance.now();
      extract(name, html);
      extractMs.push(performance.now() - started);
      const importsDir = await mkdtemp(path.join(work, 'articles-'));
      const knowledge = m.KnowledgeBase.create(SEED_DIR, { importsDir });
      await knowledge.reload();
      started = performance.now();
      await importerInto(importsDir, knowledge).add({ kind: 'link', url: web.url(`/${name}`) }, actor);
      importMs.push(performance.now() - started);
      started = performance.now();
      await knowledge.reload();
      indexMs.push(performance.now() - started);
    }
    console.log(
      JSON.stringify({
        pages: names.length,
        extractMs: summary(extractMs),
        importMs: summary(importMs),
        indexMs: summary(indexMs),
        paragraphs: { kept, expected },
      }),
    );
  } else {
    const dir = values.data ?? '';
    const importsDir = path.join(work, 'articles');
    const knowledge = m.KnowledgeBase.create(dir, { importsDir });
    const loaded = await knowledge.reload();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let done = false;
    const asking = (async () => {
      while (!done) {
        knowledge.engine.search('who is Tom Homan?');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    delay.enable();
    const started = performance.now();
    await importerInto(importsDir, knowledge).add({ kind: 'link', url: web.url('/nytimes-1') }, actor);
    const importedMs = performance.now() - started;
    await knowledge.reload();
    const reloadedMs = performance.now() - started;
    const answered = knowledge.engine.search('who is Eric Reeves?').hits[0]?.passage.article.title;
    const firstAnswerMs = performance.now() - started;
    delay.disable();
    done = true;
    await asking;
    if (answered !== 'United States to Lift Sudan Sanctions') throw new Error(`the import did not answer: ${answered}`);
    console.log(
      JSON.stringify({
        articles: loaded.articles,
        importedMs: Math.round(importedMs),
        reloadedMs: Math.round(reloadedMs),
        firstAnswerMs: Math.round(firstAnswerMs),
        stallMs: { max: round(delay.max / 1e6), p99: round(delay.percentile(99) / 1e6) },
      }),
    );
  }
} finally {
  await web.close();
  await rm(work, { recursive: true, force: true });
}
