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
  /** How long the worker stays with nothing to do before it stops, in ms (see {@link WORKER_IDLE_MS}). */
  idleMs: number;
  /**
   * The main thread serves what the manifest says (the last worker stopped when idle, every update
   * installed): the worker reads the manifest and sends only what changes. Otherwise it sends every
   * saved segment first.
   */
  resume: boolean;
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
 * encoded parts, then its note), ending with `done` (a reload), `loaded` (the saved segments, before
 * a first reload's scan) or `merged` (a merge), after which the worker waits until the main thread
 * says it has installed it (`next`).
 */
export type IndexMessage =
  | { type: 'notice'; message: string }
  | { type: 'problems'; problems: Problem[] }
  | { type: 'begin'; full: boolean; remove: string[]; replaced?: string[] }
  | { type: 'part'; bytes: Uint8Array }
  | { type: 'segment'; note: SegmentNote }
  | { type: 'discard' }
  | {
      type: 'done';
      diff: ContentDiff;
      skipped: Problem[];
      fingerprint: string;
      source: 'snapshot' | 'built';
    }
  | { type: 'merged' }
  | { type: 'loaded'; fingerprint: string }
  | {
      type: 'idle';
      /** Whether its segments and manifest are in files (else they live in its memory, and it must stay). */
      saved: boolean;
    }
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
      /** What the reload changed; `null` for the saved segments served before a first reload's scan (nothing to report yet). */
      diff: ContentDiff | null;
      skipped: Problem[];
      fingerprint: string;
      source: 'snapshot' | 'built';
    }
  | { kind: 'merge'; replaced: string[]; segment: SegmentEntry | null };

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
 * How long the index worker stays once it has nothing to do, in ms, before it stops and gives its
 * memory back (the next change starts one that resumes from the manifest). A moderator importing
 * articles one after another, or a feed's poll bringing several stories, keeps the worker that
 * knows every file: at 100,000 articles, starting one and reading the manifest costs about 0.7 s
 * of a change (bench/README.md, "Segments"). Half a minute of quiet lets it go.
 */
