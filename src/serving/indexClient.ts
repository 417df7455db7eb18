import type { Worker } from 'node:worker_threads';
import type { Problem } from '../content/article.js';
import { formatCount } from '../content/limits.js';
import type { SegmentEntry } from '../search/engine.js';
import type { EngineOptions } from '../search/options.js';
import { startWorker } from '../workers.js';
import type { IndexRequestMessage } from './indexWorker.js';
import { SegmentCollector } from './parts.js';

/** What the index worker is started with. */
export interface IndexRequest {
  dataDir: string;
  /** Where imported articles are (STATE_DIR/articles); `null` reads none. */
  importsDir: string | null;
  /** The manifest's path, segment files beside it (`<path>.segments/`); `null` keeps segments in the worker's memory. */
  snapshotFile: string | null;
  /** The most heap the worker may take, in MB (see {@link BUILD_MEMORY_MB}). */
  memoryMb: number;
}

/** Which articles a reload added, removed and changed (by slug), from the change itself. */
export interface ContentDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** A segment's name and the slugs deleted from it, posted after its parts. */
export interface SegmentNote {
  id: string;
  deleted: string[];
}

/**
 * What the worker posts: notices; a reload's problems; or an update (`begin`, each new segment as
 * encoded parts, one at a time, each after the main thread asked for the next, then its note),
 * ending with `done` (a reload) or `merged` (a merge), after which the worker waits until the main
 * thread says it has installed it.
 */
export type IndexMessage =
  | { type: 'notice'; message: string }
  | { type: 'problems'; problems: Problem[] }
  | { type: 'begin'; full: boolean; remove: string[]; replaced?: string[] }
  | { type: 'part'; bytes: Uint8Array }
  | { type: 'segment'; note: SegmentNote }
  | {
      type: 'done';
      diff: ContentDiff;
      skipped: Problem[];
      fingerprint: string;
      source: 'snapshot' | 'built';
    }
  | { type: 'merged' }
  | { type: 'failed'; error: string };

/** A change for the main thread to serve. */
export type IndexUpdate =
  | {
      kind: 'reload';
      /** Every segment served (this worker's first reload), or only new ones. */
      full: boolean;
      options: EngineOptions | null;
      remove: string[];
      segments: SegmentEntry[];
      diff: ContentDiff;
      skipped: Problem[];
      fingerprint: string;
      source: 'snapshot' | 'built';
    }
  | { kind: 'merge'; replaced: string[]; segment: SegmentEntry };

/** How a reload ended: installed, or refused with the problems that stopped it. */
export type ReloadOutcome =
  | { status: 'installed'; update: Extract<IndexUpdate, { kind: 'reload' }> }
  | { status: 'problems'; problems: Problem[] };

/**
 * The index worker's heap by default, in MB: a build of 10,000 articles peaks at about 1.2 GB in
 * the worker, and no one article can take more than a small share (see src/content/limits.ts).
 * Past it the worker stops and the reload is refused with the reason, never the whole process.
 */
export const BUILD_MEMORY_MB = 4096;

/**
 * The main thread's side of the index worker (indexWorker.ts): asks for reloads, takes each
 * update's segments part by part (letting `pause` decide when other work runs), and hands each
 * whole update to `install`, one at a time, in the order the worker made them; merges the worker
 * runs on its own arrive the same way. A worker that runs out of memory or fails is replaced by a
 * fresh one at the next reload, which reads everything again (its first reload is `full`).
 *
 * @example
 * const client = new IndexClient(request, { onNotice: console.warn, pause, install: async (update) => serve(update) });
 * const outcome = await client.reload();
 */
