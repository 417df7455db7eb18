/**
 * A fake Discord (REST + gateway on 127.0.0.1) for driving a real discord.js Client in tests.
 *
 * ```ts
 * const discord = await startFakeDiscord();
 * const client = createFakeClient(discord);        // or new Client({ intents, ...fakeClientOptions(discord) })
 * await loginFakeClient(client);
 * const reply = await discord.sendInteraction({ type: 'command', name: 'ping' }).reply();
 * // Threads: what the bot started, and a question asked in one (a thread id is a channel id).
 * const [thread] = await discord.waitForThreads(discord.channel.id);
 * await discord.sendMessage({ channelId: thread.id, content: `${discord.mention('bot')} why?` }).reply();
 * await client.destroy();
 * await discord.close();
 * ```
 */
export { startFakeDiscord, FakeDiscord } from './server.js';
export type { FakeDiscordOptions, FailNextOptions, CloseGatewayOptions, GatewayReconnect } from './server.js';
export { fakeClientOptions, createFakeClient, loginFakeClient, noIdentifyThrottle } from './client.js';
export type { FakeClientOptions } from './client.js';
export { InteractionHandle, MessageHandle } from './handles.js';
export {
  FIXTURE_IDS,
  FAKE_TOKEN,
  ALL_PERMISSIONS,
  EVERYONE_PERMISSIONS,
  MODERATOR_PERMISSIONS,
  BOT_ROLE_PERMISSIONS,
  defaultGuild,
  defaultUsers,
  computePermissions,
  computeChannelPermissions,
  botDenied,
  permissionBits,
  permissionNames,
  nextSnowflake,
} from './fixtures.js';
export type {
  FakeUser,
  FakeGuild,
  FakeRole,
  FakeChannel,
  FakeMember,
  FakeOverwrite,
  FixtureUserKey,
  PermissionName,
  PermissionsInput,
} from './fixtures.js';
export type { FakeResponse } from './rest.js';
export type { GatewaySessionInfo, ReceivedGatewayPayload } from './gateway.js';
export type { StoredMessage, FakeThread, ThreadType } from './world.js';
export type * from './types.js';
