/** Public types shared by the fake Discord's modules. */
import type {
  APIAllowedMentions,
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandOptionChoice,
  APIAttachment,
  APIEmbed,
  APIMessage,
  APIMessageReference,
  APIMessageTopLevelComponent,
  APIThreadChannel,
  InteractionResponseType,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { FakeUser, FixtureUserKey } from './fixtures.js';
import type { StoredMessage, ThreadType } from './world.js';

/**
 * The JSON body the bot sent for a message (create or edit), as Discord received it
 * (for multipart requests this is the parsed `payload_json`).
 */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  allowed_mentions?: APIAllowedMentions;
  message_reference?: Partial<APIMessageReference> & { fail_if_not_exists?: boolean };
  attachments?: Partial<APIAttachment>[];
  flags?: number;
  tts?: boolean;
  nonce?: string | number;
  [key: string]: unknown;
}

/** Data of an interaction callback: a message body, autocomplete choices, or a modal. */
export interface InteractionCallbackData extends MessageBody {
  choices?: APIApplicationCommandOptionChoice[];
  custom_id?: string;
  title?: string;
}

/** Body of `POST /interactions/:id/:token/callback`. */
export interface InteractionCallbackBody {
  type: InteractionResponseType;
  data?: InteractionCallbackData;
}

