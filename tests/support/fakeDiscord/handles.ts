/** Handles returned by `sendInteraction` / `sendMessage`: await the bot's responses to one event. */
import { InteractionResponseType } from 'discord.js';
import type { APIInteraction, APIMessage } from 'discord.js';
import type { RequestLog } from './requestLog.js';
import { describeRequest } from './requestLog.js';
import type { InteractionCallbackBody, MessageBody, RecordedRequest, WaitOptions } from './types.js';

/**
 * Waits for the first non-injected request matching `matches` from index `from`, and fails loudly
 * if the fake rejected it (4xx/5xx not caused by an injected fault): a real Discord would have too.
 */
export async function waitForAccepted(
  log: RequestLog,
  matches: (request: RecordedRequest) => boolean,
  from: number,
  description: string,
  options: WaitOptions = {},
): Promise<RecordedRequest> {
  const request = await log.waitFor((r) => !r.injected && matches(r), {
    from,
    timeoutMs: options.timeoutMs,
    description,
  });
  if (request.status >= 400) {
    throw new Error(`Fake Discord rejected ${describeRequest(request)}: ${JSON.stringify(request.response)}`);
  }
  return request;
}

/** The bot's side of one simulated interaction. */
export class InteractionHandle {
  #editCursor: number;
  #followUpCursor: number;

  constructor(
    private readonly log: RequestLog,
    private readonly applicationId: string,
    /** The INTERACTION_CREATE payload that was dispatched. */
    readonly payload: APIInteraction,
    /** Whether the gateway delivered (or buffered) the event. */
    readonly delivered: boolean,
    private readonly startIndex: number,
  ) {
    this.#editCursor = startIndex;
    this.#followUpCursor = startIndex;
  }

  get id(): string {
    return this.payload.id;
  }

  get token(): string {
    return this.payload.token;
  }

  /** Every REST request made for this interaction so far (callback, edits, followups). */
  get requests(): RecordedRequest[] {
    return this.log.requests.slice(this.startIndex).filter((r) => this.#isOwn(r));
  }

  /** The initial callback `{ type, data }` (reply, defer, update, autocomplete choices, modal). */
  async reply(options?: WaitOptions): Promise<InteractionCallbackBody> {
    const path = `/interactions/${this.id}/${this.token}/callback`;
    const request = await waitForAccepted(
      this.log,
      (r) => r.method === 'POST' && r.path === path,
      this.startIndex,
      `the callback of interaction ${this.id}`,
      options,
    );
    return request.json as InteractionCallbackBody;
  }

  /** The next `PATCH …/messages/@original` (editReply, or the edit after a deferUpdate). Successive calls return successive edits. */
  async editReply(options?: WaitOptions): Promise<MessageBody> {
    const request = await this.#waitForEdit(this.#editCursor, options);
    this.#editCursor = request.index + 1;
    return request.body ?? {};
  }

  /** The next followup message (`POST /webhooks/:app/:token`). Successive calls return successive followups. */
  async followUp(options?: WaitOptions): Promise<MessageBody> {
    const path = `/webhooks/${this.applicationId}/${this.token}`;
    const request = await waitForAccepted(
      this.log,
      (r) => r.method === 'POST' && r.path === path,
      this.#followUpCursor,
      `a followup of interaction ${this.id}`,
      options,
    );
    this.#followUpCursor = request.index + 1;
    return request.body ?? {};
  }

  /**
   * The first message the user gets to see, however the bot produced it: the callback data
   * for an immediate reply/update, otherwise the first edit of the original after a defer.
   * Independent of the `editReply()` cursor.
   */
  async response(options?: WaitOptions): Promise<MessageBody> {
    const callback = await this.reply(options);
    switch (callback.type) {
      case InteractionResponseType.ChannelMessageWithSource:
      case InteractionResponseType.UpdateMessage:
        return callback.data ?? {};
      case InteractionResponseType.DeferredChannelMessageWithSource:
      case InteractionResponseType.DeferredMessageUpdate:
        return (await this.#waitForEdit(this.startIndex, options)).body ?? {};
      default:
        throw new Error(
          `Interaction ${this.id} was answered with callback type ${callback.type}, which carries no message`,
        );
    }
  }

  #waitForEdit(from: number, options?: WaitOptions): Promise<RecordedRequest> {
    const path = `/webhooks/${this.applicationId}/${this.token}/messages/@original`;
    return waitForAccepted(
      this.log,
      (r) => r.method === 'PATCH' && r.path === path,
      from,
      `an edit of the original response of interaction ${this.id}`,
      options,
    );
  }

  #isOwn(request: RecordedRequest): boolean {
    return (
      request.path.startsWith(`/interactions/${this.id}/`) ||
      request.path.startsWith(`/webhooks/${this.applicationId}/${this.token}`)
    );
  }
}

/** The bot's side of one simulated user message. */
export class MessageHandle {
  #replyCursor: number;

  constructor(
    private readonly log: RequestLog,
    /** The MESSAGE_CREATE payload that was dispatched. */
    readonly message: APIMessage,
    /** False when the client's intents filtered the event out (it never saw the message). */
    readonly delivered: boolean,
    private readonly startIndex: number,
  ) {
    this.#replyCursor = startIndex;
  }

  get id(): string {
    return this.message.id;
  }

  /** REST requests made since this message was dispatched that concern its channel. */
  get requests(): RecordedRequest[] {
    const prefix = `/channels/${this.message.channel_id}/`;
    return this.log.requests.slice(this.startIndex).filter((r) => r.path.startsWith(prefix));
  }

  /**
   * The next message the bot posted in this message's channel after it was dispatched
   * (`message.reply` or `channel.send`); check `message_reference` to tell them apart.
   * Successive calls return successive messages.
   */
  async reply(options?: WaitOptions): Promise<MessageBody> {
    const path = `/channels/${this.message.channel_id}/messages`;
    const request = await waitForAccepted(
      this.log,
      (r) => r.method === 'POST' && r.path === path,
      this.#replyCursor,
      `a bot message in channel ${this.message.channel_id}`,
      options,
    );
    this.#replyCursor = request.index + 1;
    return request.body ?? {};
  }

  /** The next reaction the bot added to this message; resolves with the emoji as sent in the path. */
  async reaction(options?: WaitOptions): Promise<string> {
    const prefix = `/channels/${this.message.channel_id}/messages/${this.id}/reactions/`;
    const request = await waitForAccepted(
      this.log,
      (r) => r.method === 'PUT' && r.path.startsWith(prefix) && r.path.endsWith('/@me'),
      this.startIndex,
      `a reaction on message ${this.id}`,
      options,
    );
    return request.path.slice(prefix.length, -'/@me'.length);
  }
}
