import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../../tests/support/content.js';

/**
 * Time from process start to the first answer in terminal mode: `npm start` with a question
 * piped in, over a benchmark content directory (see corpus.ts), with the index cache off
 * and then on (after one run has saved it). Runs each case `runs` times and keeps the median.
 * `--question` changes the question (a factoid one also waits for the short-answer reader's model).
 */
const { values } = parseArgs({
  options: { data: { type: 'string' }, runs: { type: 'string' }, question: { type: 'string' } },
});
const question = values.question ?? 'who is Tom Homan?';
const dir = values.data ?? '';
const size = (await readdir(path.join(dir, 'articles'))).length;
const runs = Number(values.runs ?? 3);
const cacheDir = await mkdtemp(path.join(tmpdir(), 'article-bot-startup-'));
const cacheFile = path.join(cacheDir, 'index.snapshot');

/** Milliseconds from spawning `npm start` to the first answer on its stdout. */
function firstAnswer(cache: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, DISCORD_TOKEN: '', DATA_DIR: dir, STATE_DIR: cacheDir, INDEX_CACHE: cache },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/^Answer/m.test(out)) {
        const ms = performance.now() - started;
        child.kill();
        resolve(ms);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', () => reject(new Error(`no answer; stdout: ${out.slice(0, 200)} stderr: ${err.slice(0, 500)}`)));
    child.stdin.end(`${question}\n`);
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const measure = async (cache: string): Promise<number> => {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await firstAnswer(cache));
  return Math.round(median(times));
};

try {
  const withoutCache = await measure('off');
  await firstAnswer(cacheFile); // builds and saves the snapshot
  const withCache = await measure(cacheFile);
  console.log(JSON.stringify({ size, runs, firstAnswerMs: { withoutCache, withCache } }));
} finally {
  await rm(cacheDir, { recursive: true, force: true });
}