/** A file uploaded in a multipart request. */
export interface RecordedFile {
  /** Form field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** One REST request the bot made, with the answer the fake gave. */
export interface RecordedRequest {
  /** Position in `discord.requests` (0-based). */
  index: number;
  method: string;
  /** Decoded path without the `/api/v10` prefix, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON object body (or `payload_json` of a multipart body); `null` when absent or not an object. */
  body: MessageBody | null;
  /** The parsed JSON exactly as sent (arrays included, e.g. bulk command registration); `null` when absent. */
  json: unknown;
  files: RecordedFile[];
  /** HTTP status the fake answered with (0 while in flight). */
  status: number;
  /** JSON the fake answered with, if any. */
  response: unknown;
  /** True when the answer came from a fault injected with `failNext`/`intercept`. */
  injected: boolean;
  at: number;
}

/** Something identifying a user: a fixture key (`'member'`), a user id, or a user object. */
export type UserRef = FixtureUserKey | (string & {}) | FakeUser;

/** A file given to an attachment option: where the bot downloads it from, as Discord's CDN would serve it. */
export interface FakeAttachment {
  filename: string;
  url: string;
  size?: number;
  contentType?: string;
}

/** A command option value; its Discord type is taken from the registered command, else inferred. */
export type OptionValue = string | number | boolean | FakeAttachment;

/** Fields common to every simulated interaction. */
export interface InteractionSpecBase {
  /** Who invokes it; defaults to `'member'`. */
  user?: UserRef;
  /** Guild of the interaction; defaults to the first guild. `null` makes it a DM interaction. */
  guildId?: string | null;
  /**
   * Channel of the interaction, a thread's id included (its guild is then implied); defaults to the
   * guild's first text channel (or the user's DM channel).
   */
  channelId?: string;
  locale?: string;
}

/** A chat-input (slash) command invocation. */
export interface CommandInteractionSpec extends InteractionSpecBase {
  type: 'command';
  name: string;
  /** `{ question: 'hi' }` (types from the registered command, else inferred) or raw API options. */
  options?: Record<string, OptionValue> | APIApplicationCommandInteractionDataOption[];
  subcommand?: string;
  subcommandGroup?: string;
}

/** An autocomplete request for a chat-input command. */
export interface AutocompleteInteractionSpec extends InteractionSpecBase {
  type: 'autocomplete';
  name: string;
  options?: Record<string, OptionValue>;
  /** Name of the focused option; defaults to the last option given. */
  focused?: string;
  subcommand?: string;
  subcommandGroup?: string;
}

/** A button click. */
export interface ButtonInteractionSpec extends InteractionSpecBase {
  type: 'button';
  customId: string;
  /** Message carrying the button: a message object or id; defaults to the newest stored message with that custom_id. */
  message?: APIMessage | string;
}

/** A string-select choice. */
export interface SelectInteractionSpec extends InteractionSpecBase {
  type: 'select';
  customId: string;
  values: string[];
  message?: APIMessage | string;
}

/** Any interaction `discord.sendInteraction` can simulate. */
/** A message command (Apps menu on a message) run on a stored message. */
export interface MessageCommandInteractionSpec extends InteractionSpecBase {
  type: 'message-command';
  name: string;
  /** The message it is run on: a stored message's id, or a message object. */
  target: APIMessage | string;
}

export type InteractionSpec =
  | CommandInteractionSpec
  | AutocompleteInteractionSpec
  | ButtonInteractionSpec
  | SelectInteractionSpec
  | MessageCommandInteractionSpec;

/** A user message `discord.sendMessage` dispatches as MESSAGE_CREATE. */
export interface MessageSpec {
  content: string;
  /** Defaults to `'member'`. */
  author?: UserRef;
  /** Defaults to the first guild's first text channel; a thread's id posts in the thread (not a forum's). */
  channelId?: string;
  /** Users mentioned; defaults to the `<@id>` mentions found in `content`. */
  mentions?: UserRef[];
  /** Roles mentioned; defaults to the `<@&id>` mentions found in `content`. */
  mentionRoles?: string[];
  /** Id of a stored message this one replies to. */
  replyTo?: string;
  attachments?: Partial<APIAttachment>[];
  embeds?: APIEmbed[];
}

/** Selects recorded requests: method/path filters and/or a predicate. */
export type RequestMatcher =
  | ((request: RecordedRequest) => boolean)
  | { method?: string; path?: string | RegExp; where?: (request: RecordedRequest) => boolean };

/** Options for anything that waits. */
export interface WaitOptions {
  /** Defaults to the fake's `defaultTimeoutMs` (3000). */
  timeoutMs?: number;
}

/** A message-carrying request the bot made (channel message, interaction reply, webhook edit/followup). */
export interface OutgoingMessage {
  /** `forum-post`: the first message of a forum post (`POST /channels/:forumId/threads`). */
  kind: 'channel-message' | 'channel-edit' | 'interaction-callback' | 'webhook-edit' | 'followup' | 'forum-post';
  method: string;
  path: string;
  body: MessageBody;
  status: number;
}

/** A thread (or forum post) as a test sees it: a snapshot taken when asked for. */
export interface ThreadView {
  id: string;
  name: string;
  /** 11 public thread (text channels, forum posts), 10 announcement thread, 12 private thread. */
  type: ThreadType;
  /** The text, announcement or forum channel it was started in. */
  parentId: string;
  guildId: string;
  ownerId: string;
  autoArchiveDuration: ThreadAutoArchiveDuration;
  archived: boolean;
  locked: boolean;
  /** ISO timestamp. */
  createdAt: string;
  /**
   * The message it was started with: the message in the parent channel it was started on, or a
   * forum post's first message (which is in the thread and has the thread's id); null if none.
   */
  starterMessage: StoredMessage | null;
  /** The messages posted in the thread after it was started, oldest first (the starter message excluded). */
  messages: StoredMessage[];
  /** The thread's channel payload, as `GET /channels/:id` answers. */
  channel: APIThreadChannel;
}

/** A thread a user starts, dispatched by `discord.startThread`. */
export interface ThreadSpec {
  name: string;
  /** A text, announcement or forum channel; defaults to the first guild's first text channel. */
  channelId?: string;
  /** Who starts it; defaults to `'member'`. */
  owner?: UserRef;
  /** Text/announcement channels: a stored message of the channel to start it on (default: no starter message). */
  messageId?: string;
  /** Forum posts: the first message's text (defaults to the name) and embeds. */
  content?: string;
  embeds?: APIEmbed[];
  /** Defaults to 1440. */
  autoArchiveDuration?: ThreadAutoArchiveDuration;
}
