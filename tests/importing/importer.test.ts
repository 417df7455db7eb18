import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleInfo } from '../../src/content/article.js';
import { loadArticles } from '../../src/content/loadArticles.js';
import { ArticleImporter, type ImportSource } from '../../src/importing/importer.js';
import { DirectoryShelf } from '../../src/importing/importShelf.js';
import { DEFAULT_FETCH_LIMITS } from '../../src/importing/safeFetch.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { articleText, MODERATOR, ROOT, SEED_DIR } from '../support/content.js';
import { eventually } from '../support/eventually.js';
import { captureLogger } from '../support/logger.js';
import { page, startWebServer, type WebServer } from '../support/webServer.js';

const NEWS = path.join(ROOT, 'tests/fixtures/news-pages');

let web: WebServer;
let dir: string;
/** Requests to the slow pages being answered now, and the most at once. */
let inFlight = 0;
let mostInFlight = 0;
/** Holds the slow pages' answers until the test opens it. */
let openGate: () => void = () => undefined;
const gate = new Promise<void>((resolve) => (openGate = resolve));

beforeAll(async () => {
  web = await startWebServer({
    '/story': page(await readFile(path.join(NEWS, 'wapo-1/source.html'))),
    '/home': page(
      `<html><body><h1>Front page</h1><ul>${Array.from({ length: 30 }, (_, i) => `<li><a href="/s${i}">Story number ${i} of the day, read it now</a></li>`).join('')}</ul></body></html>`,
    ),
    '/notes.txt': page(
      'Harbour Bridge Reopens\n\nThe Harbour Bridge reopened on Monday.\nIt took two years.\n\nEngineers replaced 300 cables.\n',
      'text/plain',
    ),
    '/saved.html': page(await readFile(path.join(NEWS, 'nytimes-1/source.html')), 'application/octet-stream'),
    '/doc.pdf': page('%PDF-1.7', 'application/pdf'),
    '/other-notes.txt': page(
      'Harbour Bridge Reopens\n\nA different story with the same title, about the ferry.\n',
      'text/plain',
    ),
    '/long.txt': page(`Long Story\n\n${'A sentence of a very long story. '.repeat(50_000)}\n`, 'text/plain'),
  });
  // Slow pages, answered only once the test opens the gate: the server sees how many conversions fetch at once.
  for (let i = 0; i < 4; i++)
    web.route(`/slow-${i}`, (_request, response) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      void gate.then(() => {
        inFlight--;
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end(
          `Slow Story ${i}\n\n${'The slow story goes on for a while, sentence after sentence. '.repeat(20)}\n`,
        );
      });
    });
  dir = await mkdtemp(path.join(tmpdir(), 'article-bot-import-'));
});

afterAll(async () => {
  await web?.close();
  await rm(dir, { recursive: true, force: true });
});

/** An importer into a fresh directory, with a real database, next to the seed article. */
async function importer(given?: readonly ArticleInfo[]) {
  const served = given ?? (await loadArticles(SEED_DIR)).articles;
  const importsDir = await mkdtemp(path.join(dir, 'articles-'));
  const store = SqliteStore.open(path.join(importsDir, '..', `${path.basename(importsDir)}.sqlite`));
  const log = captureLogger();
  const instance = new ArticleImporter({
    shelf: new DirectoryShelf(importsDir, store, log.logger),
    policy: { ...DEFAULT_FETCH_LIMITS, allowPrivate: true },
    logger: log.logger,
    served: () => served,
  });
  return { importer: instance, importsDir, store, log };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'imported',
    (error: Error & { problems?: readonly string[] }) => [error.message, ...(error.problems ?? [])].join('\n'),
  );

