/** The fake gateway: HELLO/IDENTIFY/RESUME/heartbeats, sessions with replay, dispatch routing by shard. */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import type { ApplicationFlags, GatewayReadyDispatchData } from 'discord.js';
import { WebSocket, WebSocketServer } from 'ws';
import { randomHex, shardForGuild } from './fixtures.js';
import { guildCreatePayload, memberPayload, userPayload } from './payloads.js';
import type { World } from './world.js';

/** A payload the client sent over the gateway. */
export interface ReceivedGatewayPayload {
  op: number;
  d: unknown;
  /** Session the connection belonged to at the time (null before IDENTIFY/RESUME). */
  sessionId: string | null;
  at: number;
}

/** Public view of a gateway session. */
export interface GatewaySessionInfo {
  sessionId: string;
  shardId: number;
  shardCount: number;
  intents: number;
  /** Last sequence number dispatched. */
  seq: number;
  connected: boolean;
  /** Invalidated sessions answer RESUME with op 9. */
  invalid: boolean;
}

/** How a shard got (back) to a working session. */
export interface SessionReadyEvent {
  shardId: number;
  kind: 'identify' | 'resume';
  sessionId: string;
}

interface DispatchEntry {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

interface Connection {
  socket: WebSocket;
  url: string;
  session: Session | null;
}

interface Session {
  id: string;
  shardId: number;
  shardCount: number;
  intents: number;
  seq: number;
  log: DispatchEntry[];
  connection: Connection | null;
  invalid: boolean;
}

const MAX_REPLAY = 1000;
/** Delay between sending READY/RESUMED and reporting the shard usable. */
const READY_SETTLE_MS = 25;
/** Close codes after which discord.js does not reconnect. */
export const UNRECOVERABLE_CLOSE_CODES = [4004, 4010, 4011, 4012, 4013, 4014] as const;

/** Options of {@link FakeGateway}. */
export interface FakeGatewayOptions {
  world: World;
  heartbeatIntervalMs: number;
  /** Token the gateway accepts; null accepts any non-empty token. */
  token: string | null;
  resumeUrl: () => string;
}

/**
 * Gateway server. Emits `'sessionReady'` ({@link SessionReadyEvent}) once a shard is usable
 * (READY + GUILD_CREATEs sent, or RESUMED sent), and `'payload'` for every client payload.
 */
export class FakeGateway extends EventEmitter {
  readonly received: ReceivedGatewayPayload[] = [];
  /** URLs clients connected to (path + query). */
  readonly connectionUrls: string[] = [];
  identifyCount = 0;
  resumeCount = 0;
  heartbeatCount = 0;

  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  readonly #current = new Map<number, Session>();
  readonly #connections = new Set<Connection>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: FakeGatewayOptions) {
    super();
    this.#wss.on('connection', (socket: WebSocket, req: IncomingMessage) => this.#onConnection(socket, req));
  }

