import { UserError } from '../errors.js';
import type { ImportSource } from '../importing/importer.js';
import { ARTICLE_GROUP, importArticle } from './articleImport.js';
import { defineCommand, type AttachmentValue, type CommandContext } from './command.js';

/** What `/article add` imports: the link, or the attached file (or, in the terminal, a file on this machine). */
function sourceOf(context: CommandContext, url: string | undefined, file: AttachmentValue | undefined): ImportSource {
  const link = url?.trim() ?? '';
  if (link !== '' && file !== undefined) throw new UserError('Give a link or a file, not both.');
  if (file !== undefined) return { kind: 'attachment', url: file.url, name: file.name, size: file.size };
  if (link === '') throw new UserError('Give the link of a story (url) or attach a file (file): .md, .txt or .html.');
  if (/^https?:\/\//i.test(link) || !context.surface.localFiles) return { kind: 'link', url: link };
  return { kind: 'file', path: link };
}

/** `/article add`: a story by its link, or a file, imported for everyone to ask about. */
export const articleAdd = defineCommand({
  data: {
    group: ARTICLE_GROUP,
    name: 'add',
    description: 'Import a story by its link, or a file (.md, .txt, .html), for everyone to ask about',
    options: [
      {
        name: 'url',
        description: 'The link of the story (or, in the terminal, a file path)',
        type: 'string',
        required: false,
        maxLength: 2000,
      },
      {
        name: 'file',
        description: 'A file to import instead: .md, .txt or .html',
        type: 'attachment',
        required: false,
      },
    ],
    preconditions: ['moderator', 'contentServer'],
    rateLimit: 'imports',
    // Fetching, extracting and re-indexing take seconds.
    defer: 'private',
  },
  execute: (context, options) => importArticle(context, sourceOf(context, options.url, options.file)),
});
