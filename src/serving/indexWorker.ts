import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Article } from '../content/article.js';
import { fileKey, scanArticles, type FileRecord, type ScannedFile } from '../content/loadArticles.js';
import { ContentError } from '../errors.js';
import { blocksOf } from '../search/blocks.js';
import { merging, type MergeInput } from '../search/merge.js';
import { chooseMerge, DEFAULT_MERGE_POLICY, type SegmentState } from '../search/mergePolicy.js';
import { resolveOptions } from '../search/options.js';
import { buildSegment, Segment } from '../search/segment.js';
import type { IndexRequest, IndexMessage, ContentDiff, SegmentNote } from './indexClient.js';
import { decodeManifest, encodeManifest, type IndexState as State, type SavedManifest } from './manifest.js';
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

/** What this worker remembers between jobs; `null` until its first reload. */
let state: State | null = null;

/**
 * Where segments are kept between runs: files beside the manifest (`<snapshot>.segments/<id>`),
 * or, without a snapshot file or when it cannot be written, this worker's memory (so merges can
 * still read them).
 */
class SegmentStore {
  private readonly memory = new Map<string, Uint8Array[]>();
  private dir: string | null;
  private told = false;

  constructor(private readonly manifest: string | null) {
    this.dir = manifest === null ? null : `${manifest}.segments`;
  }

  get saving(): boolean {
    return this.dir !== null;
  }

  /** A segment's encoded parts as saved (for a merge), or why it cannot be read. */
  async read(id: string): Promise<{ parts: Uint8Array[] } | { problem: string | null }> {
    const kept = this.memory.get(id);
    if (kept) return { parts: kept };
    if (this.dir === null) return { problem: null };
    const verdict = checkSnapshot(await readSnapshot(path.join(this.dir, id)));
    return verdict.usable ? { parts: verdict.parts } : { problem: verdict.problem };
  }

  /**
   * Hands a segment's parts to `onPart` as they are read, each in a buffer of its own (the main
   * thread decodes one while the next is read); `null` when it was read whole and sound, else why
   * not (the parts handed over must then be discarded).
   */
  async stream(id: string, onPart: (part: Uint8Array) => void): Promise<string | null> {
    const kept = this.memory.get(id);
    if (kept) {
      for (const part of kept) onPart(new Uint8Array(part));
      return null;
    }
    if (this.dir === null) return 'missing';
    const verdict = checkSnapshot(await readSnapshot(path.join(this.dir, id), onPart));
    return verdict.usable ? null : (verdict.problem ?? 'missing');
  }

  async write(segment: NamedSegment, parts: Uint8Array[]): Promise<void> {
    if (this.dir === null) {
      this.memory.set(segment.id, parts);
      return;
    }
    await this.saved(async (dir) => {
      await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      await writeSnapshot(path.join(dir, segment.id), { kind: 'segment', id: segment.id }, parts);
    });
    if (this.dir === null) this.memory.set(segment.id, parts);
  }

  async remove(id: string): Promise<void> {
    this.memory.delete(id);
    if (this.dir !== null) await rm(path.join(this.dir, id), { force: true });
  }

