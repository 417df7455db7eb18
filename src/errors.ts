/**
 * An error meant for the person using the bot: its message is shown to them as it is. Anything
 * else that is thrown is a bug: it is logged with its stack, and the user gets a generic reply.
 *
 * @example
 * throw new UserError('There is no article called "foo". Try /sources to see them.');
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  /** The heading of the private reply that shows the message. */
  readonly title: string = "Can't do that";
  /** How the reply looks: a mistake to fix (`warning`), or news to wait for (`info`). */
  readonly tone: 'warning' | 'info' = 'warning';
  /** Lines listed under the message: the problems of a file, say. */
  readonly details: readonly string[] = [];
}

/** The articles are still being loaded at start-up: nothing can be answered yet, but soon. */
export class NotReadyError extends UserError {
  override readonly title = 'Still loading';
  override readonly tone = 'info';

  constructor() {
    super('Still loading the articles: try again in a few seconds.');
  }
}
