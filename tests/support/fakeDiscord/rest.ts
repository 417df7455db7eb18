/** The fake REST API: request parsing, recording, fault injection and the routes discord.js uses. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ChannelType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
} from 'discord.js';
import type { APIAttachment, APIMessageInteractionMetadata } from 'discord.js';
import { commandProblems, overwriteCommands, upsertCommand } from './commands.js';
import type { FakeGuild, FakeUser } from './fixtures.js';
import { computeChannelPermissions, nextSnowflake } from './fixtures.js';
import { guildCreatePayload, memberPayload, messagePayload, rolePayload, userPayload } from './payloads.js';
import type { RequestLog } from './requestLog.js';
import type { InteractionCallbackBody, MessageBody, RecordedFile, RecordedRequest, RequestMatcher } from './types.js';
import { toPredicate } from './requestLog.js';
import type { NewThread } from './threads.js';
import {
  isForum,
  publicThreadType,
  startForumPost,
  startThreadOnMessage,
  startThreadWithoutMessage,
  takesThreads,
  threadCreateEvent,
} from './threads.js';
import { missingForumMessage, validateChoices, validateMessageBody, validateThreadBody } from './validate.js';
import type { ChannelLocation, InteractionRecord, StoredMessage, ThreadType, World } from './world.js';

/** What a route (or an interceptor) answers. */
export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A one-off or repeated override of what some requests get. */
export interface Interceptor {
  matches: (request: RecordedRequest) => boolean;
  remaining: number;
  /** The answer, or `null` to answer normally after all (e.g. once a delay has passed). */
  respond: (request: RecordedRequest) => FakeResponse | null | Promise<FakeResponse | null>;
}

/** What the REST half needs from the rest of the fake. */
export interface RestDeps {
  world: World;
  log: RequestLog;
  interceptors: Interceptor[];
  validate: boolean;
  interactionDeadlineMs: number | null;
  /** `GET /gateway/bot` body. */
  gatewayInfo: () => unknown;
  /** Delivers a bot-caused event (e.g. MESSAGE_CREATE of its own message) over the gateway; best effort. */
  echo: (event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE' | 'MESSAGE_DELETE', data: unknown, guildId: string | null) => void;
  /** Delivers any other event the bot's request causes (e.g. THREAD_CREATE) over the gateway; best effort. */
  dispatch: (event: string, data: unknown, guildId: string | null) => void;
}

interface RouteContext {
  request: RecordedRequest;
  param: (name: string) => string;
}

type Handler = (ctx: RouteContext) => FakeResponse | Promise<FakeResponse>;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

const json = (body: unknown, status = 200): FakeResponse => ({ status, body });
const noContent = (): FakeResponse => ({ status: 204 });
const error = (status: number, code: number, message: string, extra: Record<string, unknown> = {}): FakeResponse => ({
  status,
  body: { code, message, ...extra },
});
const unknownChannel = () => error(404, 10003, 'Unknown Channel');
const unknownMessage = () => error(404, 10008, 'Unknown Message');
const unknownWebhook = () => error(404, 10015, 'Unknown Webhook');
const unknownInteraction = () => error(404, 10062, 'Unknown interaction');
const missingPermissions = () => error(403, 50013, 'Missing Permissions');
const wrongChannelType = () => error(400, 50024, 'Cannot execute action on this channel type');

/** Answer used by `failNext` for 429s (headers as Discord sends them). */
export function rateLimitedResponse(retryAfterSeconds: number, global: boolean): FakeResponse {
  return {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global },
    headers: {
      'retry-after': String(retryAfterSeconds),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': String(retryAfterSeconds),
      'x-ratelimit-bucket': 'fake-bucket',
      'x-ratelimit-scope': global ? 'global' : 'user',
      ...(global ? { 'x-ratelimit-global': 'true' } : {}),
    },
  };
}

/** Creates the HTTP request listener of the fake REST API. */
export function createRestHandler(deps: RestDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = buildRoutes(deps);
  return (req, res) => {
    void handle(deps, routes, req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 0, message: `Fake Discord crashed: ${String(err)}` }));
      }
    });
  };
}

