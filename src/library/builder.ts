import type { Problem } from '../content/article.js';
import { formatCount } from '../content/limits.js';
import { startWorker } from './workers.js';

/** What the worker is asked to build. */
export interface BuildRequest {
  dataDir: string;
  /** Where imported articles are (STATE_DIR/articles); `null` reads none. */
  importsDir: string | null;
  /** Where the snapshot is read from and saved to; `null` keeps none. */
  snapshotFile: string | null;
  /** The most heap the build may take, in MB (see {@link BUILD_MEMORY_MB}). */
  memoryMb: number;
}

/**
 * What the worker posts: notices, then either problems or the index as encoded parts (see
 * parts.ts), one at a time, each after the main thread asked for the next, then `done`.
 */
export type WorkerMessage =
  | { type: 'notice'; message: string }
  | { type: 'problems'; problems: Problem[] }
  | { type: 'part'; bytes: Uint8Array }
  | { type: 'done'; fingerprint: string; source: 'snapshot' | 'built'; skipped: Problem[] }
  | { type: 'failed'; error: string };

/**
 * The build worker's heap by default, in MB: a build of 10,000 articles peaks at about 1.2 GB in
 * the worker, and no one article can take more than a small share (see src/content/limits.ts).
 * Past it the worker stops and the reload is refused with the reason, never the whole process.
 */
export const BUILD_MEMORY_MB = 4096;

/** What the main thread posts to ask the worker for the next part. */
export const NEXT_PART = 'next';

/** How a build ended; when built, every part has been handed to `onPart`. */
export type BuildOutcome =
  | { status: 'built'; fingerprint: string; source: 'snapshot' | 'built'; skipped: Problem[] }
  | { status: 'problems'; problems: Problem[] }
  | { status: 'cancelled' };

/** A build running in a worker thread. */
export interface BuildJob {
  readonly result: Promise<BuildOutcome>;
  /** Stops the worker; `result` then resolves as cancelled. */
  cancel(): void;
}

/**
 * Builds an index in a worker thread, which posts it as encoded parts, one at a time: the next
 * comes only once `onPart` has handled the last, so the parts' memory arrives gradually instead
 * of all at once (which makes V8 collect garbage in one long pause).
 *
 * @example
 * const collector = new DataCollector();
 * const job = startBuild(
 *   { dataDir: 'data', importsDir: 'state/articles', snapshotFile: 'state/index.snapshot', memoryMb: BUILD_MEMORY_MB },
 *   { onNotice: console.warn, onPart: async (bytes) => collector.add(bytes) },
 * );
 * await job.result; // { status: 'built', … }; collector.result() is the index
 */
export function startBuild(
  request: BuildRequest,
  handlers: { onNotice: (message: string) => void; onPart: (bytes: Uint8Array) => Promise<void> },
): BuildJob {
  const worker = startWorker('buildWorker', request, { maxOldGenerationSizeMb: request.memoryMb });
  let finish: (outcome: BuildOutcome | Error) => void = () => undefined;
  const result = new Promise<BuildOutcome>((resolve, reject) => {
    let settled = false;
    finish = (outcome) => {
      if (settled) return;
      settled = true;
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
      // After `done` the worker finishes saving the snapshot and exits by itself.
      if (outcome instanceof Error || outcome.status === 'cancelled') void worker.terminate();
    };
  });
  worker.on('message', (message: WorkerMessage) => {
    try {
      if (message.type === 'notice') handlers.onNotice(message.message);
      else if (message.type === 'part')
        handlers.onPart(message.bytes).then(
          () => worker.postMessage(NEXT_PART),
          (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
        );
      else if (message.type === 'problems') finish({ status: 'problems', problems: message.problems });
      else if (message.type === 'failed') finish(new Error(`the index build failed: ${message.error}`));
      else
        finish({ status: 'built', fingerprint: message.fingerprint, source: message.source, skipped: message.skipped });
    } catch (error) {
      finish(error instanceof Error ? error : new Error(String(error)));
    }
  });
  worker.on('error', (error: NodeJS.ErrnoException) =>
    finish(
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? {
            status: 'problems',
            problems: [
              {
                file: request.dataDir,
                line: 0,
                message: `the index needs more than the ${formatCount(request.memoryMb)} MB its build may use: serve fewer articles`,
              },
            ],
          }
        : error,
    ),
  );
  // Exiting before `done` without being cancelled (after cancel, `finish` has already run) is a crash.
  worker.on('exit', (code) => finish(new Error(`the index build stopped unexpectedly (worker exit code ${code})`)));
  return { result, cancel: () => finish({ status: 'cancelled' }) };
}
