import { UserError } from '../errors.js';
import { importArticle } from './articleImport.js';
import { defineCommand } from './command.js';

/**
 * The first http(s) link of a message's text, without the `<…>` around a link Discord should not
 * preview, or the punctuation of the sentence it ends.
 *
 * @example
 * firstLink('Big news: <https://example.com/story>.') // => 'https://example.com/story'
 */
export function firstLink(text: string): string | null {
  return /https?:\/\/[^\s<>"')\]]+/i.exec(text)?.[0].replace(/[.,;:!?]+$/, '') ?? null;
}

/**
 * "Add article from link" in a message's Apps menu: imports the first link of the message, so the
 * story someone just shared is one click away for a moderator.
 */
export const addArticleFromMessage = defineCommand({
  data: {
    name: 'Add article from link',
    description: 'Import the story this message links to (moderators)',
    kind: 'message',
    targetOption: 'text',
    options: [{ name: 'text', description: 'The message’s text', type: 'string', required: true, internal: true }],
    preconditions: ['moderator', 'contentServer'],
    rateLimit: 'imports',
    defer: 'private',
  },
  execute(context, options) {
    const link = firstLink(options.text);
    if (link === null) throw new UserError('That message has no link to import.');
    return importArticle(context, { kind: 'link', url: link });
  },
});