async function handle(deps: RestDeps, routes: Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://fake.discord');
  const prefix = /^\/api\/v\d+(?=\/)/.exec(url.pathname);
  const path = decodePath(prefix ? url.pathname.slice(prefix[0].length) : url.pathname);
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );
  const { json: parsed, files } = await parseBody(headers['content-type'] ?? '', raw);
  const request = deps.log.add({
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: isPlainObject(parsed) ? parsed : null,
    json: parsed,
    files,
    status: 0,
    response: undefined,
    injected: false,
    at: Date.now(),
  });

  let response: FakeResponse | null = null;
  const interceptor = deps.interceptors.find((i) => i.remaining > 0 && i.matches(request));
  if (interceptor) {
    interceptor.remaining -= 1;
    response = await interceptor.respond(request);
    request.injected = response !== null;
  }
  if (response !== null) {
    // answered by the interceptor
  } else if (!prefix) {
    response = error(404, 0, '404: Not Found');
  } else {
    response = await route(routes, request);
  }

  request.status = response.status;
  request.response = response.body;
  const body = response.status === 204 || response.body === undefined ? undefined : JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...response.headers,
  });
  res.end(body);
  deps.log.complete(request);
}

async function route(routes: Route[], request: RecordedRequest): Promise<FakeResponse> {
  const segments = request.path.split('/').filter(Boolean);
  const needsAuth = segments[0] !== 'interactions' && segments[0] !== 'webhooks';
  if (needsAuth && !/^Bot \S+/.test(request.headers['authorization'] ?? '')) {
    return error(401, 0, '401: Unauthorized');
  }
  for (const candidate of routes) {
    if (candidate.method !== request.method || candidate.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matched = candidate.segments.every((seg, i) => {
      const actual = segments[i] ?? '';
      if (seg.startsWith(':')) {
        params[seg.slice(1)] = actual;
        return true;
      }
      return seg === actual;
    });
    if (!matched) continue;
    const param = (name: string): string => {
      const value = params[name];
      if (value === undefined) throw new Error(`Route param ${name} missing`);
      return value;
    };
    return candidate.handler({ request, param });
  }
  return error(404, 0, `404: Not Found (fake Discord has no route for ${request.method} ${request.path})`);
}

function buildRoutes(deps: RestDeps): Route[] {
  const { world } = deps;
  const routes: Route[] = [];
  const on = (method: string, pattern: string, handler: Handler) =>
    routes.push({ method, segments: pattern.split('/').filter(Boolean), handler });

  // Gateway & identity
  on('GET', '/gateway/bot', () => json(deps.gatewayInfo()));
  on('GET', '/gateway', () => json({ url: (deps.gatewayInfo() as { url: string }).url }));
  on('GET', '/users/@me', () => json(userPayload(world.botUser)));
  on('GET', '/users/:userId', ({ param }) => {
    const user = world.users.get(param('userId'));
    return user ? json(userPayload(user)) : error(404, 10013, 'Unknown User');
  });
  on('POST', '/users/@me/channels', ({ request }) => {
    const recipient = request.body?.['recipient_id'];
    const user = world.users.get(typeof recipient === 'string' ? recipient : '');
    if (!user) return error(400, 50033, 'Invalid Recipient(s)');
    return json(world.channelPayload(world.dmChannelId(user)));
  });
  on('GET', '/applications/@me', () =>
    json({
      id: world.applicationId,
      name: world.botUser.username,
      icon: null,
      description: 'Fake application',
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      bot: userPayload(world.botUser),
      owner: userPayload(world.resolveUser(world.userKeys.has('owner') ? 'owner' : world.botUserId)),
      team: null,
    }),
  );

  // Application commands (global and guild scoped)
  for (const scope of ['/applications/:appId', '/applications/:appId/guilds/:guildId'] as const) {
    const guildOf = (param: RouteContext['param']) => (scope.includes(':guildId') ? param('guildId') : null);
    const checkApp = (param: RouteContext['param']): FakeResponse | null => {
      if (param('appId') !== world.applicationId) return error(403, 50001, 'Missing Access');
      const guildId = guildOf(param);
      if (guildId !== null && !world.guild(guildId)) return error(403, 50001, 'Missing Access');
      return null;
    };
    on('GET', `${scope}/commands`, ({ param }) => checkApp(param) ?? json(world.commandsIn(guildOf(param))));
    on('PUT', `${scope}/commands`, ({ param, request }) => {
      const denied = checkApp(param);
      if (denied) return denied;
      if (!Array.isArray(request.json))
        return error(400, 50035, 'Invalid Form Body', { errors: { _errors: 'Expected an array' } });
      const inputs = request.json as Record<string, unknown>[];
      if (inputs.length > 100) return error(400, 30032, 'Maximum number of application commands reached (100)');
      const problems = deps.validate ? inputs.flatMap((c, i) => commandProblems(c, String(i))) : [];
      const names = inputs.map((c) => `${Number(c['type'] ?? 1)}:${String(c['name'])}`);
      if (new Set(names).size !== names.length) problems.push('Application command names must be unique');
      if (problems.length) return error(400, 50035, 'Invalid Form Body', { errors: problems });
      return json(overwriteCommands(world, inputs, guildOf(param)));
    });
    on('POST', `${scope}/commands`, ({ param, request }) => {
      const denied = checkApp(param);
      if (denied) return denied;
      const input = request.body ?? {};
      const problems = deps.validate ? commandProblems(input, 'body') : [];
      if (problems.length) return error(400, 50035, 'Invalid Form Body', { errors: problems });
      const existed = world.commandsIn(guildOf(param)).some((c) => c.name === input['name']);
      return json(upsertCommand(world, input, guildOf(param)), existed ? 200 : 201);
    });
    on('GET', `${scope}/commands/:commandId`, ({ param }) => {
      const command = world.commands.get(param('commandId'));
      return checkApp(param) ?? (command ? json(command) : error(404, 10063, 'Unknown application command'));
    });
    on('PATCH', `${scope}/commands/:commandId`, ({ param, request }) => {
      const command = world.commands.get(param('commandId'));
      if (!command) return error(404, 10063, 'Unknown application command');
      return checkApp(param) ?? json(upsertCommand(world, { ...command, ...request.body }, guildOf(param)));
    });
    on(
      'DELETE',
      `${scope}/commands/:commandId`,
      ({ param }) =>
        checkApp(param) ??
        (world.commands.delete(param('commandId')) ? noContent() : error(404, 10063, 'Unknown application command')),
    );
  }

  // Guilds
  const withGuild =
    (handler: (guild: FakeGuild, ctx: RouteContext) => FakeResponse): Handler =>
    (ctx) => {
      const guild = world.guild(ctx.param('guildId'));
      return guild && !guild.unavailable ? handler(guild, ctx) : error(404, 10004, 'Unknown Guild');
    };
  on(
    'GET',
    '/guilds/:guildId',
    withGuild((guild) => {
      const {
        members: _m,
        channels: _c,
        threads: _t,
        presences: _p,
        voice_states: _v,
        ...rest
      } = guildCreatePayload(guild, world.users);
      return json(rest);
    }),
  );
  on(
    'GET',
    '/guilds/:guildId/channels',
    withGuild((guild) => json(guild.channels.map((c) => world.channelPayload(c.id)))),
  );
  on(
    'GET',
    '/guilds/:guildId/threads/active',
    withGuild((guild) => {
      const threads = world.activeThreads(guild.id);
      // The bot's memberships of those threads, as Discord lists them alongside.
      const members = threads.flatMap((payload) => {
        const thread = world.thread(payload.id);
        const member = thread ? world.threadPayload(thread, true).member : undefined;
        return member ? [member] : [];
      });
      return json({ threads, members });
    }),
  );
  on(
    'GET',
    '/guilds/:guildId/roles',
    withGuild((guild) => json(guild.roles.map(rolePayload))),
  );
  on(
    'GET',
    '/guilds/:guildId/members',
    withGuild((guild) => json(guildMembers(world, guild))),
  );
  on(
    'GET',
    '/guilds/:guildId/members/:userId',
    withGuild((guild, { param }) => {
      const member = guild.members.find((m) => m.userId === param('userId'));
      const user = world.users.get(param('userId'));
      return member && user ? json(memberPayload(member, user)) : error(404, 10007, 'Unknown Member');
    }),
  );

  // Channels & messages
  on('GET', '/channels/:channelId', ({ param }) => {
    const channel = world.channelPayload(param('channelId'));
    return channel ? json(channel) : unknownChannel();
  });
  on('POST', '/channels/:channelId/typing', ({ param }) =>
    world.locateChannel(param('channelId')) ? noContent() : unknownChannel(),
  );
  on('GET', '/channels/:channelId/messages', ({ param, request }) => {
    if (!world.locateChannel(param('channelId'))) return unknownChannel();
    const limit = Math.min(Number(request.query['limit'] ?? 50), 100);
    const before = request.query['before'];
    const newestFirst = world.messagesIn(param('channelId')).reverse();
    const filtered = before ? newestFirst.filter((m) => BigInt(m.id) < BigInt(before)) : newestFirst;
    return json(filtered.slice(0, limit));
  });
  on('GET', '/channels/:channelId/messages/:messageId', ({ param }) => {
    const message = world.messages.get(param('messageId'));
    return message && message.channel_id === param('channelId') ? json(message) : unknownMessage();
  });
  on('POST', '/channels/:channelId/messages', ({ param, request }) =>
    createChannelMessage(deps, param('channelId'), request),
  );
  on('PATCH', '/channels/:channelId/messages/:messageId', ({ param, request }) => {
    const message = world.messages.get(param('messageId'));
    if (!message || message.channel_id !== param('channelId')) return unknownMessage();
    if (message.author.id !== world.botUserId)
      return error(403, 50005, 'Cannot edit a message authored by another user');
    return editMessage(deps, message, request);
  });
  on('DELETE', '/channels/:channelId/messages/:messageId', ({ param }) => {
    const message = world.messages.get(param('messageId'));
    if (!message || message.channel_id !== param('channelId')) return unknownMessage();
    return deleteMessage(deps, message);
  });
  on('POST', '/channels/:channelId/messages/:messageId/threads', ({ param, request }) =>
    startThreadFromMessage(deps, param('channelId'), param('messageId'), request),
  );
  on('POST', '/channels/:channelId/threads', ({ param, request }) => startThread(deps, param('channelId'), request));
  const threadMembership: Handler = ({ param }) => {
    const location = world.locateChannel(param('channelId'));
    if (!location) return unknownChannel();
    return location.thread ? noContent() : wrongChannelType();
  };
  on('PUT', '/channels/:channelId/thread-members/@me', threadMembership);
  on('DELETE', '/channels/:channelId/thread-members/@me', threadMembership);
  const reaction: Handler = ({ param }) => {
    const message = world.messages.get(param('messageId'));
    return message && message.channel_id === param('channelId') ? noContent() : unknownMessage();
  };
  on('PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', reaction);
  on('DELETE', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', reaction);

  // Interactions
  on('POST', '/interactions/:interactionId/:token/callback', ({ param, request }) =>
    interactionCallback(deps, param('interactionId'), param('token'), request),
  );
  const withWebhook =
    (handler: (record: InteractionRecord, ctx: RouteContext) => FakeResponse): Handler =>
    (ctx) => {
      const record = world.interactionsByToken.get(ctx.param('token'));
      if (!record || ctx.param('appId') !== world.applicationId) return unknownWebhook();
      return handler(record, ctx);
    };
  const webhookMessage = (record: InteractionRecord, messageId: string): StoredMessage | undefined => {
    const id = messageId === '@original' ? record.originalMessageId : messageId;
    if (!id || (messageId !== '@original' && !record.followupIds.includes(id))) return undefined;
    return world.messages.get(id);
  };
  on(
    'POST',
    '/webhooks/:appId/:token',
    withWebhook((record, { request }) => {
      if (record.callbackType === null) return unknownWebhook();
      const body = request.body ?? {};
      const invalid = deps.validate
        ? validateMessageBody(body, { requireContent: true, fileCount: request.files.length })
        : null;
      if (invalid) return json(invalid, 400);
      const message = createInteractionMessage(deps, record, body, request.files, false);
      record.followupIds.push(message.id);
      return json(message);
    }),
  );
  on(
    'GET',
    '/webhooks/:appId/:token/messages/:messageId',
    withWebhook((record, { param }) => {
      const message = webhookMessage(record, param('messageId'));
      return message ? json(message) : unknownMessage();
    }),
  );
  on(
    'PATCH',
    '/webhooks/:appId/:token/messages/:messageId',
    withWebhook((record, { param, request }) => {
      const message = webhookMessage(record, param('messageId'));
      return message ? editMessage(deps, message, request) : unknownMessage();
    }),
  );
  on(
    'DELETE',
    '/webhooks/:appId/:token/messages/:messageId',
    withWebhook((record, { param }) => {
      const message = webhookMessage(record, param('messageId'));
      return message ? deleteMessage(deps, message) : unknownMessage();
    }),
  );

  return routes;
}

function guildMembers(world: World, guild: FakeGuild) {
  return guild.members.flatMap((member) => {
    const user = world.users.get(member.userId);
    return user ? [memberPayload(member, user)] : [];
  });
}

/** Users/roles a message really pings, honouring `allowed_mentions` like Discord does. */
function parseMentions(
  world: World,
  guild: FakeGuild | null,
  body: MessageBody,
  referenced: StoredMessage | undefined,
): { users: FakeUser[]; roles: string[]; everyone: boolean } {
  const content = body.content ?? '';
  const allowed = body.allowed_mentions;
  const parse = allowed?.parse;
  const allows = (kind: 'users' | 'roles' | 'everyone', id?: string) =>
    allowed === undefined ||
    ((parse as string[] | undefined)?.includes(kind) ?? false) ||
    (kind === 'users' && id !== undefined && (allowed.users?.includes(id) ?? false)) ||
    (kind === 'roles' && id !== undefined && (allowed.roles?.includes(id) ?? false));
  const userIds = new Set(
    [...content.matchAll(/<@!?(\d{15,25})>/g)].map((m) => m[1] ?? '').filter((id) => allows('users', id)),
  );
  if (referenced && (allowed?.replied_user ?? allowed === undefined)) userIds.add(referenced.author.id);
  const roles = [...content.matchAll(/<@&(\d{15,25})>/g)]
    .map((m) => m[1] ?? '')
    .filter((id) => allows('roles', id) && (guild?.roles.some((r) => r.id === id) ?? false));
  return {
    users: [...userIds].flatMap((id) => {
      const user = world.users.get(id);
      return user ? [user] : [];
    }),
    roles,
    everyone: /@(everyone|here)\b/.test(content) && allows('everyone'),
  };
}

function attachmentsFrom(channelId: string, files: RecordedFile[], body: MessageBody): APIAttachment[] {
  return files.map((file, index) => {
    const id = nextSnowflake();
    const meta = body.attachments?.find((a) => String(a.id) === String(index));
    return {
      id,
      filename: file.filename,
      size: file.data.length,
      url: `https://cdn.discordapp.com/attachments/${channelId}/${id}/${file.filename}`,
      proxy_url: `https://media.discordapp.net/attachments/${channelId}/${id}/${file.filename}`,
      content_type: file.contentType,
      ...(meta?.description ? { description: meta.description } : {}),
    };
  });
}

function createChannelMessage(deps: RestDeps, channelId: string, request: RecordedRequest): FakeResponse {
  const { world } = deps;
  const location = world.locateChannel(channelId);
  if (!location) return unknownChannel();
  const body = request.body ?? {};
  if (deps.validate) {
    const invalid = validateMessageBody(body, { requireContent: true, fileCount: request.files.length });
    if (invalid) return json(invalid, 400);
  }
  const guild = location.guild;
  if (location.channel && !location.thread && !takesMessages(location.channel.type)) {
    return error(400, 50008, 'Cannot send messages in a non-text channel');
  }
  const referenceId = body.message_reference?.message_id;
  const needed =
    PermissionFlagsBits.ViewChannel |
    (location.thread ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages) |
    messageBodyPermissions(body, request.files.length) |
    (referenceId ? PermissionFlagsBits.ReadMessageHistory : 0n);
  if (!botMay(world, location, needed)) return missingPermissions();
  const referenced = referenceId ? world.messages.get(referenceId) : undefined;
  if (referenceId && !referenced && body.message_reference?.fail_if_not_exists !== false) {
    return error(400, 50035, 'Invalid Form Body', {
      errors: {
        message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] },
      },
    });
  }
  const mentions = parseMentions(world, guild, body, referenced);
  const message = messagePayload({
    id: nextSnowflake(),
    channelId,
    guildId: guild?.id ?? null,
    author: world.botUser,
    member: guild ? world.member(guild, world.botUserId) : undefined,
    content: body.content ?? '',
    type: referenced ? MessageType.Reply : MessageType.Default,
    mentions: mentions.users.map((user) => ({ user, member: guild ? world.member(guild, user.id) : undefined })),
    mentionRoles: mentions.roles,
    mentionEveryone: mentions.everyone,
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    attachments: attachmentsFrom(channelId, request.files, body),
    flags: (body.flags ?? 0) & ~MessageFlags.Ephemeral,
    tts: body.tts ?? false,
    nonce: body.nonce,
    referencedMessage: referenced ?? null,
  });
  world.storeMessage(message);
  deps.echo('MESSAGE_CREATE', message, guild?.id ?? null);
  return json(message);
}

