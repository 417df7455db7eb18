import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

const run = promisify(execFile);

/** Where Debian's PostgreSQL 15 server programs are (`apt install postgresql`). */
const BIN = '/usr/lib/postgresql/15/bin';

/** A PostgreSQL server of its own for a test: its URL, and how to stop it (its data goes with it). */
export interface TestPostgres {
  url: string;
  /** Creates an empty database `name` on the server, for one test of several, and gives its URL. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Whether PostgreSQL 15's server is installed here (`.ci/run` installs it when it is missing). */
export function postgresInstalled(): boolean {
  return existsSync(path.join(BIN, 'pg_ctl'));
}

/**
 * Starts a real PostgreSQL 15 server in a temporary directory on a free port of 127.0.0.1, with
 * trust authentication for its `postgres` user, and fsync off (test data need not survive a
 * crash). PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
 * `postgres` user.
 *
 * @example
 * const pg = await startPostgres();
 * const store = await openStore({ url: pg.url });
 * await pg.stop();
 */
export async function startPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'article-bot-pg-'));
  const asRoot = userInfo().uid === 0;
  const command = async (program: string, args: string[]): Promise<void> => {
    const file = path.join(BIN, program);
    await (asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args));
  };
  if (asRoot) {
    const [uid, gid] = await Promise.all(
      ['-u', '-g'].map(async (flag) => (await run('id', [flag, 'postgres'])).stdout),
    );
    await chown(dir, Number(uid), Number(gid));
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  await command('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  await command('pg_ctl', [
    '-D',
    data,
    '-o',
    `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c full_page_writes=off`,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    'start',
  ]);
  let stopped = false;
  const url = (database: string): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url: url('postgres'),
    async database(name) {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await command('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For one test file: a PostgreSQL server and a temporary directory (named from `prefix`), made
 * before its tests and removed after them.
 *
 * @example
 * const testbed = postgresAndDirForFile('article-bot-mirror-');
 * it('…', async () => { const url = await testbed.server.database('mirror'); … testbed.dir … });
 */
export function postgresAndDirForFile(prefix: string): { readonly server: TestPostgres; readonly dir: string } {
  let server: TestPostgres | null = null;
  let dir: string | null = null;
  beforeAll(async () => {
    server = await startPostgres();
    dir = await mkdtemp(path.join(tmpdir(), prefix));
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (dir !== null) await rm(dir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | null): T => {
    if (value === null) throw new Error('used before beforeAll ran');
    return value;
  };
  return {
    get server() {
      return ready(server);
    },
    get dir() {
      return ready(dir);
    },
  };
}

/**
 * For one test file that runs against both stores: a PostgreSQL server started before its tests
 * when PostgreSQL 15 is installed (stopped after them), and a new empty database on it per call.
 *
 * @example
 * const newDatabase = postgresDatabasesForFile('store_test');
 * it('…', async () => { const store = await PostgresStore.open(await newDatabase(), logger); … });
 */
export function postgresDatabasesForFile(prefix: string): () => Promise<string> {
  let server: TestPostgres | null = null;
  let databases = 0;
  beforeAll(async () => {
    if (postgresInstalled()) server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  return async () => {
    if (!server) throw new Error('PostgreSQL 15 is not installed here (apt install postgresql)');
    return server.database(`${prefix}_${++databases}`);
  };
}

/** A TCP port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
