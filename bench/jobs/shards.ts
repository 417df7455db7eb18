import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../../tests/support/content.js';
import { defaultGuild, FAKE_TOKEN, startFakeDiscord, type FakeGuild } from '../../tests/support/fakeDiscord/index.js';

/**
 * Memory and build time of the compiled bot (`node dist/index.js`) connected to the fake Discord
 * with 1, 2 and 4 shards, in both SHARD_MODEs, over a benchmark content directory. RSS is summed
 * over the bot's process and its shard processes once every shard has loaded its index; build
 * time is the slowest shard's `content.loaded` (no snapshot, so each really builds).
 */
const { values } = parseArgs({ options: { data: { type: 'string' } } });
const dir = values.data ?? '';

/** One server per shard: (guild_id >> 22) % shards puts server i on shard i. */
function guildsFor(shards: number): FakeGuild[] {
  const first = defaultGuild();
  return Array.from({ length: shards }, (_, i) => ({
    ...first,
    id: (BigInt(first.id) + (BigInt(i) << 22n)).toString(),
    name: `Newsroom ${i}`,
  }));
}

/** Resident memory of a process and all its descendants, from /proc (Linux). */
function treeRssMB(pid: number): number {
  const children = (() => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  })();
  const own = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0';
  return Number(own) / 1024 + children.reduce((sum, child) => sum + treeRssMB(child), 0);
}

async function measure(shards: number, mode: 'client' | 'process'): Promise<Record<string, unknown>> {
  const discord = await startFakeDiscord({ shards, guilds: guildsFor(shards), defaultTimeoutMs: 300_000 });
  const stateDir = await mkdtemp(path.join(tmpdir(), 'article-bot-shards-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'index.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      DATA_DIR: dir,
      STATE_DIR: stateDir,
      INDEX_CACHE: 'off',
      SHARD_COUNT: String(shards),
      SHARD_MODE: mode,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const loaded = new Promise<number[]>((resolve, reject) => {
    const expected = mode === 'client' ? 1 : shards;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      const times = [...log.matchAll(/"event":"content.loaded".*?"ms":(\d+)/g)].map((m) => Number(m[1]));
      if (times.length >= expected) resolve(times);
    });
    child.on('close', () => reject(new Error(`the bot exited:\n${log.slice(-2000)}`)));
  });
  try {
    const times = await loaded;
    // Memory once the index is in: gateway sessions cost little beside it (the fake Discord's
    // 4-shard identify does not complete here, so readiness is not waited for).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return {
      shards,
      mode,
      processes: mode === 'client' ? 1 : shards + 1,
      buildMs: Math.max(...times),
      rssMB: Math.round(treeRssMB(child.pid ?? 0)),
    };
  } finally {
    child.kill('SIGKILL');
    await discord.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

const rows = [];
for (const mode of ['client', 'process'] as const)
  for (const shards of [1, 2, 4]) rows.push(await measure(shards, mode));
console.log(JSON.stringify(rows));
