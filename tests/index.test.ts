import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FAKE_TOKEN } from './support/fakeDiscord/index.js';
import { fakeDiscords } from './support/fakeDiscords.js';
import { startEntry } from './support/run.js';

const startDiscord = fakeDiscords();

describe('npm start with DISCORD_TOKEN', () => {
  it('connects, answers, and exits 0 soon after SIGTERM', async () => {
    const discord = await startDiscord();
    const bot = startEntry('src/index.ts', [], {
      env: { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: discord.apiUrl, LOG_LEVEL: 'info' },
    });
    try {
      await bot.waitFor(/"event":"discord.ready"/, 'stderr', 20_000);
      // The gateway connects while the index loads: ask once both are done.
      await bot.waitFor(/"event":"content.loaded"/, 'stderr', 20_000);
      const reply = await discord.sendMessage({ content: `${discord.mention('bot')} who is Tom Homan?` }).reply();
      expect(reply.embeds?.[0]?.description).toContain('Tom Homan');
      const stopping = Date.now();
      bot.child.kill('SIGTERM');
      const { code, stderr, stdout } = await bot.finish(true);
      expect(code).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(5000);
      expect(stderr).toContain('"event":"shutdown","signal":"SIGTERM"');
      expect(stdout + stderr).not.toContain(FAKE_TOKEN);
      expect(stdout + stderr).not.toMatch(/injected env|dotenv/i);
    } finally {
      bot.child.kill('SIGKILL');
    }
  });

  it('exits 0 when SIGTERM arrives in the middle of a burst of questions', async () => {
    const discord = await startDiscord({ defaultTimeoutMs: 10_000 });
    const bot = startEntry('src/index.ts', [], {
      env: { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: discord.apiUrl, RATE_LIMIT: 'off', INDEX_CACHE: 'off' },
    });
    try {
      await bot.waitFor(/"event":"discord.ready"/, 'stderr', 20_000);
      const burst = Array.from({ length: 200 }, (_, i) =>
        discord.sendMessage({ content: `${discord.mention('bot')} question ${i} about fentanyl?` }),
      );
      await burst[50]?.reply();
      bot.child.kill('SIGTERM');
      const { code, stderr } = await bot.finish(true);
      expect(code).toBe(0);
      expect(stderr).not.toMatch(/\n\s+at |unhandled|uncaught/i);
    } finally {
      bot.child.kill('SIGKILL');
    }
  });

  it('exits 1 with a clear message when the content directory is missing', async () => {
    const bot = startEntry('src/index.ts', [], {
      env: { DISCORD_TOKEN: FAKE_TOKEN, DATA_DIR: '/nonexistent/content' },
    });
    const { code, stderr } = await bot.finish();
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: content directory not found: "/nonexistent/content" (set DATA_DIR or pass --data DIR)\n',
    );
  });

  it('explains a rejected token in one line, without the token, and exits 1', async () => {
    const discord = await startDiscord({ token: 'the-only-accepted-token.abcdefghij' });
    const token = 'wrong-token.abcdefghijklmnopqrstuvwxyz';
    const bot = startEntry('src/index.ts', [], {
      env: { DISCORD_TOKEN: token, DISCORD_API_URL: discord.apiUrl, LOG_LEVEL: 'debug' },
    });
    const { code, stderr, stdout } = await bot.finish();
    expect(code).toBe(1);
    expect(stderr).toContain('error: could not connect to Discord: Discord rejected DISCORD_TOKEN');
    expect(stdout + stderr).not.toContain(token);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('gives up on a Discord that accepts connections and never answers, in time, saying what to check', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      const bot = startEntry('src/index.ts', [], {
        env: {
          DISCORD_TOKEN: FAKE_TOKEN,
          DISCORD_API_URL: `http://127.0.0.1:${port}/api`,
          CONNECT_TIMEOUT: '2',
          LOG_LEVEL: 'info',
        },
      });
      const { code, stderr } = await bot.finish();
      expect(code).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(stderr).toContain('"event":"discord.connecting"');
      expect(stderr).toContain(
        'error: could not connect to Discord: Discord did not answer within 2 s: check the network, a firewall or proxy, and DISCORD_API_URL',
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
