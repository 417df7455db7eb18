import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ROOT, SEED_DIR } from './content.js';

/**
 * Where child processes keep their state in tests: never the repository's state/, and a new
 * directory for each test file, so no run sees a database another checkout of the bot wrote.
 */
const TEST_STATE_DIR = mkdtempSync(path.join(tmpdir(), 'article-qa-bot-test-state-'));
process.once('exit', () => rmSync(TEST_STATE_DIR, { recursive: true, force: true }));

/** What a finished child process printed, and how it ended. */
export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EntryOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Killed after this long, so a hung child fails the test instead of the suite. */
  timeoutMs?: number;
}

/** A running entry point: write to its stdin, wait for its output, then collect how it ended. */
export interface RunningEntry {
  child: ChildProcessWithoutNullStreams;
  /** Everything printed so far. */
  output(): { stdout: string; stderr: string };
  send(line: string): void;
  /** Resolves once stdout (or stderr) matches `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  /** Closes stdin (unless `keepInput`) and resolves when the process has exited. */
  finish(keepInput?: boolean): Promise<RunResult>;
}

/**
 * Starts one of the project's entry points (`src/index.ts`, `src/terminal/cli.ts`) as a child
 * process, the way `npm start` and `npm run ask` run them. DISCORD_TOKEN is cleared unless
 * given, so a developer's `.env` never makes a test go online.
 */
export function startEntry(entry: string, args: string[] = [], options: EntryOptions = {}): RunningEntry {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry), ...args], {
    cwd: options.cwd ?? ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DISCORD_TOKEN: '',
      DATA_DIR: SEED_DIR,
      STATE_DIR: TEST_STATE_DIR,
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const text = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].setEncoding('utf8').on('data', (chunk: string) => {
      text[stream] += chunk;
      for (const listener of listeners) listener();
    });
  }
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const exited = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ ...text, code, signal });
    });
  });
  return {
    child,
    output: () => ({ ...text }),
    send: (line) => child.stdin.write(`${line}\n`),
    waitFor: (pattern, stream = 'stdout', timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(text[stream])) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(
              `timed out waiting for ${pattern} on ${stream}; got:\n${text[stream]}\n--- stderr:\n${text.stderr}`,
            ),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    finish: (keepInput = false) => {
      if (!keepInput) child.stdin.end();
      return exited;
    },
  };
}

/** Runs an entry point to completion with `input` piped to its stdin. */
export function runEntry(
  entry: string,
  args: string[] = [],
  options: EntryOptions & { input?: string } = {},
): Promise<RunResult> {
  const running = startEntry(entry, args, options);
  running.child.stdin.write(options.input ?? '');
  return running.finish();
}
