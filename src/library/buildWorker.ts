import { parentPort, workerData } from 'node:worker_threads';
import { contentStamp, loadArticles } from '../content/loadArticles.js';
import type { Problem } from '../content/article.js';
import { ContentError } from '../errors.js';
import { Engine } from '../search/engine.js';
import type { BuildRequest, WorkerMessage } from './builder.js';
import { encodeParts } from './parts.js';
import { checkSnapshot, NO_SNAPSHOT, readSnapshot, writeSnapshot } from './snapshot.js';

/**
 * The worker thread that builds an index (see builder.ts): it reads the content directory, reuses
 * the snapshot when the content is unchanged, otherwise builds, and posts the index's parts. All
 * the slow work (reading, parsing, analysing, writing the snapshot) happens here, never on the
 * thread that answers questions.
 */
const request = workerData as BuildRequest;
const port = parentPort;

function post(message: WorkerMessage): void {
  port?.postMessage(message);
}

/** Resolves when the main thread asks for the next part. */
function nextRequested(): Promise<void> {
  return new Promise((resolve) => port?.once('message', () => resolve()));
}

/**
 * Posts the index's parts one at a time, each once the main thread has handled the one before.
 * Each is moved rather than copied, after being given a buffer of its own (a Buffer's `slice()`
 * would share the snapshot file's, which is still to be written).
 */
async function sendParts(
  parts: readonly Uint8Array[],
  meta: { fingerprint: string; skipped: Problem[] },
  source: 'snapshot' | 'built',
): Promise<void> {
  for (const part of parts) {
    const bytes = new Uint8Array(part);
    port?.postMessage({ type: 'part', bytes } satisfies WorkerMessage, [bytes.buffer]);
    await nextRequested();
  }
  post({ type: 'done', fingerprint: meta.fingerprint, skipped: meta.skipped, source });
}

async function build(): Promise<void> {
  let stamp: string;
  try {
    stamp = await contentStamp(request.dataDir, request.importsDir);
  } catch (error) {
    if (error instanceof ContentError) return post({ type: 'problems', problems: [...error.problems] });
    throw error;
  }
  const snapshot = request.snapshotFile ? await readSnapshot(request.snapshotFile) : NO_SNAPSHOT;
  const unchanged = checkSnapshot(snapshot, { stamp });
  if (unchanged.usable) return sendParts(unchanged.parts, unchanged, 'snapshot');
  if (unchanged.problem) post({ type: 'notice', message: `index snapshot ${unchanged.problem}: building the index` });

  let loaded;
  try {
    loaded = await loadArticles(request.dataDir, request.importsDir);
  } catch (error) {
    if (error instanceof ContentError) return post({ type: 'problems', problems: [...error.problems] });
    throw error;
  }
  if (loaded.problems.length > 0) return post({ type: 'problems', problems: loaded.problems });
  const { fingerprint, skipped } = loaded;
  // Files touched but not changed: the snapshot still fits; only its stamp is renewed.
  const same = checkSnapshot(snapshot, { stamp, fingerprint });
  const parts = same.usable ? same.parts : [...encodeParts(Engine.prepare(loaded.articles))];
  await sendParts(parts, { fingerprint, skipped }, same.usable ? 'snapshot' : 'built');
  if (!request.snapshotFile) return;
  try {
    await writeSnapshot(request.snapshotFile, { stamp, fingerprint, skipped }, parts);
  } catch (error) {
    post({
      type: 'notice',
      message: `index snapshot not saved (${(error as NodeJS.ErrnoException).code ?? String(error)}): the next start builds again`,
    });
  }
}

build().catch((error: unknown) => {
  post({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
});
