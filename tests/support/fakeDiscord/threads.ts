/**
 * Threads: started on a message of a text/announcement channel, without a message, or as a forum
 * post, shared by the REST routes (the bot's requests) and `discord.startThread` (a user's thread).
 * The callers tell the gateway: THREAD_CREATE (see {@link threadCreateEvent}) and the message event.
 */
import { ChannelType, MessageFlags } from 'discord.js';
import type { GatewayThreadCreateDispatchData, ThreadAutoArchiveDuration } from 'discord.js';
import type { FakeChannel, FakeGuild, FakeUser } from './fixtures.js';
import { nextSnowflake } from './fixtures.js';
import type { FakeThread, StoredMessage, ThreadType, World } from './world.js';

/** The parts of a new thread common to every way of starting one. */
export interface NewThread {
  guild: FakeGuild;
  parent: FakeChannel;
  owner: FakeUser;
  name: string;
  /** Default: 1440, the channels' `default_auto_archive_duration`. */
  autoArchiveDuration?: ThreadAutoArchiveDuration | undefined;
  rateLimitPerUser?: number | undefined;
}

/** Channel types threads can be started in. */
export function takesThreads(channel: FakeChannel): boolean {
  const type = channel.type ?? ChannelType.GuildText;
  return type === ChannelType.GuildText || type === ChannelType.GuildAnnouncement || type === ChannelType.GuildForum;
}

export function isForum(channel: FakeChannel): boolean {
  return channel.type === ChannelType.GuildForum;
}

/** The thread type a message or a public thread gets in `parent` (announcement channels make announcement threads). */
export function publicThreadType(parent: FakeChannel): ThreadType {
  return parent.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
}

function record(world: World, spec: NewThread, id: string, type: ThreadType, starterMessageId: string | null) {
  return world.addThread({
    id,
    guildId: spec.guild.id,
    parentId: spec.parent.id,
    name: spec.name,
    type,
    ownerId: spec.owner.id,
    autoArchiveDuration: spec.autoArchiveDuration ?? 1440,
    starterMessageId,
    rateLimitPerUser: spec.rateLimitPerUser ?? 0,
    appliedTags: isForum(spec.parent) ? [] : null,
  });
}

/**
 * Starts a thread on a stored message of a text/announcement channel: the thread's id is the
 * message's, and the message now carries the thread (`flags` HAS_THREAD, `thread`), as on Discord.
 */
export function startThreadOnMessage(
  world: World,
  starter: StoredMessage,
  spec: NewThread,
): { thread: FakeThread; starter: StoredMessage } {
  const thread = record(world, spec, starter.id, publicThreadType(spec.parent), starter.id);
  const updated: StoredMessage = {
    ...starter,
    flags: (starter.flags ?? 0) | MessageFlags.HasThread,
    thread: world.threadPayload(thread),
  };
  world.storeMessage(updated);
  return { thread, starter: updated };
}

/** Starts a thread with no starter message in a text/announcement channel. */
export function startThreadWithoutMessage(world: World, spec: NewThread, type: ThreadType): FakeThread {
  return record(world, spec, nextSnowflake(), type, null);
}

/**
 * Starts a forum post: a thread whose first message (built by `message` for the thread's id, and
 * stored in the thread) has the thread's id, as on Discord.
 */
export function startForumPost(
  world: World,
  spec: NewThread,
  message: (threadId: string) => StoredMessage,
): { thread: FakeThread; message: StoredMessage } {
  const id = nextSnowflake();
  const first = message(id);
  const thread = record(world, spec, id, ChannelType.PublicThread, id);
  world.storeMessage(first);
  return { thread, message: first };
}

/** THREAD_CREATE data for a new thread (`newly_created`, and the bot's membership when it is in it). */
export function threadCreateEvent(world: World, thread: FakeThread): GatewayThreadCreateDispatchData {
  return { ...world.threadPayload(thread, true), newly_created: true };
}
