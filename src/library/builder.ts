import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Problem } from '../content/article.js';
import type { PartialOptions } from '../search/options.js';

/** What the worker is asked to build. */
export interface BuildRequest {
  dataDir: string;
  /** Where the snapshot is read from and saved to; `null` keeps none. */
  snapshotFile: string | null;
  options?: PartialOptions;
}

/** What the worker posts: notices, then either problems or the index as encoded parts (see parts.ts). */
export type WorkerMessage =
  | { type: 'notice'; message: string }
  | { type: 'problems'; problems: Problem[] }
  | { type: 'done'; parts: Uint8Array[]; fingerprint: string; source: 'snapshot' | 'built' }
  | { type: 'failed'; error: string };

/** How a build ended. */
export type BuildOutcome =
  | {
      status: 'built';
      /** The index's encoded parts (see parts.ts), still to decode. */
      parts: Uint8Array[];
      fingerprint: string;
      source: 'snapshot' | 'built';
    }
  | { status: 'problems'; problems: Problem[] }
  | { status: 'cancelled' };

/** A build running in a worker thread. */
export interface BuildJob {
  readonly result: Promise<BuildOutcome>;
  /** Stops the worker; `result` then resolves as cancelled. */
  cancel(): void;
}

/**
 * The worker's module next to this one: compiled JavaScript in production; under tsx or vitest the
 * TypeScript source, which a worker can only load after registering tsx itself.
 */
function spawnWorker(request: BuildRequest): Worker {
  const self = fileURLToPath(import.meta.url);
  const extension = path.extname(self);
  const target = new URL(`./buildWorker${extension}`, import.meta.url);
  if (extension === '.js') return new Worker(target, { workerData: request });
  const code = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(target.href)}); })`;
  return new Worker(code, { eval: true, workerData: request });
}

/**
 * Builds an index in a worker thread, which posts it as encoded parts.
 *
 * @example
 * const job = startBuild({ dataDir: 'data', snapshotFile: 'state/index.snapshot' }, console.warn);
 * const outcome = await job.result; // { status: 'built', parts, … }
 */
export function startBuild(request: BuildRequest, onNotice: (message: string) => void): BuildJob {
  const worker = spawnWorker(request);
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
      if (message.type === 'notice') onNotice(message.message);
      else if (message.type === 'problems') finish({ status: 'problems', problems: message.problems });
      else if (message.type === 'failed') finish(new Error(`the index build failed: ${message.error}`));
      // Not decoded here: the caller decodes the parts a slice at a time.
      else finish({ status: 'built', parts: message.parts, fingerprint: message.fingerprint, source: message.source });
    } catch (error) {
      finish(error instanceof Error ? error : new Error(String(error)));
    }
  });
  worker.on('error', (error) => finish(error));
  worker.on('exit', () => finish({ status: 'cancelled' }));
  return { result, cancel: () => finish({ status: 'cancelled' }) };
}