export const WORKER_IDLE_MS = 30_000;

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
  /** Whether the last worker stopped when idle, so a new one may resume from the manifest. */
  private resumable = false;
  /** Stops the worker once it has been idle for `idleMs`; cleared by the next reload. */
  private idleTimer: NodeJS.Timeout | null = null;
  /** Callers of {@link saved} waiting for the worker to say everything is saved. */
  private savers: Array<() => void> = [];
  /** Whether the worker has said everything is saved, and been asked nothing since. */
  private idle = true;
  /** Reloads asked for and not yet answered, in order. */
  private readonly waiting: Array<(outcome: ReloadOutcome | Error) => void> = [];
  private begun: Extract<IndexMessage, { type: 'begin' }> | null = null;
  private collector = new SegmentCollector();
  private segments: SegmentEntry[] = [];
  private options: EngineOptions | null = null;
  /** Messages handled one after another: installing an update takes many steps. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly request: Omit<IndexRequest, 'resume'>,
    private readonly handlers: {
      onNotice: (message: string) => void;
      pause: () => Promise<void> | undefined;
      install: (update: IndexUpdate) => Promise<void>;
    },
  ) {}

  /**
   * Asks for a reload, of every file or of `only` those named (by `fileKey`): resolves once it is
   * installed, or refused.
   */
  reload(only: readonly string[] | null = null): Promise<ReloadOutcome> {
    this.stayAwake();
    this.idle = false;
    const worker = this.running();
    const outcome = new Promise<ReloadOutcome>((resolve, reject) =>
      this.waiting.push((result) => (result instanceof Error ? reject(result) : resolve(result))),
    );
    worker.ref();
    worker.postMessage({ type: 'reload', only: only && [...only] } satisfies IndexRequestMessage);
    return outcome;
  }

  /**
   * Resolves once the worker has saved every change it served (its manifest written), or has
   * stopped: what to wait for before the process exits, so the next start reads only what
   * changed. Keeps the process alive meanwhile.
   */
  saved(): Promise<void> {
    const worker = this.worker;
    if (this.idle || !worker) return Promise.resolve();
    worker.ref();
    return new Promise((resolve) => this.savers.push(resolve));
  }

  /** Stops the worker; reloads waiting are told the bot is shutting down. */
  close(): void {
    this.stayAwake();
    const worker = this.worker;
    this.worker = null;
    this.fail(new ClosedError());
    void worker?.terminate();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const request: IndexRequest = { ...this.request, resume: this.resumable };
    const worker = startWorker(import.meta.url, 'indexWorker', request, {
      maxOldGenerationSizeMb: this.request.memoryMb,
    });
    this.worker = worker;
    this.resumable = false;
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
      this.released();
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
        return this.handlers.pause();
      case 'discard':
        // A saved segment found damaged once read: what it held is built again.
        this.collector = new SegmentCollector();
        return;
      case 'segment': {
        const { id, options, data } = this.collector.result();
        this.collector = new SegmentCollector();
        this.options = options;
        this.segments.push({ id, data, deleted: message.note.deleted });
        return;
      }
      case 'idle':
        // Its segments and manifest are saved and every update installed: once it has stayed idle a
        // while, stopped, it gives its memory back, and the next reload starts one that resumes
        // from the manifest.
        if (this.waiting.length > 0) return;
        this.idle = true;
        this.released();
        this.stayAwake();
        if (!message.saved) return;
        this.idleTimer = setTimeout(() => {
          this.idleTimer = null;
          if (this.worker !== worker || this.waiting.length > 0) return;
          this.worker = null;
          this.resumable = true;
          void worker.terminate();
        }, this.request.idleMs).unref();
        return;
      case 'loaded':
        await this.handlers.install(this.update(message));
        return this.acknowledge(worker);
      case 'merged': {
        const [segment = null] = this.segments;
        await this.handlers.install({ kind: 'merge', replaced: this.begun?.replaced ?? [], segment });
        this.acknowledge(worker);
        return this.settle();
      }
      case 'done': {
        const update = this.update(message);
        await this.handlers.install(update);
        this.acknowledge(worker);
        this.waiting.shift()?.({ status: 'installed', update });
        return this.settle();
      }
    }
  }

  /**
   * The update begun and now complete: a reload's (`done`), or the saved segments sent before a
   * first reload's scan (`loaded`: served at once, reporting nothing yet).
   */
  private update(
    end: Extract<IndexMessage, { type: 'done' }> | Extract<IndexMessage, { type: 'loaded' }>,
  ): Extract<IndexUpdate, { kind: 'reload' }> {
    const done = end.type === 'done' ? end : null;
    return {
      kind: 'reload',
      full: this.begun?.full ?? false,
      options: this.options,
      remove: this.begun?.remove ?? [],
      segments: this.segments,
      diff: done?.diff ?? null,
      skipped: done?.skipped ?? [],
      fingerprint: end.fingerprint,
      source: done?.source ?? 'snapshot',
    };
  }

  /** Keeps the worker: something is asked of it. */
  private stayAwake(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Tells the worker its update is installed. */
  private acknowledge(worker: Worker): void {
    this.begun = null;
    this.segments = [];
    worker.postMessage('next' satisfies IndexRequestMessage);
  }

  /** With no reload waiting, the worker may go on (merging) without keeping the process alive. */
  private settle(): void {
    if (this.waiting.length === 0) this.worker?.unref();
  }

  private refuse(problems: Problem[]): void {
    this.waiting.shift()?.({ status: 'problems', problems });
    this.settle();
  }

  private fail(error: Error): void {
    for (const waiter of this.waiting.splice(0)) waiter(error);
    this.released();
  }

  /** Answers the callers of {@link saved}: everything is saved, or nothing more will be. */
  private released(): void {
    for (const resolve of this.savers.splice(0)) resolve();
    if (this.waiting.length === 0) this.worker?.unref();
  }
}

/** The knowledge base was closed while a reload waited. */
export class ClosedError extends Error {
  override readonly name = 'ClosedError';

  constructor() {
    super('the index worker was closed: the bot is shutting down');
  }
}
