/** `startFakeDiscord()`: an HTTP + WebSocket fake of Discord on 127.0.0.1 for driving a real discord.js Client. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChannelType, InteractionResponseType, MessageType, PermissionFlagsBits } from 'discord.js';
import type { APIApplicationCommand } from 'discord.js';
import type { FakeChannel, FakeGuild, FakeRole, FakeUser, FixtureUserKey, PermissionsInput } from './fixtures.js';
import { computePermissions, defaultGuild, defaultUsers, nextSnowflake } from './fixtures.js';
import type { GatewaySessionInfo, ReceivedGatewayPayload, SessionReadyEvent } from './gateway.js';
import { FakeGateway, UNRECOVERABLE_CLOSE_CODES } from './gateway.js';
import { InteractionHandle, MessageHandle } from './handles.js';
import { buildInteraction } from './interactions.js';
import { messagePayload } from './payloads.js';
import {
  isForum,
  publicThreadType,
  startForumPost,
  startThreadOnMessage,
  startThreadWithoutMessage,
  takesThreads,
  threadCreateEvent,
} from './threads.js';
import { RequestLog } from './requestLog.js';
import type { FakeResponse, Interceptor } from './rest.js';
import { createRestHandler, interceptor, rateLimitedResponse } from './rest.js';
import type {
  InteractionCallbackBody,
  InteractionSpec,
  MessageBody,
  MessageSpec,
  OutgoingMessage,
  RecordedRequest,
  RequestMatcher,
  ThreadSpec,
  ThreadView,
  UserRef,
  WaitOptions,
} from './types.js';
import { validateThreadBody } from './validate.js';
import type { FakeThread, StoredMessage } from './world.js';
import { World } from './world.js';

/** How long `denyBot`/`allowBot` give the client to apply the CHANNEL_UPDATE they dispatch. */
const CHANNEL_UPDATE_SETTLE_MS = 50;

/** Options of {@link startFakeDiscord}. */
export interface FakeDiscordOptions {
  /** Guilds the bot is in (default: one guild from `defaultGuild()`). */
  guilds?: FakeGuild[];
  /** Extra or replacement users, merged over `defaultUsers()` by key. Key `bot` is the bot itself. */
  users?: Partial<Record<FixtureUserKey, FakeUser>> & Record<string, FakeUser>;
  /** Recommended shard count from `GET /gateway/bot` (default 1). */
  shards?: number;
  /** `session_start_limit.max_concurrency` (default 1). */
  maxConcurrency?: number;
  /** HELLO heartbeat interval (default 41250 ms). */
  heartbeatIntervalMs?: number;
  /** Default timeout of every wait helper (default 3000 ms, below vitest's 5 s test timeout). */
  defaultTimeoutMs?: number;
  /** Dispatch MESSAGE_CREATE/UPDATE/DELETE for the bot's own non-ephemeral messages, like Discord (default true). */
  echoBotMessages?: boolean;
  /** Enforce Discord's length/emptiness limits on messages and commands (default true). */
  validate?: boolean;
  /** Reject interaction callbacks arriving later than this, like Discord's 3 s limit (default: no limit). */
  interactionDeadlineMs?: number | null;
  /** Only accept this bot token (default: any non-empty token). */
  token?: string | null;
}

/** Options of {@link FakeDiscord.failNext}. */
export interface FailNextOptions {
  method?: string;
  /** Exact decoded path (e.g. `/channels/123/messages`) or a RegExp; omit to hit any request. */
  path?: string | RegExp;
  /** 429 (default) or any error status, e.g. 500. */
  status?: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Retry-After for 429s, in seconds (default 0.05). */
  retryAfter?: number;
  /** Mark a 429 as global. */
  global?: boolean;
}