  async writeManifest(current: State): Promise<void> {
    const file = this.manifest;
    if (file === null || this.dir === null) return;
    await this.saved(() => writeSnapshot(file, { kind: 'manifest' }, encodeManifest(current)));
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

/** Resolves when the main thread says it has installed what it was sent. */
let answered: (() => void) | null = null;
function nextAsked(): Promise<void> {
  return new Promise((resolve) => (answered = resolve));
}

/** Moves one part to the main thread: its buffer must be its own (a slice of a file's buffer would take the whole file along). */
function sendPart(part: Uint8Array): void {
  post({ type: 'part', bytes: part }, [part.buffer as ArrayBuffer]);
}

/**
 * Posts a segment's parts, then its note. The main thread takes them one at a time, a few
 * milliseconds each; the worker goes on meanwhile, and waits only for the whole update to be installed.
 */
function sendSegment(parts: readonly Uint8Array[], note: SegmentNote): void {
  // Saved in a file, a part is moved as it is; kept in this worker's memory, a copy is.
  for (const part of parts) sendPart(store.saving && ownsBuffer(part) ? part : new Uint8Array(part));
  post({ type: 'segment', note });
}

/** Whether `part` is the whole of its buffer, so moving the buffer moves nothing else. */
function ownsBuffer(part: Uint8Array): boolean {
  return part.byteOffset === 0 && part.byteLength === part.buffer.byteLength;
}

/** What the manifest describes; `null` with no usable manifest (said once, unless there is none). */
async function savedManifest(): Promise<SavedManifest | null> {
  if (setup.snapshotFile === null) return null;
  const verdict = checkSnapshot(await readSnapshot(setup.snapshotFile));
  const saved = verdict.usable && verdict.meta.kind === 'manifest' ? decodeManifest(verdict.parts) : null;
  if (!saved && (verdict.usable || verdict.problem))
    notice(`index snapshot ${verdict.usable ? 'stale (not a manifest)' : verdict.problem}: building the index`);
  return saved;
}

/** The whole state a manifest describes. */
function stateOf(saved: SavedManifest): State {
  const { segments, skipped, fingerprint, next } = saved;
  return { ...saved.files(), segments, skipped, fingerprint, next };
}

/**
 * Posts every sound segment of `saved` as one update for the main thread to serve from scratch,
 * and returns the state without the segments that could not be read: what they held is no longer
 * served from anywhere, so the scan that follows builds it again. The files' records are decoded
 * while the main thread puts the segments together.
 */
async function sendSaved(saved: SavedManifest): Promise<State> {
  const kept = new Set<string>();
  post({ type: 'begin', full: true, remove: [] });
  for (const segment of saved.segments) {
    const problem = await store.stream(segment.id, sendPart);
    if (problem === null) {
      kept.add(segment.id);
      post({ type: 'segment', note: { id: segment.id, deleted: [...segment.deleted] } });
    } else {
      post({ type: 'discard' });
      notice(`index segment ${segment.id} ${problem}: building its articles again`);
    }
  }
  post({ type: 'loaded', fingerprint: saved.fingerprint });
  const loaded = stateOf(saved);
  await nextAsked();
  return {
    ...loaded,
    served: new Map([...loaded.served].filter(([, where]) => kept.has(where.segment))),
    segments: loaded.segments.filter((segment) => kept.has(segment.id)),
  };
}

function emptyState(): State {
  return { records: new Map(), served: new Map(), segments: [], skipped: [], fingerprint: '', next: 1 };
}

/**
 * One reload: scans the directories against what is served (only the files `only` names, by
 * `fileKey`, when given), builds a segment of what was added or changed, marks what was removed,
 * saves, and posts it. On the first reload of this worker, posts every segment of the manifest too
 * (`full`).
 */
async function reload(only: ReadonlySet<string> | null): Promise<void> {
  // The first reload of a worker whose main thread serves nothing yet starts from the saved
  // segments, served at once; one that resumes (the main thread serves what the manifest says) only
  // reads the manifest. Either then scans for what changed since.
  let full = false;
  let current = state;
  // Files may have changed while no worker watched (the bot was stopped): then every file is looked at.
  let limited = only;
  if (!current) {
    const saved = await savedManifest();
    if (saved && setup.resume) current = stateOf(saved);
    else if (saved) {
      current = await sendSaved(saved);
      limited = null;
    } else {
      current = emptyState();
      full = true;
      limited = null;
    }
  }
  const before = current;
  let scan;
  try {
    scan = await scanArticles(setup.dataDir, setup.importsDir, before.records, limited ? { only: limited } : {});
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
  const unread = new Set(
    addedSlugs.flatMap((slug) => {
      const entry = now.get(slug);
      return entry && !entry.file.article ? [entry.key] : [];
    }),
  );
  const articles = new Map<string, Article>();
  for (const slug of addedSlugs) {
    const article = now.get(slug)?.file.article;
    if (article) articles.set(slug, article);
  }
  if (unread.size > 0) {
    const again = await scanArticles(setup.dataDir, setup.importsDir, before.records, {
      only: unread,
      mustRead: () => true,
    });
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
  // The manifest is written once the change is served (see `work`): a crash before leaves the last
  // one, whose segment files are all still there; the next start looks at every file and builds
  // what changed since.
  state = next;
  unsaved ||= full || removed.length > 0 || built.length > 0 || recordsChanged(before.records, next.records);

  const diff: ContentDiff = {
    added: addedSlugs.filter((slug) => !before.served.has(slug)),
    removed: removed.filter((slug) => !now.has(slug)),
    changed: addedSlugs.filter((slug) => before.served.has(slug)),
  };
  post({ type: 'begin', full, remove: full ? [] : removed });
  for (const { segment, parts } of built) sendSegment(parts, { id: segment.id, deleted: [] });
  post({
    type: 'done',
    diff,
    skipped: next.skipped,
    fingerprint: next.fingerprint,
    source: built.length > 0 ? 'built' : 'snapshot',
  });
  await nextAsked();
}

/** Whether a scan found any file other than as recorded (a scan keeps the record of a file it found unchanged). */
function recordsChanged(before: ReadonlyMap<string, FileRecord>, after: ReadonlyMap<string, FileRecord>): boolean {
  if (before.size !== after.size) return true;
  for (const [key, record] of after) if (before.get(key) !== record) return true;
  return false;
}

/** The segments as the merge policy reads them. */
function segmentStates(current: State): SegmentState[] {
  return current.segments.map((segment) => ({
    id: segment.id,
    articles: segment.slugs.length,
    deleted: [...segment.deleted],
  }));
}

/** Reloads asked for and not begun, each with the only files it must look at (`null`: all): they run one at a time, in order. */
const asked: Array<ReadonlySet<string> | null> = [];
let running = false;
/** Whether the state has changed since the manifest was last written. */
let unsaved = false;

/**
 * Runs what is asked, one job at a time, and between jobs the merges the policy asks for: a merge
 * runs in steps, and a reload asked for meanwhile runs before its next step.
 */
async function work(): Promise<void> {
  if (running) return;
  running = true;
  try {
    for (;;) {
      const next = asked.shift();
      if (next !== undefined) {
        await reload(next);
        continue;
      }
      if (state && (await mergeOnce())) continue;
      if (state && unsaved) {
        unsaved = false;
        await store.writeManifest(state);
        continue;
      }
      break;
    }
    // Nothing left to do: a worker whose segments and manifest are saved may be stopped, to give its memory back.
    post({ type: 'idle', saved: store.saving });
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
    if (!('parts' in read) || !known) return false;
    const collector = new SegmentCollector();
    for (const part of read.parts) collector.add(part);
    const segment = new Segment(collector.result().data);
    const deleted = new Set<number>();
    segment.data.articles.forEach((article, a) => {
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
      const next = asked.shift();
      if (next !== undefined) await reload(next);
      since = performance.now();
    }
    step = steps.next();
  }
  // The merged segments' data is let go before the merged one is encoded and sent.
  inputs.length = 0;
  const after = state as State;
  const gone = new Set(chosen);
  const at = after.segments.findIndex((segment) => gone.has(segment.id));
  // Articles deleted from the merged segments while the merge ran are deleted from it too.
  const deleted = new Set<string>();
  for (const segment of after.segments) if (gone.has(segment.id)) for (const slug of segment.deleted) deleted.add(slug);
  after.segments = after.segments.filter((segment) => !gone.has(segment.id));
  post({ type: 'begin', full: false, remove: [], replaced: chosen });
  // Segments whose every article was deleted merge into nothing: they are only dropped.
  if (step.value.articles.length > 0) {
    const id = `s${after.next++}`;
    const merged: NamedSegment = { id, options, data: step.value };
    const parts = [...encodeParts(merged)];
    await store.write(merged, parts);
    const slugs = merged.data.articles.map((article) => article.slug);
    const kept = { id, slugs, deleted: new Set(slugs.filter((slug) => deleted.has(slug))) };
    after.segments.splice(at, 0, kept);
    for (const slug of slugs) {
      const where = after.served.get(slug);
      if (where && gone.has(where.segment)) where.segment = id;
    }
    sendSegment(parts, { id, deleted: [...kept.deleted] });
  }
  unsaved = false;
  await store.writeManifest(after);
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
  } else {
    asked.push(message.only ? new Set(message.only) : null);
    void work();
  }
});

/** What the main thread posts: a reload to run, or `next` (the last part or result was handled). */
export type IndexRequestMessage = { type: 'reload'; only: string[] | null } | 'next';
