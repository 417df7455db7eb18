import { formatProblem, type Problem } from './content/article.js';

/**
 * An error meant for the person using the bot: its message is shown to them as it is. Anything
 * else that is thrown is a bug: it is logged with its stack, and the user gets a generic reply.
 * How it looks in a reply is decided in one place, the command handler.
 *
 * @example
 * throw new UserError('There is no article called "foo". Try /sources to see them.');
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
}

/** The articles are still being loaded at start-up: nothing can be answered yet, but soon. */
export class NotReadyError extends UserError {
  override readonly name = 'NotReadyError';

  constructor() {
    super('Still loading the articles: try again in a few seconds.');
  }
}

/**
 * Content that cannot be served as it is: a content directory that is missing or unreadable, or
 * files with problems, each as `file:line: problem`.
 *
 * @example
 * throw new ContentError([{ file: 'data', line: 0, message: 'content directory not found' }]);
 */
export class ContentError extends Error {
  override readonly name = 'ContentError';
  readonly problems: readonly Problem[];

  /** `message` says it in one line where the problems alone would not (by default, the problems one per line). */
  constructor(problems: readonly Problem[], message = problems.map(formatProblem).join('\n')) {
    super(message);
    this.problems = problems;
  }
}