/** Options of {@link FakeDiscord.closeGateway}. */
export interface CloseGatewayOptions extends WaitOptions {
  /** Only this shard (default: all). */
  shardId?: number;
  reason?: string;
  /** Forget the session first, so the client's RESUME gets op 9 and it must IDENTIFY again. */
  invalidateSession?: boolean;
  /** Drop the TCP connection without a close frame, as a network failure does (the code is then unused). */
  drop?: boolean;
  /** Wait until every closed shard is usable again (default: true unless the code is unrecoverable). */
  waitForReconnect?: boolean;
}

/** How each shard recovered after {@link FakeDiscord.closeGateway}. */
export type GatewayReconnect = Pick<SessionReadyEvent, 'shardId' | 'kind'>;

/** A running fake Discord. Create with {@link startFakeDiscord}; always `close()` it. */
export class FakeDiscord {
  /** REST base to give discord.js as `rest.api` (`http://127.0.0.1:PORT/api`). */
  readonly apiUrl: string;
  /** Gateway URL returned by `GET /gateway/bot`. */
  readonly gatewayUrl: string;
  /** Application id (equal to the bot user's id, like modern Discord apps). */
  readonly applicationId: string;
  /** The bot user. */
  readonly bot: FakeUser;
  /** Users by fixture key: `bot`, `owner`, `admin`, `moderator`, `member`, `otherBot`, plus custom ones. */
  readonly users: Record<FixtureUserKey, FakeUser> & Record<string, FakeUser>;
  /** The first guild. */
  readonly guild: FakeGuild;
  /** The first guild's first text channel. */
  readonly channel: FakeChannel;
  /** The underlying state (messages, commands, interactions) for advanced assertions. */
  readonly world: World;

  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #gateway: FakeGateway;
  readonly #log: RequestLog;
  readonly #interceptors: Interceptor[] = [];
  readonly #defaultTimeoutMs: number;
  #closed = false;

