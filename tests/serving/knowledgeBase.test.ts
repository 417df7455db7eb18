import { mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NotReadyError } from '../../src/errors.js';
import { KnowledgeBase, type KnowledgeOptions, type ReloadReport } from '../../src/serving/knowledgeBase.js';
import { INDEX_FORMAT } from '../../src/search/engine.js';
import { articleText, makeContentDir } from '../support/content.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((dispose) => dispose()));
});

async function setup(files: Record<string, string> = { 'bridge.md': articleText() }) {
  const content = await makeContentDir(files);
  cleanups.push(content.dispose);
  return { ...content, cacheFile: path.join(content.dir, 'index.snapshot') };
}

/** A knowledge base after its first load, as the bot starts one. */
async function loaded(dir: string, options: KnowledgeOptions = {}): Promise<KnowledgeBase> {
  const knowledge = KnowledgeBase.create(dir, options);
  await knowledge.reload();
  return knowledge;
}

const answer = (knowledge: KnowledgeBase, question: string) => knowledge.engine.search(question).hits[0]?.answer;
const source = (report: ReloadReport) => (report.applied ? report.source : 'refused');
const CABLES = 'how many steel cables were replaced?';

/** Waits for the snapshot the worker saves after it has posted the index. */
async function savedSnapshot(file: string): Promise<Buffer> {
  for (let i = 0; i < 100; i++) {
    const bytes = await readFile(file).catch(() => null);
    if (bytes) return bytes;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no snapshot at ${file}`);
}

describe('KnowledgeBase', () => {
  it('answers NotReadyError until the first load has finished, then serves', async () => {
    const { dir } = await setup();
    const knowledge = KnowledgeBase.create(dir);
    expect(knowledge.ready).toBe(false);
    expect(() => knowledge.engine).toThrow(NotReadyError);
    const loading = knowledge.reload();
    expect(() => knowledge.engine).toThrow('Still loading the articles: try again in a few seconds.');
    expect(await loading).toMatchObject({ applied: true, articles: 1, source: 'built' });
    expect(knowledge.ready).toBe(true);
    expect(answer(knowledge, CABLES)).toBe('Engineers replaced 300 steel cables.');
  });

  it('reports an article as changed when only a paragraph of one of its sections was edited', async () => {
    const { dir, articles } = await setup({ 'bridge.md': articleText(), 'ferry.md': articleText({ title: 'Ferry' }) });
    const knowledge = await loaded(dir);
    await writeFile(path.join(articles, 'bridge.md'), articleText({ extra: 'The deck was repainted in May.' }));
    expect(await knowledge.reload()).toMatchObject({
      applied: true,
      changes: { articlesAdded: [], articlesRemoved: [], articlesChanged: ['bridge'], passagesChanged: 1 },
    });
    expect(answer(knowledge, 'when was the deck repainted?')).toBe('The deck was repainted in May.');
  });

  it('saves the built index, and starts from it next time with the same answers', async () => {
    const { dir, cacheFile } = await setup();
    const first = KnowledgeBase.create(dir, { cacheFile });
    expect(source(await first.reload())).toBe('built');
    const saved = await savedSnapshot(cacheFile);
    expect(JSON.parse(saved.subarray(0, saved.indexOf(10)).toString())).toMatchObject({ format: INDEX_FORMAT });
    const second = KnowledgeBase.create(dir, { cacheFile });
    expect(source(await second.reload())).toBe('snapshot');
    expect(answer(second, CABLES)).toBe('Engineers replaced 300 steel cables.');
    expect(second.engine.suggest('cab')).toEqual(first.engine.suggest('cab'));
  });

  it('rebuilds when the content changed, and reuses the snapshot when files were only touched', async () => {
    const { dir, articles, cacheFile } = await setup();
    await loaded(dir, { cacheFile });
    await savedSnapshot(cacheFile);
    const file = path.join(articles, 'bridge.md');
    const later = new Date(Date.now() + 60_000);
    await utimes(file, later, later);
    const touched = KnowledgeBase.create(dir, { cacheFile });
    expect(source(await touched.reload())).toBe('snapshot');
    await writeFile(file, articleText().replace('300 steel cables', '450 steel cables'));
    const changed = KnowledgeBase.create(dir, { cacheFile });
    expect(source(await changed.reload())).toBe('built');
    expect(answer(changed, CABLES)).toBe('Engineers replaced 450 steel cables.');
  });

  it('survives a damaged or unwritable snapshot, saying so once, and builds', async () => {
    const { dir, cacheFile } = await setup();
    await loaded(dir, { cacheFile });
    const bytes = await savedSnapshot(cacheFile);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    await writeFile(cacheFile, bytes);
    const notices: string[] = [];
    const damaged = KnowledgeBase.create(dir, { cacheFile, onSnapshotNotice: (message) => notices.push(message) });
    expect(source(await damaged.reload())).toBe('built');
    expect(answer(damaged, CABLES)).toBe('Engineers replaced 300 steel cables.');
    expect(notices).toEqual(['index snapshot corrupt (its checksum does not match): building the index']);

    const unwritable: string[] = [];
    await loaded(dir, {
      cacheFile: path.join(dir, 'missing-dir', 'index.snapshot'),
      onSnapshotNotice: (message) => unwritable.push(message),
    });
    for (let i = 0; i < 100 && unwritable.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unwritable).toEqual(['index snapshot not saved (ENOENT): the next start builds again']);
  });

  it('rebuilds, saying so, when the snapshot is in another index format', async () => {
    const { dir, cacheFile } = await setup();
    await loaded(dir, { cacheFile });
    const bytes = await savedSnapshot(cacheFile);
    const header = bytes.subarray(0, bytes.indexOf(10)).toString();
    const older = header.replace(`"format":${INDEX_FORMAT}`, `"format":${INDEX_FORMAT - 1}`);
    expect(older).not.toBe(header);
    await writeFile(cacheFile, Buffer.concat([Buffer.from(older), bytes.subarray(bytes.indexOf(10))]));
    const notices: string[] = [];
    const rebuilt = KnowledgeBase.create(dir, { cacheFile, onSnapshotNotice: (message) => notices.push(message) });
    expect(source(await rebuilt.reload())).toBe('built');
    expect(answer(rebuilt, CABLES)).toBe('Engineers replaced 300 steel cables.');
    expect(notices).toEqual([`index snapshot stale (not in index format ${INDEX_FORMAT}): building the index`]);
  });

  it('keeps serving the old content when a reload finds problems, naming file and line', async () => {
    const { dir, articles } = await setup();
    const knowledge = await loaded(dir);
    await writeFile(path.join(articles, 'broken.md'), '---\ntitle:\n---\n\nText.');
    const report = await knowledge.reload();
    expect(report.applied).toBe(false);
    if (!report.applied) expect(report.problems[0]?.file).toBe(path.join(articles, 'broken.md'));
    expect(answer(knowledge, CABLES)).toBe('Engineers replaced 300 steel cables.');
  });

  it('refuses a reload whose build runs out of its memory, keeping the old content: the process lives on', async () => {
    const { dir } = await setup();
    const knowledge = await loaded(dir);
    const starved = KnowledgeBase.create(dir, { buildMemoryMb: 4 });
    const report = await starved.reload();
    expect(report).toMatchObject({
      applied: false,
      problems: [
        { file: dir, line: 0, message: 'the index needs more than the 4 MB its build may use: serve fewer articles' },
      ],
    });
    expect(answer(knowledge, CABLES)).toBe('Engineers replaced 300 steel cables.');
  });

  it('serves the imported articles too, leaving out a broken import, also from the snapshot', async () => {
    const { dir, cacheFile } = await setup();
    const importsDir = path.join(dir, 'imports');
    await mkdir(importsDir);
    await writeFile(
      path.join(importsDir, 'ferry.md'),
      articleText({ title: 'Night Ferry', lead: 'The night ferry returns to Orkney.' }),
    );
    await writeFile(path.join(importsDir, 'broken.md'), '---\ntitle:\n---\n');
    const first = await loaded(dir, { importsDir, cacheFile });
    expect(answer(first, 'where does the night ferry return?')).toBe('The night ferry returns to Orkney.');
    const again = KnowledgeBase.create(dir, { importsDir, cacheFile });
    await savedSnapshot(cacheFile);
    const report = await again.reload();
    expect(report).toMatchObject({ applied: true, articles: 2, source: 'snapshot' });
    if (report.applied)
      expect(new Set(report.skipped.map((p) => p.file))).toEqual(new Set([path.join(importsDir, 'broken.md')]));
  });

  it('lets a second reload supersede one still building: both callers get the newer result', async () => {
    const { dir, articles } = await setup();
    const knowledge = await loaded(dir);
    await writeFile(path.join(articles, 'bridge.md'), articleText().replace('300 steel cables', '450 steel cables'));
    const first = knowledge.reload();
    await writeFile(path.join(articles, 'bridge.md'), articleText().replace('300 steel cables', '600 steel cables'));
    const second = knowledge.reload();
    const [older, newer] = await Promise.all([first, second]);
    expect(older).toMatchObject({ applied: true, superseded: true });
    expect(newer.superseded).toBeUndefined();
    expect(answer(knowledge, CABLES)).toBe('Engineers replaced 600 steel cables.');
  });
});

describe('KnowledgeBase over segments', () => {
  /** Every answer a user could see, for comparing two knowledge bases. */
  const everything = (knowledge: KnowledgeBase) =>
    [CABLES, 'where does the ferry go?', 'what about the lighthouse?', 'summarize the articles'].map((question) =>
      knowledge.engine.search(question).hits.map((hit) => [hit.passage.id, hit.score, hit.answer]),
    );

  it('builds only what changed: the other articles stay in their segment, the report comes from the change', async () => {
    const { dir, articles, cacheFile } = await setup({
      'bridge.md': articleText(),
      'ferry.md': articleText({ title: 'Ferry', lead: 'The ferry goes to Orkney.' }),
    });
    const knowledge = await loaded(dir, { cacheFile });
    const before = knowledge.engine.segmentStates();
    await writeFile(
      path.join(articles, 'lighthouse.md'),
      articleText({ title: 'Lighthouse', lead: 'The lighthouse was repainted.' }),
    );
    const report = await knowledge.reload();
    expect(report).toMatchObject({
      applied: true,
      source: 'built',
      // The lead, each of the two insights, and the one section.
      changes: { articlesAdded: ['lighthouse'], articlesRemoved: [], articlesChanged: [], passagesAdded: 4 },
    });
    const after = knowledge.engine.segmentStates();
    expect(after[0]).toEqual(before[0]);
    expect(after.slice(1).map((state) => state.articles)).toEqual([1]);
    expect(await knowledge.reload()).toMatchObject({
      applied: true,
      source: 'snapshot',
      changes: { articlesAdded: [] },
    });
    const fresh = await loaded(dir);
    expect(everything(knowledge)).toEqual(everything(fresh));
  });

  it('merges small segments in the background, answering exactly as a fresh build throughout', async () => {
    const { dir, articles, cacheFile } = await setup();
    const knowledge = await loaded(dir, { cacheFile });
    for (let i = 0; i < 4; i++) {
      await writeFile(
        path.join(articles, `ferry-${i}.md`),
        articleText({
          title: `Ferry ${i}`,
          lead: `The ferry number ${i} goes to the island of Hoy ${i} times a week.`,
        }),
      );
      await knowledge.reload();
    }
    for (let i = 0; i < 200 && knowledge.engine.segmentStates().length > 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const sizes = (base: KnowledgeBase) => base.engine.segmentStates().map((state) => state.articles);
    // Five one-article segments are one tier: four of them become one segment.
    expect(sizes(knowledge).sort()).toEqual([1, 4]);
    expect(everything(knowledge)).toEqual(everything(await loaded(dir)));
    // A restart serves the merged segments as they are saved.
    const restarted = await loaded(dir, { cacheFile });
    expect(sizes(restarted)).toEqual(sizes(knowledge));
    expect(everything(restarted)).toEqual(everything(knowledge));
  });

  it('builds again what a damaged or missing segment held, saying so once, and serves everything else from its segments', async () => {
    const { dir, articles, cacheFile } = await setup();
    const first = await loaded(dir, { cacheFile });
    await writeFile(
      path.join(articles, 'ferry.md'),
      articleText({ title: 'Ferry', lead: 'The ferry goes to Orkney.' }),
    );
    await first.reload();
    await first.saved();
    first.close();
    const [, added] = first.engine.segmentStates();
    const segmentFile = path.join(`${cacheFile}.segments`, added?.id ?? '');
    const bytes = await readFile(segmentFile);
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff;
    await writeFile(segmentFile, bytes);
    const notices: string[] = [];
    const damaged = KnowledgeBase.create(dir, { cacheFile, onSnapshotNotice: (message) => notices.push(message) });
    expect(await damaged.reload()).toMatchObject({ applied: true, source: 'built' });
    expect(notices).toEqual([
      `index segment ${added?.id} corrupt (its checksum does not match): building its articles again`,
    ]);
    expect(everything(damaged)).toEqual(everything(first));
    await rm(segmentFile, { force: true });
    const missing: string[] = [];
    const again = KnowledgeBase.create(dir, { cacheFile, onSnapshotNotice: (message) => missing.push(message) });
    await again.reload();
    expect(everything(again)).toEqual(everything(first));
  });

  it('stops its worker when idle, and the next one resumes from the manifest, reading only what changed', async () => {
    const { dir, articles, cacheFile } = await setup();
    const knowledge = await loaded(dir, { cacheFile, workerIdleMs: 100 });
    // Idle: the worker has stopped (its memory given back); a change starts a new one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await writeFile(path.join(articles, 'bridge.md'), articleText().replace('300 steel cables', '450 steel cables'));
    expect(await knowledge.reload()).toMatchObject({
      applied: true,
      changes: { articlesAdded: [], articlesRemoved: [], articlesChanged: ['bridge'] },
    });
    expect(answer(knowledge, CABLES)).toBe('Engineers replaced 450 steel cables.');
  });
  it('looks only at the imported files it is told changed, answering as a full build of them', async () => {
    const { dir, articles, cacheFile } = await setup();
    const importsDir = path.join(dir, 'imports');
    await mkdir(importsDir);
    const knowledge = await loaded(dir, { importsDir, cacheFile });
    await writeFile(path.join(articles, 'bridge.md'), articleText().replace('300 steel cables', '450 steel cables'));
    await writeFile(
      path.join(importsDir, 'ferry.md'),
      articleText({ title: 'Ferry', lead: 'The ferry goes to Orkney.' }),
    );
    expect(await knowledge.reload({ imported: ['ferry.md'] })).toMatchObject({
      applied: true,
      changes: { articlesAdded: ['ferry'], articlesChanged: [], articlesRemoved: [] },
    });
    // The edit nobody named waits for a reload of everything.
    expect(answer(knowledge, CABLES)).toBe('Engineers replaced 300 steel cables.');
    await rm(path.join(importsDir, 'ferry.md'));
    expect(await knowledge.reload({ imported: ['ferry.md'] })).toMatchObject({
      applied: true,
      changes: { articlesAdded: [], articlesChanged: [], articlesRemoved: ['ferry'] },
    });
    expect(await knowledge.reload()).toMatchObject({ applied: true, changes: { articlesChanged: ['bridge'] } });
    expect(everything(knowledge)).toEqual(everything(await loaded(dir, { importsDir })));
  });
  it('finds a change again at the next start when the process stopped before saving it', async () => {
    const { dir, articles, cacheFile } = await setup();
    const first = await loaded(dir, { cacheFile });
    await first.saved();
    await writeFile(
      path.join(articles, 'ferry.md'),
      articleText({ title: 'Ferry', lead: 'The ferry goes to Orkney.' }),
    );
    await first.reload();
    // Stopped at once, as a crash would: the manifest still describes the content before the change.
    first.close();
    const restarted = await loaded(dir, { cacheFile });
    expect(restarted.engine.articles.map((article) => article.slug)).toEqual(['bridge', 'ferry']);
    expect(everything(restarted)).toEqual(everything(await loaded(dir)));
  });
});