/** Whether a guild channel of `type` takes messages itself (forums take posts, categories nothing). */
function takesMessages(type: ChannelType | undefined): boolean {
  return type !== ChannelType.GuildForum && type !== ChannelType.GuildCategory;
}

/** Permissions a message's content needs beyond sending: EMBED_LINKS for embeds, ATTACH_FILES for files. */
function messageBodyPermissions(body: MessageBody, fileCount: number): bigint {
  return (
    (body.embeds?.length ? PermissionFlagsBits.EmbedLinks : 0n) |
    (fileCount || body.attachments?.length ? PermissionFlagsBits.AttachFiles : 0n)
  );
}

/** Whether the bot has every permission in `needed` where `location` is (a thread: its parent's); DMs allow all. */
function botMay(world: World, location: ChannelLocation, needed: bigint): boolean {
  if (!location.guild || !location.channel) return true;
  return (computeChannelPermissions(location.guild, location.channel, world.botUserId) & needed) === needed;
}

/** The thread fields of a start-thread body, once validated. */
function threadSpec(world: World, location: ChannelLocation, body: Record<string, unknown>): NewThread {
  const { guild, channel } = location;
  if (!guild || !channel) throw new Error('unreachable: a thread needs a guild channel');
  const duration = body['auto_archive_duration'];
  const slowmode = body['rate_limit_per_user'];
  return {
    guild,
    parent: channel,
    owner: world.botUser,
    name: typeof body['name'] === 'string' ? body['name'] : '',
    autoArchiveDuration: typeof duration === 'number' ? duration : undefined,
    rateLimitPerUser: typeof slowmode === 'number' ? slowmode : undefined,
  };
}