  /** @internal Use {@link startFakeDiscord}. */
  constructor(server: Server, port: number, options: FakeDiscordOptions) {
    this.#server = server;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? 3000;

    const users = { ...defaultUsers(), ...options.users } as Record<FixtureUserKey, FakeUser> &
      Record<string, FakeUser>;
    const guilds = options.guilds ?? [defaultGuild()];
    const firstGuild = guilds[0];
    if (!firstGuild) throw new Error('startFakeDiscord needs at least one guild');
    this.users = users;
    this.bot = users.bot;
    this.applicationId = users.bot.id;
    this.world = new World(this.applicationId, users.bot.id, users, guilds);
    this.guild = firstGuild;
    this.channel = this.world.defaultChannel(firstGuild);
    this.#log = new RequestLog(this.#defaultTimeoutMs);

    const shards = options.shards ?? 1;
    const maxConcurrency = options.maxConcurrency ?? 1;
    const echoBotMessages = options.echoBotMessages ?? true;
    this.#gateway = new FakeGateway({
      world: this.world,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      token: options.token ?? null,
      resumeUrl: () => `ws://127.0.0.1:${port}/gateway-resume`,
    });
    this.#gateway.setMaxListeners(100);

    server.on(
      'request',
      createRestHandler({
        world: this.world,
        log: this.#log,
        interceptors: this.#interceptors,
        validate: options.validate ?? true,
        interactionDeadlineMs: options.interactionDeadlineMs ?? null,
        gatewayInfo: () => ({
          url: this.gatewayUrl,
          shards,
          session_start_limit: {
            total: 1000,
            remaining: Math.max(0, 1000 - this.#gateway.identifyCount),
            reset_after: 14_400_000,
            max_concurrency: maxConcurrency,
          },
        }),
        echo: (event, data, guildId) => {
          if (echoBotMessages) this.#tryDispatch(event, data, guildId);
        },
        dispatch: (event, data, guildId) => this.#tryDispatch(event, data, guildId),
      }),
    );
    server.on('upgrade', (req, socket, head: Buffer) => {
      if ((req.url ?? '').startsWith('/gateway')) this.#gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  // ── Inspection ────────────────────────────────────────────────────────────

  /**
   * Forgets the recorded requests and finished interactions, so a long load run measures mostly
   * the bot's memory, not the fake's records (stored messages stay: replies refer to them). Call
   * only while nothing is being waited for.
   */
  forgetHistory(): void {
    this.#log.requests.length = 0;
    this.#gateway.received.length = 0;
    this.world.interactions.clear();
    this.world.interactionsByToken.clear();
  }

  /** Every REST request the bot made, in arrival order. */
  get requests(): readonly RecordedRequest[] {
    return this.#log.requests;
  }

  /** Number of IDENTIFYs received. */
  get identifyCount(): number {
    return this.#gateway.identifyCount;
  }

  /** Number of RESUMEs received (including rejected ones). */
  get resumeCount(): number {
    return this.#gateway.resumeCount;
  }

  /** Number of heartbeats received. */
  get heartbeatCount(): number {
    return this.#gateway.heartbeatCount;
  }

  /** Every payload the client sent over the gateway (identify, heartbeats, presence…). */
  get gatewayPayloads(): readonly ReceivedGatewayPayload[] {
    return this.#gateway.received;
  }

  /** URLs (path + query) the client opened gateway connections to. */
  get gatewayConnections(): readonly string[] {
    return this.#gateway.connectionUrls;
  }

  /** Current session of each shard. */
  get sessions(): GatewaySessionInfo[] {
    return this.#gateway.sessions;
  }

  /** Every message-carrying request the bot made (sends, edits, interaction replies, followups), in order. */
  outgoingMessages(): OutgoingMessage[] {
    return this.#log.requests.flatMap((request): OutgoingMessage[] => {
      const kind = messageKind(request);
      if (!kind) return [];
      const body =
        kind === 'interaction-callback'
          ? (request.json as InteractionCallbackBody | null)?.data
          : kind === 'forum-post'
            ? (request.body?.['message'] as MessageBody | undefined)
            : request.body;
      return body ? [{ kind, method: request.method, path: request.path, body, status: request.status }] : [];
    });
  }

  /** Messages stored in a channel (default: the first channel), oldest first. Reflects edits and deletes. */
  messagesIn(channelId: string = this.channel.id): StoredMessage[] {
    return this.world.messagesIn(channelId);
  }

  /**
   * Threads started in a text/announcement channel or posted in a forum (default: the first channel),
   * oldest first, by the bot or by {@link startThread}: name, starter message (embeds), messages since.
   */
  threads(channelId: string = this.channel.id): ThreadView[] {
    return this.world.threadsIn(channelId).map((thread) => this.#threadView(thread));
  }

  /** One thread (or forum post) by id; throws for an unknown one. */
  thread(threadId: string): ThreadView {
    const thread = this.world.thread(threadId);
    if (!thread) throw new Error(`No fake thread ${threadId}`);
    return this.#threadView(thread);
  }

  /** Resolves with the channel's threads once it has at least `count` (default 1), e.g. after the bot announced. */
  async waitForThreads(channelId: string, count = 1, options: WaitOptions = {}): Promise<ThreadView[]> {
    const enough = () => this.world.threadsIn(channelId).length >= count;
    if (!enough()) {
      await this.#log.waitFor(() => enough(), {
        from: this.#log.requests.length,
        timeoutMs: options.timeoutMs,
        description: `${count} thread(s) in channel ${channelId}`,
      });
    }
    return this.threads(channelId);
  }

  /** Commands the bot registered, for a guild or globally (`null`, the default). */
  registeredCommands(guildId: string | null = null): APIApplicationCommand[] {
    return this.world.commandsIn(guildId);
  }

  /** A role of the first guild by name (e.g. `'Moderator'`) or id. */
  role(nameOrId: string): FakeRole {
    const role = this.guild.roles.find((r) => r.name === nameOrId || r.id === nameOrId);
    if (!role) throw new Error(`No role "${nameOrId}" in ${this.guild.name}`);
    return role;
  }

  /** Mention markup for a user (`<@id>`). */
  mention(user: UserRef): string {
    return `<@${this.world.resolveUser(user).id}>`;
  }

  /** The DM channel id between the bot and a user (for DM `sendMessage`; the client needs `Partials.Channel`). */
  dmChannelId(user: UserRef): string {
    return this.world.dmChannelId(this.world.resolveUser(user));
  }

  // ── Driving ───────────────────────────────────────────────────────────────

  /**
   * Denies the bot `permissions` (names like `'EmbedLinks'`, or a bitfield) in a guild channel through
   * a member overwrite in its `permission_overwrites` (threads follow their parent), so both the REST
   * API (403, 50013) and discord.js's `permissionsFor` see it. Dispatches CHANNEL_UPDATE and, when a
   * client is connected, gives it a moment to apply it. To deny before login, use `botDenied` in the fixture.
   */
  async denyBot(channelId: string, permissions: PermissionsInput): Promise<void> {
    this.world.overwriteBot(channelId, { deny: permissions });
    await this.#channelUpdated(channelId);
  }

  /** Allows the bot `permissions` in a guild channel (undoing a {@link denyBot}), like {@link denyBot}. */
  async allowBot(channelId: string, permissions: PermissionsInput): Promise<void> {
    this.world.overwriteBot(channelId, { allow: permissions });
    await this.#channelUpdated(channelId);
  }

  /**
   * A user starts a thread: on a stored message (`messageId`) or without one in a text/announcement
   * channel, or as a forum post (first message from `content`/`embeds`). Dispatches THREAD_CREATE and
   * the message's MESSAGE_UPDATE/MESSAGE_CREATE like Discord. Post in it with `sendMessage({ channelId: thread.id })`.
   */
  startThread(spec: ThreadSpec): ThreadView {
    const { world } = this;
    const owner = world.resolveUser(spec.owner ?? 'member');
    const channelId = spec.channelId ?? this.channel.id;
    const found = world.guildChannel(channelId);
    if (!found || !takesThreads(found.channel))
      throw new Error(`Channel ${channelId} is not a text, announcement or forum channel of a fake guild`);
    const { guild, channel } = found;
    const member = world.member(guild, owner.id);
    if (!member) throw new Error(`${owner.username} is not a member of ${guild.name}`);
    const invalid = validateThreadBody({ name: spec.name, auto_archive_duration: spec.autoArchiveDuration });
    if (invalid) throw new Error(`Invalid thread: ${JSON.stringify(invalid.errors)}`);
    const newThread = {
      guild,
      parent: channel,
      owner,
      name: spec.name,
      autoArchiveDuration: spec.autoArchiveDuration,
    };

    let thread: FakeThread;
    const messageEvents: [string, StoredMessage][] = [];
    if (isForum(channel)) {
      const post = startForumPost(world, newThread, (threadId) =>
        messagePayload({
          id: threadId,
          channelId: threadId,
          guildId: guild.id,
          author: owner,
          member,
          content: spec.content ?? spec.name,
          embeds: spec.embeds ?? [],
        }),
      );
      thread = post.thread;
      messageEvents.push(['MESSAGE_CREATE', post.message]);
    } else if (spec.messageId !== undefined) {
      const starter = world.messages.get(spec.messageId);
      if (!starter || starter.channel_id !== channelId)
        throw new Error(`No stored message ${spec.messageId} in channel ${channelId}`);
      if (world.threads.has(starter.id)) throw new Error(`Message ${starter.id} already has a thread`);
      const started = startThreadOnMessage(world, starter, newThread);
      thread = started.thread;
      messageEvents.push(['MESSAGE_UPDATE', started.starter]);
    } else {
      thread = startThreadWithoutMessage(world, newThread, publicThreadType(channel));
    }
    this.#tryDispatch('THREAD_CREATE', threadCreateEvent(world, thread), guild.id);
    for (const [event, message] of messageEvents) this.#tryDispatch(event, message, guild.id);
    return this.#threadView(thread);
  }

  /**
   * Dispatches INTERACTION_CREATE (slash command, autocomplete, button, select) and returns a
   * handle to await the bot's callback, edits and followups. Throws if no client is connected.
   */
  sendInteraction(spec: InteractionSpec): InteractionHandle {
    const record = buildInteraction(this.world, spec);
    this.world.interactions.set(record.id, record);
    this.world.interactionsByToken.set(record.token, record);
    const startIndex = this.#log.requests.length;
    const delivered = this.#gateway.dispatch('INTERACTION_CREATE', record.payload, record.guildId);
    return new InteractionHandle(this.#log, this.applicationId, record.payload, delivered, startIndex);
  }

  /**
   * Dispatches MESSAGE_CREATE for a user message (stored, so replies can reference it) and
   * returns a handle to await the bot's reply. Mentions default to the `<@id>`s in the content.
   */
  sendMessage(spec: MessageSpec): MessageHandle {
    const { world } = this;
    const author = world.resolveUser(spec.author ?? 'member');
    const channelId = spec.channelId ?? this.channel.id;
    const location = world.locateChannel(channelId);
    if (!location) throw new Error(`Unknown fake channel ${channelId}`);
    if (!location.thread && location.channel?.type === ChannelType.GuildForum)
      throw new Error(`Channel ${channelId} is a forum: post in one of its threads (discord.threads(id)[n].id)`);
    const guild = location.guild;
    const member = guild ? world.member(guild, author.id) : undefined;
    if (guild && !member) throw new Error(`${author.username} is not a member of ${guild.name}`);

    const referenced = spec.replyTo ? world.messages.get(spec.replyTo) : undefined;
    if (spec.replyTo && !referenced) throw new Error(`replyTo: no stored message ${spec.replyTo}`);
    const mentioned = spec.mentions
      ? spec.mentions.map((ref) => world.resolveUser(ref))
      : [...spec.content.matchAll(/<@!?(\d+)>/g)].flatMap((m) => {
          const user = world.users.get(m[1] ?? '');
          return user ? [user] : [];
        });
    if (referenced && !mentioned.some((u) => u.id === referenced.author.id)) {
      const repliedTo = world.users.get(referenced.author.id);
      if (repliedTo) mentioned.push(repliedTo);
    }
    const mentionRoles = spec.mentionRoles ?? [...spec.content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] ?? '');
    const canMentionEveryone = guild
      ? (computePermissions(guild, author.id) & PermissionFlagsBits.MentionEveryone) !== 0n
      : false;

    const message = messagePayload({
      id: nextSnowflake(),
      channelId,
      guildId: guild?.id ?? null,
      author,
      member,
      content: spec.content,
      type: referenced ? MessageType.Reply : MessageType.Default,
      mentions: mentioned.map((user) => ({ user, member: guild ? world.member(guild, user.id) : undefined })),
      mentionRoles,
      mentionEveryone: canMentionEveryone && /@(everyone|here)\b/.test(spec.content),
      embeds: spec.embeds ?? [],
      attachments: (spec.attachments ?? []).map((a, i) => ({
        id: a.id ?? nextSnowflake(),
        filename: a.filename ?? `file${i}.txt`,
        size: a.size ?? 0,
        url: a.url ?? `https://cdn.discordapp.com/attachments/${channelId}/${i}/${a.filename ?? 'file.txt'}`,
        proxy_url:
          a.proxy_url ?? `https://media.discordapp.net/attachments/${channelId}/${i}/${a.filename ?? 'file.txt'}`,
        ...a,
      })),
      referencedMessage: referenced ?? null,
    });
    world.storeMessage(message);
    const startIndex = this.#log.requests.length;
    const delivered = this.#gateway.dispatch('MESSAGE_CREATE', message, guild?.id ?? null);
    return new MessageHandle(this.#log, message, delivered, startIndex);
  }

  /** Dispatches if a session exists: without a connected client, Discord would not deliver it either. */
  #tryDispatch(event: string, data: unknown, guildId: string | null): boolean {
    try {
      return this.#gateway.dispatch(event, data, guildId);
    } catch {
      return false;
    }
  }

  /** Tells the client a guild channel changed (CHANNEL_UPDATE), and gives it a moment to apply it. */
  async #channelUpdated(channelId: string): Promise<void> {
    const guildId = this.world.locateChannel(channelId)?.guild?.id ?? null;
    if (this.#tryDispatch('CHANNEL_UPDATE', this.world.channelPayload(channelId), guildId))
      await sleep(CHANNEL_UPDATE_SETTLE_MS);
  }

  #threadView(thread: FakeThread): ThreadView {
    const starter = thread.starterMessageId ? (this.world.messages.get(thread.starterMessageId) ?? null) : null;
    return {
      id: thread.id,
      name: thread.name,
      type: thread.type,
      parentId: thread.parentId,
      guildId: thread.guildId,
      ownerId: thread.ownerId,
      autoArchiveDuration: thread.autoArchiveDuration,
      archived: thread.archived,
      locked: thread.locked,
      createdAt: thread.createdAt,
      starterMessage: starter,
      messages: this.world.messagesIn(thread.id).filter((m) => m.id !== thread.starterMessageId),
      channel: this.world.threadPayload(thread),
    };
  }

  /** Dispatches any raw gateway event to the shard owning `guildId` (shard 0 when null/omitted). */
  dispatch(event: string, data: unknown, guildId: string | null = null): boolean {
    return this.#gateway.dispatch(event, data, guildId);
  }

  // ── Waiting ───────────────────────────────────────────────────────────────

  /** Resolves with the first answered request matching `matcher` (searching from `from`, default: all so far). */
  waitForRequest(matcher: RequestMatcher, options: WaitOptions & { from?: number } = {}): Promise<RecordedRequest> {
    return this.#log.waitFor(matcher, { ...options, description: 'a matching request' });
  }

  /** The next message the bot posts in a channel (default: the first channel) from now on. */
  async nextMessage(options: WaitOptions & { channelId?: string } = {}): Promise<MessageBody> {
    const path = `/channels/${options.channelId ?? this.channel.id}/messages`;
    const request = await this.#log.waitFor((r) => !r.injected && r.method === 'POST' && r.path === path, {
      from: this.#log.requests.length,
      timeoutMs: options.timeoutMs,
      description: `a bot message (POST ${path})`,
    });
    return request.body ?? {};
  }

  /** Resolves once every shard has a connected, ready session (server view; see `loginFakeClient` for the client view). */
  async waitForReady(options: WaitOptions = {}): Promise<void> {
    if (this.#gateway.allShardsReady()) return;
    const timeoutMs = options.timeoutMs ?? this.#defaultTimeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      while (!this.#gateway.allShardsReady()) await once(this.#gateway, 'sessionReady', { signal: controller.signal });
    } catch {
      throw new Error(`Timed out after ${timeoutMs}ms waiting for the gateway sessions to become ready`);
    } finally {
      clearTimeout(timer);
    }
  }

  // ── Faults ────────────────────────────────────────────────────────────────

  /**
   * Makes the next `times` requests matching method/path fail with 429 (Retry-After) or another status.
   * discord.js retries 429s after Retry-After and 5xx up to `rest.retries` (3) times.
   */
  failNext(options: FailNextOptions = {}): void {
    const status = options.status ?? 429;
    const matcher = {
      ...(options.method ? { method: options.method } : {}),
      ...(options.path ? { path: options.path } : {}),
    };
    this.intercept(
      matcher,
      () =>
        status === 429
          ? rateLimitedResponse(options.retryAfter ?? 0.05, options.global ?? false)
          : { status, body: { code: 0, message: `${status}: Injected failure` } },
      options.times ?? 1,
    );
  }

  /** Answers the next `times` (default: all) matching requests with `respond` instead of the normal route. */
  intercept(
    matcher: RequestMatcher,
    respond: (request: RecordedRequest) => FakeResponse | null | Promise<FakeResponse | null>,
    times = Number.POSITIVE_INFINITY,
  ): void {
    this.#interceptors.push(interceptor(matcher, respond, times));
  }

  /** Answers the next `times` matching requests normally, but only after `ms`: a slow API. */
  slowNext(matcher: RequestMatcher, ms: number, times = 1): void {
    this.intercept(matcher, () => new Promise<null>((resolve) => setTimeout(() => resolve(null), ms)), times);
  }

  /**
   * Closes the gateway connection(s) with `code` (4000: resumable; 1000: client re-identifies;
   * 4004/4010–4014: client gives up). Resolves when each closed shard is usable again.
   */
  async closeGateway(code = 4000, options: CloseGatewayOptions = {}): Promise<GatewayReconnect[]> {
    const unrecoverable = (UNRECOVERABLE_CLOSE_CODES as readonly number[]).includes(code);
    const wait = options.waitForReconnect ?? !unrecoverable;
    const timeoutMs = options.timeoutMs ?? this.#defaultTimeoutMs;
    const pending = new Map<number, GatewayReconnect>();
    const reconnected = new Promise<GatewayReconnect[]>((resolve, reject) => {
      let shardIds: number[] = [];
      const onReady = (event: SessionReadyEvent) => {
        if (!shardIds.includes(event.shardId)) return;
        pending.set(event.shardId, { shardId: event.shardId, kind: event.kind });
        if (pending.size === shardIds.length) finish();
      };
      const timer = setTimeout(() => {
        this.#gateway.off('sessionReady', onReady);
        reject(new Error(`Timed out after ${timeoutMs}ms waiting for shard(s) ${shardIds.join(', ')} to reconnect`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#gateway.off('sessionReady', onReady);
        resolve(shardIds.map((id) => pending.get(id) ?? { shardId: id, kind: 'identify' }));
      };
      this.#gateway.on('sessionReady', onReady);
      shardIds = this.#gateway.closeConnections(code, {
        shardId: options.shardId,
        drop: options.drop ?? false,
        invalidate: options.invalidateSession ?? false,
        ...(options.reason ? { reason: options.reason } : {}),
      });
      if (!wait || shardIds.length === 0) {
        shardIds = [];
        finish();
      }
    });
    return reconnected;
  }

  /** Sends op 7 RECONNECT; discord.js closes, reconnects and resumes. Resolves when resumed. */
  async requestReconnect(options: WaitOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.#defaultTimeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const resumed = once(this.#gateway, 'sessionReady', { signal: controller.signal });
    this.#gateway.requestReconnect();
    try {
      await resumed;
    } catch {
      throw new Error(`Timed out after ${timeoutMs}ms waiting for the client to reconnect`);
    } finally {
      clearTimeout(timer);
    }
  }

  // ── Lifecycle ─────────────────────────────────────────────────────────────

  /** Closes every WebSocket and HTTP connection and the server. Destroy the discord.js client first. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#log.close();
    await this.#gateway.close();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}

/** Starts a fake Discord on 127.0.0.1 (random port). */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const server = createServer();
  server.keepAliveTimeout = 1000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return new FakeDiscord(server, port, options);
}

function messageKind(request: RecordedRequest): OutgoingMessage['kind'] | null {
  const { method, path } = request;
  if (/^\/channels\/\d+\/messages$/.test(path) && method === 'POST') return 'channel-message';
  if (/^\/channels\/\d+\/messages\/\d+$/.test(path) && method === 'PATCH') return 'channel-edit';
  if (/^\/channels\/\d+\/threads$/.test(path) && method === 'POST') return 'forum-post';
  if (/^\/interactions\/\d+\/[^/]+\/callback$/.test(path) && method === 'POST') {
    const type = (request.json as InteractionCallbackBody | null)?.type;
    return type === InteractionResponseType.ChannelMessageWithSource || type === InteractionResponseType.UpdateMessage
      ? 'interaction-callback'
      : null;
  }
  if (/^\/webhooks\/\d+\/[^/]+\/messages\/[^/]+$/.test(path) && method === 'PATCH') return 'webhook-edit';
  if (/^\/webhooks\/\d+\/[^/]+$/.test(path) && method === 'POST') return 'followup';
  return null;
}