describe('ArticleImporter', () => {
  it('imports a page as a Markdown file in the article format, recorded with who added it', async () => {
    const { importer: imports, importsDir, store, log } = await importer();
    const imported = await imports.add({ kind: 'link', url: web.url('/story') }, MODERATOR);
    expect(imported).toMatchObject({
      status: 'added',
      slug: 'attack-stokes-instability-fears-in-north-africa',
      from: web.url('/story'),
      file: path.join(importsDir, 'attack-stokes-instability-fears-in-north-africa.md'),
    });
    expect(imported.passages).toBeGreaterThan(20);
    const stored = await loadArticles(SEED_DIR, importsDir);
    expect(stored.problems).toEqual([]);
    expect(stored.articles.map((a) => [a.slug, a.origin])).toEqual([
      ['mexico-us-cartel-sovereignty', 'data'],
      ['attack-stokes-instability-fears-in-north-africa', 'imported'],
    ]);
    expect(await store.importedArticles()).toEqual([
      expect.objectContaining({ slug: imported.slug, addedBy: MODERATOR, source: web.url('/story') }),
    ]);
    expect(log.entries()).toEqual([
      expect.objectContaining({ event: 'content.imported', status: 'added', userId: MODERATOR.id }),
    ]);
    await store.close();
  });

  it('replaces an earlier import of the same story, and records the removal', async () => {
    const { importer: imports, importsDir, store } = await importer();
    const first = await imports.add({ kind: 'link', url: web.url('/story') }, MODERATOR);
    const served = (await loadArticles(SEED_DIR, importsDir)).articles;
    const again = new ArticleImporter({
      shelf: new DirectoryShelf(importsDir, store, captureLogger().logger),
      policy: { ...DEFAULT_FETCH_LIMITS, allowPrivate: true },
      logger: captureLogger().logger,
      served: () => served,
    });
    expect(await again.add({ kind: 'link', url: web.url('/story') }, MODERATOR)).toMatchObject({
      status: 'updated',
      slug: first.slug,
    });
    expect(await readdir(importsDir)).toEqual([`${first.slug}.md`]);
    expect((await again.remove('instability', MODERATOR)).slug).toBe(first.slug);
    expect(await readdir(importsDir)).toEqual([]);
    expect(await store.importedArticles()).toEqual([]);
    await store.close();
  });

  it('imports a text file, an HTML file served as an octet-stream, and a file on this machine', async () => {
    const { importer: imports, store } = await importer();
    const text = await imports.add(
      { kind: 'attachment', url: web.url('/notes.txt'), name: 'notes.txt', size: 90 },
      MODERATOR,
    );
    expect(text.article).toMatchObject({
      title: 'Harbour Bridge Reopens',
      lead: ['The Harbour Bridge reopened on Monday. It took two years.', 'Engineers replaced 300 cables.'],
    });
    const html = await imports.add(
      { kind: 'attachment', url: web.url('/saved.html'), name: 'saved.html', size: 900 },
      MODERATOR,
    );
    expect(html.article.title).toBe('United States to Lift Sudan Sanctions');
    const local = path.join(dir, 'bridge-story.md');
    await writeFile(local, articleText({ title: 'Ferry Resumes' }));
    expect(await imports.add({ kind: 'file', path: local }, MODERATOR)).toMatchObject({
      status: 'added',
      slug: 'bridge-story',
    });
    await store.close();
  });

  it.each<[string, ImportSource, string]>([
    ['a home page of links', { kind: 'link', url: '/home' }, 'no article found at {web}/home'],
    [
      'a PDF',
      { kind: 'link', url: '/doc.pdf' },
      '{web}/doc.pdf is application/pdf, not a web page: only HTML, plain text or Markdown can be imported',
    ],
    ['a missing page', { kind: 'link', url: '/gone' }, '{host} answered HTTP 404 Not Found'],
    [
      'a file of another kind',
      { kind: 'attachment', url: '/doc.pdf', name: 'doc.pdf', size: 8 },
      'doc.pdf is not an article file: only .md, .markdown, .txt, .html or .htm',
    ],
    [
      'a file over the size limit',
      { kind: 'attachment', url: '/notes.txt', name: 'big.txt', size: 6 * 1024 * 1024 },
      'big.txt is larger than 5 MB (IMPORT_MAX_BYTES)',
    ],
  ])('refuses %s, saying why, and adds nothing', async (_what, source, reason) => {
    const { importer: imports, importsDir, store } = await importer();
    const at = (url: string) => (url.startsWith('/') ? web.url(url) : url);
    const given = 'url' in source ? { ...source, url: at(source.url) } : source;
    expect(await refusal(imports.add(given, MODERATOR))).toBe(
      reason.replace('{web}', web.origin).replace('{host}', new URL(web.origin).host),
    );
    expect(await readdir(importsDir)).toEqual([]);
    expect(await store.importedArticles()).toEqual([]);
    await store.close();
  });

  it('refuses a Markdown file with problems, listing them by line, and one clashing with DATA_DIR', async () => {
    const { importer: imports, store } = await importer();
    const broken = path.join(dir, 'broken.md');
    await writeFile(broken, '---\ntitle: Broken\npublished: soon\n---\n\nText.\n');
    expect(await refusal(imports.add({ kind: 'file', path: broken }, MODERATOR))).toBe(
      'broken.md is not a valid article (1 problem)\nbroken.md:3: published is not a date in the form YYYY-MM-DD: "soon"',
    );
    const clash = path.join(dir, 'mexico-us-cartel-sovereignty.md');
    await writeFile(clash, articleText());
    expect(await refusal(imports.add({ kind: 'file', path: clash }, MODERATOR))).toBe(
      'mexico-us-cartel-sovereignty.md: an article of the bot\'s content directory already has the slug "mexico-us-cartel-sovereignty": rename the file',
    );
    expect(await refusal(imports.remove('mexico', MODERATOR))).toMatch(/comes from the bot's content directory/);
    await store.close();
  });

  it('keeps two different stories of one title apart, even imported at once by two processes', async () => {
    const { importer: first, importsDir, store } = await importer();
    const second = new ArticleImporter({
      shelf: new DirectoryShelf(importsDir, store, captureLogger().logger),
      policy: { ...DEFAULT_FETCH_LIMITS, allowPrivate: true },
      logger: captureLogger().logger,
      served: () => [],
    });
    const [a, b] = await Promise.all([
      first.add({ kind: 'attachment', url: web.url('/notes.txt'), name: 'notes.txt', size: 90 }, MODERATOR),
      second.add(
        { kind: 'attachment', url: web.url('/other-notes.txt'), name: 'other-notes.txt', size: 90 },
        MODERATOR,
      ),
    ]);
    expect([a.slug, b.slug].sort()).toEqual(['harbour-bridge-reopens', 'harbour-bridge-reopens-2']);
    expect([a.status, b.status]).toEqual(['added', 'added']);
    expect((await readdir(importsDir)).sort()).toEqual(['harbour-bridge-reopens-2.md', 'harbour-bridge-reopens.md']);
    await store.close();
  });

  it('refuses to remove by a part of a title that names several, and removes a left-out file by its slug', async () => {
    const { importer: imports, importsDir, store } = await importer();
    await imports.add({ kind: 'attachment', url: web.url('/notes.txt'), name: 'notes.txt', size: 90 }, MODERATOR);
    await imports.add(
      { kind: 'attachment', url: web.url('/other-notes.txt'), name: 'other-notes.txt', size: 90 },
      MODERATOR,
    );
    const served = await loadArticles(SEED_DIR, importsDir);
    const removing = new ArticleImporter({
      shelf: new DirectoryShelf(importsDir, store, captureLogger().logger),
      policy: { ...DEFAULT_FETCH_LIMITS, allowPrivate: true },
      logger: captureLogger().logger,
      served: () => served.articles,
    });
    expect(await refusal(removing.remove('harbour', MODERATOR))).toBe(
      '"harbour" names several articles: “Harbour Bridge Reopens”, “Harbour Bridge Reopens”. Give the whole title.',
    );
    await writeFile(path.join(importsDir, 'broken.md'), '---\ntitle: Broken\n---\n');
    expect(await removing.remove('broken', MODERATOR)).toEqual({ slug: 'broken', title: 'Broken', name: 'broken.md' });
    expect(await removing.remove('harbour-bridge-reopens-2', MODERATOR)).toMatchObject({
      slug: 'harbour-bridge-reopens-2',
    });
    expect(await readdir(importsDir)).toEqual(['harbour-bridge-reopens.md']);
    await store.close();
  });

  it('converts at most two pages at once, however many moderators import together; the others wait their turn', async () => {
    const { importer: imports } = await importer();
    const importing = Promise.all(
      [0, 1, 2, 3].map((i) => imports.add({ kind: 'link', url: web.url(`/slow-${i}`) }, MODERATOR)),
    );
    // Two fetches arrive; a third does not while they are held.
    await eventually(() => inFlight === 2, { ms: 20_000, what: () => `${inFlight} in flight` });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(inFlight).toBe(2);
    openGate();
    const imported = await importing;
    expect(imported.map((article) => article.article.title)).toEqual([0, 1, 2, 3].map((i) => `Slow Story ${i}`));
    expect(mostInFlight).toBe(2);
  });

  it('refuses what would be too long to serve as an article file', async () => {
    const { importer: imports, importsDir, store } = await importer();
    expect(await refusal(imports.add({ kind: 'link', url: web.url('/long.txt') }, MODERATOR))).toBe(
      `${web.url('/long.txt')} is too long to serve: over 128 KB as an article`,
    );
    expect(await readdir(importsDir)).toEqual([]);
    await store.close();
  });
});
