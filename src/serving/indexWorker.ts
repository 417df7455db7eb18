import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { Article, Problem } from '../content/article.js';
import { fileKey, scanArticles, type FileRecord, type ScannedFile } from '../content/loadArticles.js';
import { ContentError } from '../errors.js';
import { blocksOf } from '../search/blocks.js';
import { merging, type MergeInput } from '../search/merge.js';
import { chooseMerge, DEFAULT_MERGE_POLICY, type SegmentState } from '../search/mergePolicy.js';
import { resolveOptions } from '../search/options.js';
import { buildSegment, Segment } from '../search/segment.js';
import type { IndexRequest, IndexMessage, ContentDiff, SegmentNote } from './indexClient.js';
import { encodeParts, SegmentCollector, type NamedSegment } from './parts.js';
import { checkSnapshot, readSnapshot, writeSnapshot } from './snapshot.js';

/**
 * The worker thread that keeps the index (see indexClient.ts): it scans the content directories,
 * builds a segment of what changed, marks what was removed, merges segments in the background
 * when the merge policy asks, keeps the segment files and their manifest, and posts every new
 * segment to the thread that answers questions. It lives as long as the knowledge base: what it
 * remembers (the files' stamps and hashes, which segment holds which article) is what lets a
 * change cost only itself. All the slow work (reading, parsing, analysing, merging, writing) happens
 * here, never on the thread that answers.
 */
const setup = workerData as IndexRequest;
const port = parentPort;
const options = resolveOptions();

/** A segment as this worker knows it: its articles (by slug) and the ones deleted from it since it was built. */
interface KnownSegment {
  id: string;
  slugs: string[];
  deleted: Set<string>;
}

/** Where each served article is: its file and that file's hash, and its segment. */
interface ServedArticle {
  key: string;
  hash: string;
  segment: string;
}

/** What the worker remembers between jobs, and saves as the manifest. */
interface State {
  records: Map<string, FileRecord>;
  served: Map<string, ServedArticle>;
  segments: KnownSegment[];
  skipped: Problem[];
  fingerprint: string;
  next: number;
}

/** The manifest as saved: the state, in plain data. */
interface Manifest {
  records: Array<[string, FileRecord]>;
  served: Array<[string, ServedArticle]>;
  segments: Array<{ id: string; slugs: string[]; deleted: string[] }>;
  skipped: Problem[];
  fingerprint: string;
  next: number;
}

let state: State | null = null;

/**
 * Where segments are kept between runs: files beside the manifest (`<snapshot>.segments/<id>`),
 * or, without a snapshot file or when it cannot be written, this worker's memory (so merges can
 * still read them).
 */
class SegmentStore {
  private readonly memory = new Map<string, NamedSegment>();
  private dir: string | null;
  private told = false;

  constructor(private readonly manifest: string | null) {
    this.dir = manifest === null ? null : `${manifest}.segments`;
  }

  get saving(): boolean {
    return this.dir !== null;
  }

  async read(id: string): Promise<{ segment: NamedSegment } | { problem: string | null }> {
    const kept = this.memory.get(id);
    if (kept) return { segment: kept };
    if (this.dir === null) return { problem: null };
    const verdict = checkSnapshot(await readSnapshot(path.join(this.dir, id)));
    if (!verdict.usable) return { problem: verdict.problem };
    const collector = new SegmentCollector();
    for (const part of verdict.parts) collector.add(part);
    return { segment: collector.result() };
  }

  async write(segment: NamedSegment, parts: readonly Uint8Array[]): Promise<void> {
    if (this.dir === null) {
      this.memory.set(segment.id, segment);
      return;
    }
    await this.saved(async (dir) => {
      await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      await writeSnapshot(path.join(dir, segment.id), { kind: 'segment', id: segment.id }, parts);
    });
    if (this.dir === null) this.memory.set(segment.id, segment);
  }

  async remove(id: string): Promise<void> {
    this.memory.delete(id);
    if (this.dir !== null) await rm(path.join(this.dir, id), { force: true });
  }