export class IndexClient {
  private worker: Worker | null = null;
  /** Reloads asked for and not yet answered, in order. */
  private readonly waiting: Array<(outcome: ReloadOutcome | Error) => void> = [];
  private begun: Extract<IndexMessage, { type: 'begin' }> | null = null;
  private collector = new SegmentCollector();
  private segments: SegmentEntry[] = [];
  private options: EngineOptions | null = null;
  /** Messages handled one after another: installing an update takes many steps. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly request: IndexRequest,
    private readonly handlers: {
      onNotice: (message: string) => void;
      pause: () => Promise<void> | undefined;
      install: (update: IndexUpdate) => Promise<void>;
    },
  ) {}

  /** Asks for a reload: resolves once it is installed, or refused. */
  reload(): Promise<ReloadOutcome> {
    const worker = this.running();
    const outcome = new Promise<ReloadOutcome>((resolve, reject) =>
      this.waiting.push((result) => (result instanceof Error ? reject(result) : resolve(result))),
    );
    worker.ref();
    worker.postMessage('reload' satisfies IndexRequestMessage);
    return outcome;
  }

  /** Stops the worker; reloads waiting are told the bot is shutting down. */
  close(): void {
    const worker = this.worker;
    this.worker = null;
    this.fail(new ClosedError());
    void worker?.terminate();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(import.meta.url, 'indexWorker', this.request, {
      maxOldGenerationSizeMb: this.request.memoryMb,
    });
    this.worker = worker;
    worker.on('message', (message: IndexMessage) => {
      this.queue = this.queue
        .then(() => this.handle(worker, message))
        .catch((error: unknown) => {
          this.fail(error instanceof Error ? error : new Error(String(error)));
        });
    });
    worker.on('error', (error: NodeJS.ErrnoException) => {
      if (this.worker !== worker) return;
      this.worker = null;
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY')
        this.refuse([
          {
            file: this.request.dataDir,
            line: 0,
            message: `the index needs more than the ${formatCount(this.request.memoryMb)} MB its build may use: serve fewer articles`,
          },
        ]);
      else this.fail(error);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.fail(new Error(`the index worker stopped unexpectedly (exit code ${code})`));
    });
    return worker;
  }

  private async handle(worker: Worker, message: IndexMessage): Promise<void> {
    if (this.worker !== worker) return;
    switch (message.type) {
      case 'notice':
        return this.handlers.onNotice(message.message);
      case 'problems':
        return this.refuse(message.problems);
      case 'failed':
        return this.fail(new Error(`the index worker failed: ${message.error}`));
      case 'begin':
        this.begun = message;
        this.segments = [];
        return;
      case 'part':
        this.collector.add(message.bytes);
        await this.handlers.pause();
        return worker.postMessage('next' satisfies IndexRequestMessage);
      case 'segment': {
        const { id, options, data } = this.collector.result();
        this.collector = new SegmentCollector();
        this.options = options;
        this.segments.push({ id, data, deleted: message.note.deleted });
        return;
      }
      case 'merged': {
        const [segment] = this.segments;
        if (segment) await this.handlers.install({ kind: 'merge', replaced: this.begun?.replaced ?? [], segment });
        return this.acknowledge(worker);
      }
      case 'done': {
        const begun = this.begun;
        const update: IndexUpdate = {
          kind: 'reload',
          full: begun?.full ?? false,
          options: this.options,
          remove: begun?.remove ?? [],
          segments: this.segments,
          diff: message.diff,
          skipped: message.skipped,
          fingerprint: message.fingerprint,
          source: message.source,
        };
        await this.handlers.install(update);
        this.acknowledge(worker);
        this.waiting.shift()?.({ status: 'installed', update });
        return;
      }
    }
  }

  /** Tells the worker its update is installed; with no reload waiting, it may work on without keeping the process alive. */
  private acknowledge(worker: Worker): void {
    this.begun = null;
    this.segments = [];
    worker.postMessage('next' satisfies IndexRequestMessage);
    if (this.waiting.length <= 1) worker.unref();
  }

  private refuse(problems: Problem[]): void {
    this.waiting.shift()?.({ status: 'problems', problems });
    if (this.waiting.length === 0) this.worker?.unref();
  }

  private fail(error: Error): void {
    for (const waiter of this.waiting.splice(0)) waiter(error);
  }
}

/** The knowledge base was closed while a reload waited. */
export class ClosedError extends Error {
  override readonly name = 'ClosedError';

  constructor() {
    super('the index worker was closed: the bot is shutting down');
  }
}