  /** Hands an HTTP upgrade request to the WebSocket server. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
  }

  /** Current (latest) session of every shard. */
  get sessions(): GatewaySessionInfo[] {
    return [...this.#current.values()].map((s) => ({
      sessionId: s.id,
      shardId: s.shardId,
      shardCount: s.shardCount,
      intents: s.intents,
      seq: s.seq,
      connected: s.connection !== null,
      invalid: s.invalid,
    }));
  }

  /** Whether every shard of the current shard count has a connected, ready session. */
  allShardsReady(): boolean {
    const first = [...this.#current.values()][0];
    if (!first) return false;
    for (let shardId = 0; shardId < first.shardCount; shardId++) {
      const session = this.#current.get(shardId);
      if (!session || session.invalid || !session.connection) return false;
    }
    return true;
  }

  /**
   * Dispatches an event to the shard owning `guildId` (shard 0 for DMs / null).
   * Buffered for replay if that shard is disconnected but resumable. Returns false when
   * the session's intents filter the event out. Throws if no session exists yet.
   */
  dispatch(t: string, d: unknown, guildId: string | null): boolean {
    const anySession = [...this.#current.values()][0];
    if (!anySession)
      throw new Error(`Cannot dispatch ${t}: no gateway session yet (is the client logged in and ready?)`);
    const shardId = guildId ? shardForGuild(guildId, anySession.shardCount) : 0;
    const session = this.#current.get(shardId);
    if (!session) throw new Error(`Cannot dispatch ${t}: shard ${shardId} has no session`);
    const filtered = filterForIntents(t, d, session.intents, guildId, this.options.world.botUserId);
    if (filtered === undefined) return false;
    this.#dispatchTo(session, t, filtered);
    return true;
  }

  /**
   * Closes the gateway connection of every shard (or one) with `code`. Sessions stay resumable
   * unless `invalidate` is set. Returns the shard ids whose connection was closed.
   */
  closeConnections(
    code: number,
    options: { shardId?: number | undefined; invalidate?: boolean; drop?: boolean; reason?: string } = {},
  ): number[] {
    const closed: number[] = [];
    for (const session of this.#current.values()) {
      if (options.shardId !== undefined && session.shardId !== options.shardId) continue;
      if (options.invalidate) session.invalid = true;
      if (session.connection) {
        if (options.drop) session.connection.socket.terminate();
        else session.connection.socket.close(code, options.reason ?? 'Closed by fake Discord');
        closed.push(session.shardId);
      }
    }
    return closed;
  }

  /** Sends op 7 RECONNECT to every (or one) shard; discord.js then reconnects and resumes. */
  requestReconnect(shardId?: number): number[] {
    const asked: number[] = [];
    for (const session of this.#current.values()) {
      if (shardId !== undefined && session.shardId !== shardId) continue;
      if (session.connection) {
        send(session.connection.socket, { op: GatewayOpcodes.Reconnect, d: null, s: null, t: null });
        asked.push(session.shardId);
      }
    }
    return asked;
  }

  /** Terminates every connection and stops the WebSocket server. */
  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const connection of this.#connections) connection.socket.terminate();
    this.#connections.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #onConnection(socket: WebSocket, req: IncomingMessage): void {
    const connection: Connection = { socket, url: req.url ?? '', session: null };
    this.#connections.add(connection);
    this.connectionUrls.push(connection.url);
    const query = new URL(connection.url, 'ws://fake').searchParams;
    if (query.get('v') !== '10') {
      socket.close(4012, 'Invalid API version');
      return;
    }
    if ((query.get('encoding') ?? 'json') !== 'json') {
      socket.close(4002, 'Only json encoding is supported by the fake');
      return;
    }
    socket.on('message', (data, isBinary) =>
      this.#onMessage(
        connection,
        isBinary ? null : (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Uint8Array)).toString(),
      ),
    );
    socket.on('close', (code) => this.#onClose(connection, code));
    socket.on('error', () => undefined);
    send(socket, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.options.heartbeatIntervalMs },
      s: null,
      t: null,
    });
  }

  #onClose(connection: Connection, code: number): void {
    this.#connections.delete(connection);
    const session = connection.session;
    if (!session || session.connection !== connection) return;
    session.connection = null;
    // A client closing with 1000/1001 ends its session for good, like on Discord.
    if (code === 1000 || code === 1001) session.invalid = true;
  }

  #onMessage(connection: Connection, text: string | null): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(text ?? '') as { op?: unknown; d?: unknown };
    } catch {
      connection.socket.close(4002, 'Decode error');
      return;
    }
    this.received.push({
      op: Number(payload.op),
      d: payload.d,
      sessionId: connection.session?.id ?? null,
      at: Date.now(),
    });
    this.emit('payload', payload);
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.heartbeatCount++;
        send(connection.socket, { op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        return;
      case GatewayOpcodes.Identify:
        this.#identify(connection, payload.d as IdentifyData);
        return;
      case GatewayOpcodes.Resume:
        this.#resume(connection, payload.d as ResumeData);
        return;
      case GatewayOpcodes.RequestGuildMembers:
        this.#requestGuildMembers(connection, payload.d as RequestMembersData);
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
        return;
      default:
        connection.socket.close(4001, 'Unknown opcode');
    }
  }

  #identify(connection: Connection, d: IdentifyData): void {
    if (connection.session) {
      connection.socket.close(4005, 'Already authenticated');
      return;
    }
    if (typeof d?.token !== 'string' || !d.token || (this.options.token !== null && d.token !== this.options.token)) {
      connection.socket.close(4004, 'Authentication failed');
      return;
    }
    if (typeof d.intents !== 'number') {
      connection.socket.close(4013, 'Invalid intent(s)');
      return;
    }
    const [shardId, shardCount] = d.shard ?? [0, 1];
    if (shardCount < 1 || shardId < 0 || shardId >= shardCount) {
      connection.socket.close(4010, 'Invalid shard');
      return;
    }
    this.identifyCount++;
    const previous = this.#current.get(shardId);
    if (previous) previous.invalid = true;
    const session: Session = {
      id: randomHex(16),
      shardId,
      shardCount,
      intents: d.intents,
      seq: 0,
      log: [],
      connection,
      invalid: false,
    };
    connection.session = session;
    this.#sessions.set(session.id, session);
    this.#current.set(shardId, session);

    const { world } = this.options;
    const guilds = world.guilds.filter((g) => shardForGuild(g.id, shardCount) === shardId);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: userPayload(world.botUser),
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.options.resumeUrl(),
      shard: [shardId, shardCount],
      application: { id: world.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.#dispatchTo(session, GatewayDispatchEvents.Ready, ready);
    for (const guild of guilds) {
      if (!guild.unavailable)
        this.#dispatchTo(
          session,
          GatewayDispatchEvents.GuildCreate,
          guildCreatePayload(guild, world.users, world.activeThreads(guild.id)),
        );
    }
    this.#announceReady({ shardId, kind: 'identify', sessionId: session.id });
  }

  #resume(connection: Connection, d: ResumeData): void {
    this.resumeCount++;
    const session = this.#sessions.get(String(d?.session_id));
    const validToken = typeof d?.token === 'string' && (this.options.token === null || d.token === this.options.token);
    if (!session || session.invalid || !validToken || this.#current.get(session.shardId) !== session) {
      // Not resumable: tell the client to identify again.
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        send(connection.socket, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      }, 10);
      this.#timers.add(timer);
      return;
    }
    if (session.connection && session.connection !== connection)
      session.connection.socket.close(4000, 'Session resumed elsewhere');
    session.connection = connection;
    connection.session = session;
    const after = Number(d.seq ?? 0);
    for (const entry of session.log) if (entry.s > after) send(connection.socket, entry);
    session.seq += 1;
    send(connection.socket, { op: GatewayOpcodes.Dispatch, t: GatewayDispatchEvents.Resumed, s: session.seq, d: {} });
    this.#announceReady({ shardId: session.shardId, kind: 'resume', sessionId: session.id });
  }

  #requestGuildMembers(connection: Connection, d: RequestMembersData): void {
    const session = connection.session;
    if (!session) return;
    const { world } = this.options;
    const guildIds = Array.isArray(d?.guild_id) ? d.guild_id : [String(d?.guild_id)];
    for (const guildId of guildIds) {
      const guild = world.guild(guildId);
      if (!guild) continue;
      const wanted = d.user_ids === undefined ? null : new Set(Array.isArray(d.user_ids) ? d.user_ids : [d.user_ids]);
      const query = (d.query ?? '').toLowerCase();
      const members = guild.members.flatMap((member) => {
        const user = world.users.get(member.userId);
        if (!user) return [];
        if (wanted && !wanted.has(user.id)) return [];
        if (!wanted && query && !user.username.toLowerCase().startsWith(query)) return [];
        return [memberPayload(member, user)];
      });
      const limited = d.limit ? members.slice(0, d.limit) : members;
      const notFound = wanted ? [...wanted].filter((id) => !guild.members.some((m) => m.userId === id)) : [];
      this.#dispatchTo(session, GatewayDispatchEvents.GuildMembersChunk, {
        guild_id: guild.id,
        members: limited,
        chunk_index: 0,
        chunk_count: 1,
        not_found: notFound,
        ...(d.nonce ? { nonce: d.nonce } : {}),
      });
    }
  }

  /**
   * Emits 'sessionReady' a moment after READY/RESUMED went out: discord.js handles gateway messages
   * concurrently, and disrupting a shard (op 7, close) before it processed READY makes it re-identify.
   */
  #announceReady(event: SessionReadyEvent): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.emit('sessionReady', event);
    }, READY_SETTLE_MS);
    this.#timers.add(timer);
  }

  #dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const entry: DispatchEntry = { op: 0, t, s: session.seq, d };
    session.log.push(entry);
    if (session.log.length > MAX_REPLAY) session.log.shift();
    if (session.connection) send(session.connection.socket, entry);
  }
}

