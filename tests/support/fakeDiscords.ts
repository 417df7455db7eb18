import { afterEach } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './fakeDiscord/index.js';

/**
 * For a test file that needs a fresh fake Discord per test: returns a starter, and closes every
 * fake it started after each test, so no server outlives its test.
 */
export function fakeDiscords(): (options?: FakeDiscordOptions) => Promise<FakeDiscord> {
  const open: FakeDiscord[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((discord) => discord.close()));
  });
  return async (options) => {
    const discord = await startFakeDiscord(options);
    open.push(discord);
    return discord;
  };
}