  async writeManifest(manifest: Manifest): Promise<void> {
    const file = this.manifest;
    if (file === null || this.dir === null) return;
    await this.saved(() => writeSnapshot(file, { kind: 'manifest' }, [serialize(manifest)]));
  }

  /** Writes with `write`; when it fails, says so once and keeps segments in memory from then on. */
  private async saved(write: (dir: string) => Promise<void>): Promise<void> {
    const dir = this.dir;
    if (dir === null) return;
    try {
      await write(dir);
    } catch (error) {
      this.dir = null;
      if (!this.told)
        notice(
          `index snapshot not saved (${(error as NodeJS.ErrnoException).code ?? String(error)}): the next start builds again`,
        );
      this.told = true;
    }
  }
}

const store = new SegmentStore(setup.snapshotFile);

function post(message: IndexMessage, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function notice(message: string): void {
  post({ type: 'notice', message });
}

/** Resolves when the main thread asks for the next part, or says it has installed what it was sent. */
let answered: (() => void) | null = null;
function nextAsked(): Promise<void> {
  return new Promise((resolve) => (answered = resolve));
}

/** Posts a segment's parts, each once the main thread has handled the one before, then its note. */
async function sendSegment(parts: readonly Uint8Array[], note: SegmentNote): Promise<void> {
  for (const part of parts) {
    // A part of its own, moved rather than copied (a Buffer's slice() would share a file's buffer).
    const bytes = new Uint8Array(part);
    post({ type: 'part', bytes }, [bytes.buffer]);
    await nextAsked();
  }
  post({ type: 'segment', note });
}

/** The state the manifest describes, and the segments it names that are sound; `null` with no usable manifest. */
async function savedState(): Promise<{ state: State; sound: NamedSegment[] } | null> {
  if (setup.snapshotFile === null) return null;
  const verdict = checkSnapshot(await readSnapshot(setup.snapshotFile));
  if (!verdict.usable || verdict.meta.kind !== 'manifest') {
    if (verdict.usable || verdict.problem)
      notice(`index snapshot ${verdict.usable ? 'stale (not a manifest)' : verdict.problem}: building the index`);
    return null;
  }
  const manifest = deserialize(verdict.parts[0] as Uint8Array) as Manifest;
  const loaded: State = {
    records: new Map(manifest.records),
    served: new Map(manifest.served),
    segments: manifest.segments.map((s) => ({ id: s.id, slugs: s.slugs, deleted: new Set(s.deleted) })),
    skipped: manifest.skipped,
    fingerprint: manifest.fingerprint,
    next: manifest.next,
  };
  const sound: NamedSegment[] = [];
  for (const segment of [...loaded.segments]) {
    const read = await store.read(segment.id);
    if ('segment' in read) {
      sound.push(read.segment);
      continue;
    }
    // What it held is built again: its articles are no longer served from anywhere.
    notice(`index segment ${segment.id} ${read.problem ?? 'missing'}: building its articles again`);
    loaded.segments = loaded.segments.filter((other) => other !== segment);
    for (const slug of segment.slugs) if (loaded.served.get(slug)?.segment === segment.id) loaded.served.delete(slug);
  }
  return { state: loaded, sound };
}

function emptyState(): State {
  return { records: new Map(), served: new Map(), segments: [], skipped: [], fingerprint: '', next: 1 };
}

/**
 * One reload: scans the directories against what is served, builds a segment of what was added
 * or changed, marks what was removed, saves, and posts it. On the first reload of this worker,
 * posts every segment of the manifest too (`full`).
 */
async function reload(): Promise<void> {
  const full = state === null;
  let sound: NamedSegment[] = [];
  let current = state;
  if (!current) {
    const saved = await savedState();
    current = saved?.state ?? emptyState();
    sound = saved?.sound ?? [];
  }
  const before = current;
  let scan;
  try {
    scan = await scanArticles(setup.dataDir, setup.importsDir, before.records);
  } catch (error) {
    if (error instanceof ContentError) return post({ type: 'problems', problems: [...error.problems] });
    throw error;
  }
  if (scan.problems.length > 0) return post({ type: 'problems', problems: scan.problems });

  // What each slug is served from now, and which of them are new or changed.
  const now = new Map<string, { file: ScannedFile; key: string }>();
  for (const file of scan.files) if (file.served) now.set(file.slug, { file, key: fileKey(file.origin, file.name) });
  const changed = (slug: string, entry: { file: ScannedFile; key: string }): boolean => {
    const was = before.served.get(slug);
    return !was || was.key !== entry.key || was.hash !== entry.file.record.hash;
  };
  const removed = [...before.served.keys()].filter((slug) => {
    const entry = now.get(slug);
    return !entry || changed(slug, entry);
  });
  const addedSlugs = [...now].filter(([slug, entry]) => changed(slug, entry)).map(([slug]) => slug);
  // A file served anew without having changed (its slug freed, or its segment lost) is read now.
  const unread = new Set(addedSlugs.filter((slug) => !now.get(slug)?.file.article).map((slug) => now.get(slug)?.key));
  const articles = new Map<string, Article>();
  for (const slug of addedSlugs) {
    const article = now.get(slug)?.file.article;
    if (article) articles.set(slug, article);
  }
  if (unread.size > 0) {
    const again = await scanArticles(setup.dataDir, setup.importsDir, before.records, (file) =>
      unread.has(fileKey(file.origin, file.name)),
    );
    for (const file of again.files)
      if (file.served && file.article && unread.has(fileKey(file.origin, file.name)))
        articles.set(file.slug, file.article);
  }

  // The new state: removals marked in their segments, the added articles in new segments.
  const next: State = {
    records: new Map(scan.files.map((file) => [fileKey(file.origin, file.name), file.record])),
    served: new Map(before.served),
    segments: before.segments.map((segment) => ({ ...segment, deleted: new Set(segment.deleted) })),
    skipped: scan.skipped,
    fingerprint: scan.fingerprint,
    next: before.next,
  };
  for (const slug of removed) {
    const where = next.served.get(slug);
    next.segments.find((segment) => segment.id === where?.segment)?.deleted.add(slug);
    next.served.delete(slug);
  }
  const built: Array<{ segment: NamedSegment; parts: Uint8Array[] }> = [];
  for (const chunk of blocksOf(
    addedSlugs.map((slug) => articles.get(slug) as Article),
    DEFAULT_MERGE_POLICY.maxArticles,
  )) {
    const id = `s${next.next++}`;
    const segment: NamedSegment = { id, options, data: buildSegment(chunk, options) };
    const parts = [...encodeParts(segment)];
    await store.write(segment, parts);
    built.push({ segment, parts });
    next.segments.push({ id, slugs: segment.data.articles.map((article) => article.slug), deleted: new Set() });
    for (const article of segment.data.articles) {
      const entry = now.get(article.slug) as { file: ScannedFile; key: string };
      next.served.set(article.slug, { key: entry.key, hash: entry.file.record.hash, segment: id });
    }
  }
  await store.writeManifest(manifestOf(next));
  state = next;

  const diff: ContentDiff = {
    added: addedSlugs.filter((slug) => !before.served.has(slug)),
    removed: removed.filter((slug) => !now.has(slug)),
    changed: addedSlugs.filter((slug) => before.served.has(slug)),
  };
  post({ type: 'begin', full, remove: full ? [] : removed });
  if (full)
    for (const segment of sound) {
      const known = next.segments.find((other) => other.id === segment.id);
      await sendSegment([...encodeParts(segment)], { id: segment.id, deleted: [...(known?.deleted ?? [])] });
    }
  for (const { segment, parts } of built) await sendSegment(parts, { id: segment.id, deleted: [] });
  post({
    type: 'done',
    diff,
    skipped: next.skipped,
    fingerprint: next.fingerprint,
    source: built.length > 0 ? 'built' : 'snapshot',
  });
  await nextAsked();
}

function manifestOf(current: State): Manifest {
  return {
    records: [...current.records],
    served: [...current.served],
    segments: current.segments.map((segment) => ({
      id: segment.id,
      slugs: segment.slugs,
      deleted: [...segment.deleted],
    })),
    skipped: current.skipped,
    fingerprint: current.fingerprint,
    next: current.next,
  };
}

/** The segments as the merge policy reads them. */
function segmentStates(current: State): SegmentState[] {
  return current.segments.map((segment) => ({
    id: segment.id,
    articles: segment.slugs.length,
    deleted: [...segment.deleted],
  }));
}

/** Jobs asked for and not begun: reloads run one at a time, in order. */
let reloads = 0;
let running = false;

/**
 * Runs what is asked, one job at a time, and between jobs the merges the policy asks for: a merge
 * runs in steps, and a reload asked for meanwhile runs before its next step.
 */
async function work(): Promise<void> {
  if (running) return;
  running = true;
  try {
    for (;;) {
      if (reloads > 0) {
        reloads--;
        await reload();
        continue;
      }
      if (!state || !(await mergeOnce())) break;
    }
  } catch (error) {
    post({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  } finally {
    running = false;
  }
}

/** Runs the merge the policy asks for, if any; whether one ran. */
async function mergeOnce(): Promise<boolean> {
  const current = state;
  if (!current) return false;
  const chosen = chooseMerge(segmentStates(current), DEFAULT_MERGE_POLICY);
  if (!chosen) return false;
  const inputs: MergeInput[] = [];
  for (const id of chosen) {
    const read = await store.read(id);
    const known = current.segments.find((segment) => segment.id === id);
    if (!('segment' in read) || !known) return false;
    const segment = new Segment(read.segment.data);
    const deleted = new Set<number>();
    read.segment.data.articles.forEach((article, a) => {
      if (known.deleted.has(article.slug)) deleted.add(a);
    });
    inputs.push({ segment, deleted });
  }
  // In steps, letting a reload asked for meanwhile run first (it may delete from these segments).
  const steps = merging(inputs);
  let step = steps.next();
  let since = performance.now();
  while (!step.done) {
    if (performance.now() - since > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      if (reloads > 0) {
        reloads--;
        await reload();
      }
      since = performance.now();
    }
    step = steps.next();
  }
  const after = state as State;
  const id = `s${after.next++}`;
  const merged: NamedSegment = { id, options, data: step.value };
  const parts = [...encodeParts(merged)];
  await store.write(merged, parts);
  // Articles deleted from the merged segments while the merge ran are deleted from it too.
  const gone = new Set(chosen);
  const deleted = new Set<string>();
  for (const segment of after.segments) if (gone.has(segment.id)) for (const slug of segment.deleted) deleted.add(slug);
  const slugs = merged.data.articles.map((article) => article.slug);
  const at = after.segments.findIndex((segment) => gone.has(segment.id));
  after.segments = after.segments.filter((segment) => !gone.has(segment.id));
  after.segments.splice(at, 0, { id, slugs, deleted: new Set(slugs.filter((slug) => deleted.has(slug))) });
  for (const slug of slugs) {
    const where = after.served.get(slug);
    if (where && gone.has(where.segment)) where.segment = id;
  }
  await store.writeManifest(manifestOf(after));
  post({ type: 'begin', full: false, remove: [], replaced: chosen });
  await sendSegment(parts, { id, deleted: [...(after.segments[at]?.deleted ?? [])] });
  post({ type: 'merged' });
  await nextAsked();
  for (const old of chosen) await store.remove(old);
  return true;
}

port?.on('message', (message: IndexRequestMessage) => {
  if (message === 'next') {
    const resolve = answered;
    answered = null;
    resolve?.();
  } else if (message === 'reload') {
    reloads++;
    void work();
  }
});

/** What the main thread posts: a reload to run, or `next` (the last part or result was handled). */
export type IndexRequestMessage = 'reload' | 'next';