/** Tells the gateway about a new thread, then answers with the thread (and `extra`, e.g. a forum post's message). */
function announceThread(
  deps: RestDeps,
  thread: Parameters<typeof threadCreateEvent>[1],
  extra: Record<string, unknown> = {},
): FakeResponse {
  deps.dispatch('THREAD_CREATE', threadCreateEvent(deps.world, thread), thread.guildId);
  return json({ ...deps.world.threadPayload(thread, true), ...extra }, 201);
}

/** `POST /channels/:channelId/messages/:messageId/threads`: a public (or announcement) thread on a message. */
function startThreadFromMessage(
  deps: RestDeps,
  channelId: string,
  messageId: string,
  request: RecordedRequest,
): FakeResponse {
  const { world } = deps;
  const location = world.locateChannel(channelId);
  if (!location) return unknownChannel();
  if (!location.channel || location.thread || !takesThreads(location.channel) || isForum(location.channel))
    return wrongChannelType();
  const starter = world.messages.get(messageId);
  if (!starter || starter.channel_id !== channelId) return unknownMessage();
  const body = request.body ?? {};
  const invalid = validateThreadBody(body, deps.validate);
  if (invalid) return json(invalid, 400);
  if (!botMay(world, location, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.CreatePublicThreads))
    return missingPermissions();
  if (world.threads.has(messageId)) return error(400, 160004, 'A thread has already been created for this message');
  const { thread, starter: updated } = startThreadOnMessage(world, starter, threadSpec(world, location, body));
  const response = announceThread(deps, thread);
  deps.echo('MESSAGE_UPDATE', updated, thread.guildId);
  return response;
}

