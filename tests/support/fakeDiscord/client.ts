/** Helpers to point a real discord.js `Client` at a {@link FakeDiscord}. */
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { ClientOptions, WebSocketOptions } from 'discord.js';
import { FAKE_TOKEN } from './fixtures.js';

type IdentifyThrottlerFactory = NonNullable<WebSocketOptions['buildIdentifyThrottler']>;

/** An identify throttler that never waits (the default one sleeps ~5 s between IDENTIFYs per bucket). */
export const noIdentifyThrottle: IdentifyThrottlerFactory = () => ({
  waitForIdentify: () => Promise.resolve(),
});

/** The client options a test needs on top of its own: REST base, no identify throttle, quick guild wait. */
export type FakeClientOptions = Required<Pick<ClientOptions, 'rest' | 'ws' | 'waitGuildTimeout' | 'shards'>>;

/**
 * Client options that route a discord.js `Client` to the fake: `rest.api` → fake, no rate-limit
 * offset, a 5 s request timeout, no identify throttling, and `shards: 'auto'` (the fake's shard count).
 * Spread them into your own options: `new Client({ intents, ...fakeClientOptions(discord) })`.
 */
export function fakeClientOptions(discord: { apiUrl: string }): FakeClientOptions {
  return {
    rest: { api: discord.apiUrl, offset: 0, timeout: 5_000 },
    ws: { buildIdentifyThrottler: noIdentifyThrottle },
    waitGuildTimeout: 1_000,
    shards: 'auto',
  };
}

/**
 * A client wired to the fake with the intents a message/interaction bot typically needs
 * (Guilds, GuildMessages, MessageContent) and no pings allowed by default.
 */
export function createFakeClient(discord: { apiUrl: string }, options: Partial<ClientOptions> = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    allowedMentions: { parse: [], repliedUser: false },
    ...fakeClientOptions(discord),
    ...options,
  });
}

/** Logs the client in and resolves once it emitted `clientReady` (all guilds received). */
export async function loginFakeClient(client: Client, token: string = FAKE_TOKEN): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(token);
  await ready;
}
