/**
 * An error meant for the person using the bot: its message is shown to them as it is. Anything
 * else that is thrown is a bug: it is logged with its stack, and the user gets a generic reply.
 *
 * @example
 * throw new UserError('There is no article called "foo". Try /sources to see them.');
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** The articles are still being loaded at start-up: nothing can be answered yet, but soon. */
export class NotReadyError extends UserError {
  constructor() {
    super('Still loading the articles: try again in a few seconds.');
  }
}