interface IdentifyData {
  token?: unknown;
  intents?: unknown;
  shard?: [number, number];
}

interface ResumeData {
  token?: unknown;
  session_id?: unknown;
  seq?: unknown;
}

interface RequestMembersData {
  guild_id: string | string[];
  query?: string;
  limit?: number;
  user_ids?: string | string[];
  nonce?: string;
}

function send(socket: WebSocket, payload: unknown): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
}

const MESSAGE_EVENTS = new Set<string>([
  GatewayDispatchEvents.MessageCreate,
  GatewayDispatchEvents.MessageUpdate,
  GatewayDispatchEvents.MessageDelete,
]);

/**
 * Applies intent rules to message events: no GuildMessages/DirectMessages intent, no event;
 * no MessageContent intent, content/embeds/attachments/components blanked unless the message
 * is a DM, mentions the bot, or is the bot's own. Returns undefined when the event is dropped.
 */
function filterForIntents(t: string, d: unknown, intents: number, guildId: string | null, botUserId: string): unknown {
  if (!MESSAGE_EVENTS.has(t)) return d;
  const needed = guildId ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages;
  if (!(intents & needed)) return undefined;
  if (t === (GatewayDispatchEvents.MessageDelete as string) || intents & GatewayIntentBits.MessageContent || !guildId)
    return d;
  const message = d as { author?: { id?: string }; mentions?: { id: string }[] };
  const exempt = message.author?.id === botUserId || (message.mentions ?? []).some((u) => u.id === botUserId);
  return exempt ? d : { ...message, content: '', embeds: [], attachments: [], components: [] };
}
