import { execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SEED_DIR } from '../support/content.js';
import { FAKE_TOKEN, startFakeDiscord } from '../support/fakeDiscord/index.js';
import { askIn, twoShardGuilds } from '../support/shardGuilds.js';

const execute = promisify(execFile);

/** Runs a command to completion; a failure says what it printed (tsc reports type errors on stdout). */
async function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<void> {
  await execute(command, args, options).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`${command} ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`, {
      cause: error,
    });
  });
}

/**
 * What deploy/Dockerfile runs, which this test runs too (it checks the Dockerfile says so): the
 * production dependencies only, WordNet's word lists extracted once into the install, then
 * `npm start`'s command. (The image compiles with `npm ci`, whose "prepare" is `npm run build`.)
 */
const PRUNE = ['prune', '--omit=dev', '--no-audit', '--no-fund'];
const LEXICON = `const m = await import('./dist/language/lexicon.js'); m.loadLexicon();`;
const START = ['--enable-source-maps', 'dist/index.js'];

const work = mkdtempSync(path.join(tmpdir(), 'article-qa-bot-pruned-'));
/** The pruned, compiled install: what the image's /app holds. */
const app = path.join(work, 'app');
let started = 0;

/** A copy of the repository's node_modules in `to`, by hard links when the file system allows (fast), else a full copy. */
async function copyModules(to: string): Promise<void> {
  // Its real path: copying a link to it would let `npm prune` prune the repository's own.
  const from = realpathSync(path.join(ROOT, 'node_modules'));
  await run('cp', ['-al', from, to], { cwd: ROOT }).catch(() => {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  });
  // A fresh `npm ci` has no tools' caches (.cache, where the image's extraction step puts the word
  // lists, .vite…). npm rewrites its hidden lockfile in place, which through a hard link would
  // rewrite the repository's: it gets a copy of its own.
  for (const name of readdirSync(to).filter((name) => name.startsWith('.') && name !== '.bin'))
    rmSync(path.join(to, name), { recursive: true, force: true });
  const hidden = path.join(from, '.package-lock.json');
  if (existsSync(hidden)) copyFileSync(hidden, path.join(to, '.package-lock.json'));
}

/** Files of `dir` that share their data with another path (hard links) and were written since `since`. */
function linkedFilesWrittenSince(dir: string, since: number): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const stat = lstatSync(file);
    if (stat.nlink > 1 && stat.mtimeMs >= since) found.push(file);
  }
  return found;
}

beforeAll(async () => {
  started = Date.now();
  mkdirSync(app);
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(ROOT, file), path.join(app, file));
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false' };
  // Compiling (the longest step) and pruning run side by side.
  await Promise.all([
    run(
      process.execPath,
      [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', `${app}/dist`],
      { cwd: ROOT },
    ),
    copyModules(path.join(app, 'node_modules')).then(() => run('npm', [...PRUNE, '--offline'], { cwd: app, env })),
  ]);
  await run(process.execPath, ['--input-type=module', '-e', LEXICON], {
    cwd: app,
    env: { PATH: process.env.PATH, NODE_ENV: 'production' },
  });
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the pruned, compiled install (what deploy/Dockerfile ships)', () => {
  it('is what the Dockerfile builds and runs', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'deploy/Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`npm ci --no-audit --no-fund && npm ${PRUNE.join(' ')}`);
    expect(dockerfile).toContain(`node --input-type=module -e "${LEXICON}"`);
    expect(dockerfile).toContain(`CMD ${JSON.stringify(['node', ...START]).replaceAll('","', '", "')}`);
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))).toMatchObject({
      scripts: { build: 'tsc -p tsconfig.build.json', prepare: 'npm run build', start: `node ${START.join(' ')}` },
    });
  });

  it('holds no dev dependency, the word lists extracted, and left the repository’s node_modules as it was', () => {
    for (const dev of ['tsx', 'vitest', 'typescript', 'esbuild'])
      expect(existsSync(path.join(app, 'node_modules', dev)), dev).toBe(false);
    for (const prod of ['discord.js', 'better-sqlite3', 'wink-nlp', 'wink-eng-lite-web-model'])
      expect(existsSync(path.join(app, 'node_modules', prod)), prod).toBe(true);
    expect(readdirSync(path.join(app, 'node_modules/.cache/article-qa-bot')).sort()).toEqual([
      'subtlex-us-zipf.txt',
      expect.stringMatching(/^wordnet-.*-related-.*\.txt$/),
    ]);
    expect(existsSync(path.join(ROOT, 'node_modules/tsx'))).toBe(true);
    // No file of the copy that is still the repository's (a hard link) was written to.
    expect(linkedFilesWrittenSince(path.join(app, 'node_modules'), started)).toEqual([]);
  });

  it('SHARD_MODE=process starts there: every shard identifies, and shard 1 answers /ask with a short answer', async () => {
    const [first, second] = twoShardGuilds();
    const discord = await startFakeDiscord({ shards: 2, guilds: [first, second], defaultTimeoutMs: 15_000 });
    const stateDir = path.join(work, 'state');
    // The image's command, from its working directory, with the environment the image sets and the operator's .env.
    const bot = spawn(process.execPath, START, {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        DISCORD_TOKEN: FAKE_TOKEN,
        DISCORD_API_URL: discord.apiUrl,
        SHARD_COUNT: 'auto',
        SHARD_MODE: 'process',
        DATA_DIR: SEED_DIR,
        STATE_DIR: stateDir,
        INDEX_CACHE: 'off',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    bot.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    bot.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => bot.on('close', (code) => resolve(code)));
    const waitFor = async (pattern: RegExp): Promise<void> => {
      const deadline = Date.now() + 45_000;
      while (!pattern.test(output)) {
        if (bot.exitCode !== null || Date.now() > deadline)
          throw new Error(`no ${pattern} (exit code ${bot.exitCode}); the bot printed:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await waitFor(/"event":"shards.ready","shards":2/);
      // Each shard process loads its own index.
      await waitFor(/"event":"content.loaded"[\s\S]*"event":"content.loaded"/);
      const identifies = discord.gatewayPayloads
        .filter((payload) => payload.op === 2)
        .map((payload) => (payload.d as { shard: [number, number] }).shard);
      expect(identifies.sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      await discord.waitForReady();
      // wink-nlp, loaded with createRequire from the compiled files, reads the short answer.
      const answer = await askIn(discord, second, 'how many groups were designated?');
      expect(answer?.embeds?.[0]?.description).toMatch(
        /^\*\*Six\*\* — \*\*The U\.S\. unilaterally designated six Mexican/,
      );
      // Nothing went wrong before shutting down (where the manager reports each shard it stops as died).
      expect(output).not.toMatch(/"level":"(?:warn|error)"/);
      bot.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).not.toContain(FAKE_TOKEN);
    } finally {
      bot.kill('SIGKILL');
      await discord.close();
    }
  }, 90_000);
});