/**
 * `POST /channels/:channelId/threads`: in a forum, a post (thread + first message, answered with the
 * thread and its `message`); in a text/announcement channel, a thread without a starter message.
 */
function startThread(deps: RestDeps, channelId: string, request: RecordedRequest): FakeResponse {
  const { world } = deps;
  const location = world.locateChannel(channelId);
  if (!location) return unknownChannel();
  const { guild, channel } = location;
  if (!guild || !channel || location.thread || !takesThreads(channel)) return wrongChannelType();
  const body = request.body ?? {};
  const invalid = validateThreadBody(body, deps.validate);
  if (invalid) return json(invalid, 400);

  if (!isForum(channel)) {
    const requested = body['type'];
    const type = (requested ?? publicThreadType(channel)) as ThreadType;
    const allowed =
      channel.type === ChannelType.GuildAnnouncement
        ? [ChannelType.AnnouncementThread]
        : [ChannelType.PublicThread, ChannelType.PrivateThread];
    if (!allowed.includes(type)) {
      return error(400, 50035, 'Invalid Form Body', {
        errors: {
          type: { _errors: [{ code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${allowed.join(', ')}}.` }] },
        },
      });
    }
    const create =
      type === ChannelType.PrivateThread
        ? PermissionFlagsBits.CreatePrivateThreads
        : PermissionFlagsBits.CreatePublicThreads;
    if (!botMay(world, location, PermissionFlagsBits.ViewChannel | create)) return missingPermissions();
    return announceThread(deps, startThreadWithoutMessage(world, threadSpec(world, location, body), type));
  }

  const message = body['message'];
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    return json(missingForumMessage(), 400);
  const messageBody = message as MessageBody;
  if (deps.validate) {
    const invalidMessage = validateMessageBody(messageBody, {
      requireContent: true,
      fileCount: request.files.length,
      prefix: 'message.',
    });
    if (invalidMessage) return json(invalidMessage, 400);
  }
  // Posting in a forum is its Send Messages ("Create Posts") permission, as on Discord.
  const needed =
    PermissionFlagsBits.ViewChannel |
    PermissionFlagsBits.SendMessages |
    messageBodyPermissions(messageBody, request.files.length);
  if (!botMay(world, location, needed)) return missingPermissions();
  const mentions = parseMentions(world, guild, messageBody, undefined);
  const { thread, message: first } = startForumPost(world, threadSpec(world, location, body), (threadId) =>
    messagePayload({
      id: threadId,
      channelId: threadId,
      guildId: guild.id,
      author: world.botUser,
      member: world.member(guild, world.botUserId),
      content: messageBody.content ?? '',
      mentions: mentions.users.map((user) => ({ user, member: world.member(guild, user.id) })),
      mentionRoles: mentions.roles,
      mentionEveryone: mentions.everyone,
      embeds: messageBody.embeds ?? [],
      components: messageBody.components ?? [],
      attachments: attachmentsFrom(threadId, request.files, messageBody),
      flags: (messageBody.flags ?? 0) & ~MessageFlags.Ephemeral,
      nonce: messageBody.nonce,
    }),
  );
  const appliedTags = body['applied_tags'];
  if (Array.isArray(appliedTags)) thread.appliedTags = appliedTags.map(String);
  const response = announceThread(deps, thread, { message: first });
  deps.echo('MESSAGE_CREATE', first, guild.id);
  return response;
}

function editMessage(deps: RestDeps, message: StoredMessage, request: RecordedRequest): FakeResponse {
  const body = request.body ?? {};
  if (deps.validate) {
    const invalid = validateMessageBody(body, { requireContent: false, fileCount: request.files.length });
    if (invalid) return json(invalid, 400);
  }
  const updated: StoredMessage = { ...message, edited_timestamp: new Date().toISOString() };
  applyMessageBody(updated, body, request.files);
  if ((message.flags ?? 0) & MessageFlags.Loading) updated.flags = (updated.flags ?? 0) & ~MessageFlags.Loading;
  deps.world.storeMessage(updated);
  if (!((updated.flags ?? 0) & MessageFlags.Ephemeral)) deps.echo('MESSAGE_UPDATE', updated, updated.guild_id ?? null);
  return json(updated);
}

function deleteMessage(deps: RestDeps, message: StoredMessage): FakeResponse {
  deps.world.deleteMessage(message.id);
  if (!((message.flags ?? 0) & MessageFlags.Ephemeral)) {
    deps.echo(
      'MESSAGE_DELETE',
      { id: message.id, channel_id: message.channel_id, ...(message.guild_id ? { guild_id: message.guild_id } : {}) },
      message.guild_id ?? null,
    );
  }
  return noContent();
}

/** Copies the message fields present in an edit body onto a stored message. */
function applyMessageBody(target: StoredMessage, body: MessageBody, files: RecordedFile[]): void {
  if (body.content !== undefined) target.content = body.content ?? '';
  if (body.embeds !== undefined) target.embeds = body.embeds ?? [];
  if (body.components !== undefined) target.components = body.components ?? [];
  if (body.flags !== undefined) {
    const keep = (target.flags ?? 0) & (MessageFlags.Ephemeral | MessageFlags.Loading);
    target.flags = keep | ((body.flags ?? 0) & ~(MessageFlags.Ephemeral | MessageFlags.Loading));
  }
  if (body.attachments !== undefined || files.length) {
    const keptIds = new Set((body.attachments ?? []).map((a) => String(a.id)));
    const kept =
      body.attachments === undefined ? target.attachments : target.attachments.filter((a) => keptIds.has(a.id));
    target.attachments = [...kept, ...attachmentsFrom(target.channel_id, files, body)];
  }
}

const ALLOWED_CALLBACKS: Record<number, InteractionResponseType[]> = {
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

function interactionCallback(
  deps: RestDeps,
  interactionId: string,
  token: string,
  request: RecordedRequest,
): FakeResponse {
  const { world } = deps;
  const record = world.interactions.get(interactionId);
  if (!record || record.token !== token) return unknownInteraction();
  if (record.callbackType !== null) return error(400, 40060, 'Interaction has already been acknowledged.');
  if (deps.interactionDeadlineMs !== null && Date.now() - record.createdAt > deps.interactionDeadlineMs) {
    return unknownInteraction();
  }
  const body = (request.json ?? {}) as InteractionCallbackBody;
  const allowed = ALLOWED_CALLBACKS[record.type] ?? [];
  if (!allowed.includes(body.type)) {
    return error(400, 50035, 'Invalid Form Body', {
      errors: {
        type: {
          _errors: [
            {
              code: 'INTERACTION_RESPONSE_TYPE_INVALID',
              message: `Callback type ${body.type} is not valid for interaction type ${record.type}`,
            },
          ],
        },
      },
    });
  }
  const data = body.data ?? {};
  if (deps.validate) {
    let invalid = null;
    if (body.type === InteractionResponseType.ApplicationCommandAutocompleteResult)
      invalid = validateChoices(body.data);
    else if (body.type === InteractionResponseType.ChannelMessageWithSource) {
      invalid = validateMessageBody(data, { requireContent: true, fileCount: request.files.length, prefix: 'data.' });
    } else if (body.type === InteractionResponseType.UpdateMessage) {
      invalid = validateMessageBody(data, { requireContent: false, fileCount: request.files.length, prefix: 'data.' });
    }
    if (invalid) return json(invalid, 400);
  }

  record.callbackType = body.type;
  let message: StoredMessage | undefined;
  switch (body.type) {
    case InteractionResponseType.ChannelMessageWithSource:
      message = createInteractionMessage(deps, record, data, request.files, true);
      break;
    case InteractionResponseType.DeferredChannelMessageWithSource:
      message = createInteractionMessage(
        deps,
        record,
        { content: '', flags: (data.flags ?? 0) | MessageFlags.Loading },
        [],
        true,
      );
      break;
    case InteractionResponseType.UpdateMessage:
    case InteractionResponseType.DeferredMessageUpdate: {
      const original = record.originalMessageId ? world.messages.get(record.originalMessageId) : undefined;
      if (original && body.type === InteractionResponseType.UpdateMessage) {
        const updated: StoredMessage = { ...original, edited_timestamp: new Date().toISOString() };
        applyMessageBody(updated, data, request.files);
        world.storeMessage(updated);
        if (!((updated.flags ?? 0) & MessageFlags.Ephemeral))
          deps.echo('MESSAGE_UPDATE', updated, updated.guild_id ?? null);
      }
      message = original;
      break;
    }
    default:
      break;
  }

  if (request.query['with_response'] !== 'true') return noContent();
  return json({
    interaction: {
      id: record.id,
      type: record.type,
      activity_instance_id: null,
      response_message_id: message?.id ?? null,
      response_message_loading: body.type === InteractionResponseType.DeferredChannelMessageWithSource,
      response_message_ephemeral: ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
    },
    ...(message ? { resource: { type: body.type, message: world.messages.get(message.id) } } : {}),
  });
}

/** Creates (and stores / echoes) an interaction reply or followup message. */
function createInteractionMessage(
  deps: RestDeps,
  record: InteractionRecord,
  body: MessageBody,
  files: RecordedFile[],
  original: boolean,
): StoredMessage {
  const { world } = deps;
  const guild = record.guildId ? (world.guild(record.guildId) ?? null) : null;
  const mentions = parseMentions(world, guild, body, undefined);
  const metadata = {
    id: record.id,
    type: record.type,
    user: userPayload(record.user),
    authorizing_integration_owners: record.payload.authorizing_integration_owners,
    ...(record.type === InteractionType.MessageComponent && record.originalMessageId
      ? { interacted_message_id: record.originalMessageId }
      : {}),
  } as APIMessageInteractionMetadata;
  const message = messagePayload({
    id: nextSnowflake(),
    channelId: record.channelId,
    guildId: record.guildId,
    author: world.botUser,
    content: body.content ?? '',
    type:
      original && record.type === InteractionType.ApplicationCommand
        ? MessageType.ChatInputCommand
        : MessageType.Default,
    mentions: mentions.users.map((user) => ({ user, member: guild ? world.member(guild, user.id) : undefined })),
    mentionRoles: mentions.roles,
    mentionEveryone: mentions.everyone,
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    attachments: attachmentsFrom(record.channelId, files, body),
    flags: body.flags ?? 0,
    tts: body.tts ?? false,
    webhookId: world.applicationId,
    applicationId: world.applicationId,
    interactionMetadata: metadata,
  });
  world.storeMessage(message);
  if (original) record.originalMessageId = message.id;
  if (!((message.flags ?? 0) & MessageFlags.Ephemeral)) deps.echo('MESSAGE_CREATE', message, record.guildId);
  return message;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses JSON bodies and multipart bodies (`payload_json` + `files[n]`). */
async function parseBody(contentType: string, raw: Buffer): Promise<{ json: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { json: null, files: [] };
  if (contentType.startsWith('application/json')) {
    try {
      return { json: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
    } catch {
      return { json: null, files: [] };
    }
  }
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    let parsed: unknown = null;
    const files: RecordedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') parsed = JSON.parse(value) as unknown;
      } else {
        files.push({
          field,
          filename: value.name,
          contentType: value.type || 'application/octet-stream',
          data: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { json: parsed, files };
  }
  return { json: null, files: [] };
}

/** Builds an interceptor from a matcher. */
export function interceptor(matcher: RequestMatcher, respond: Interceptor['respond'], times: number): Interceptor {
  return { matches: toPredicate(matcher), remaining: times, respond };
}
