import { formatProblem } from '../content/article.js';
import { UserError } from '../errors.js';
import type { ArticleImporter, Imported, ImportSource } from '../importing/importer.js';
import type { SpreadReload } from '../fleet/fleet.js';
import type { ReloadReport } from '../serving/knowledgeBase.js';
import type { Actor } from '../store/store.js';
import type { CommandContext, CommandGroup } from './command.js';
import { withPlaces } from './places.js';
import { articleRef, type Reply } from './reply.js';

/** `/article`: the moderators' commands for the articles the bot serves. */
export const ARTICLE_GROUP: CommandGroup = {
  name: 'article',
  description: 'Moderators: add, list and remove the articles the bot answers from',
};

/** Characters of an imported article's beginning shown in the reply. */
const FIRST_LINES = 300;

/** The importer, or a user error where articles cannot be imported. */
export function importerOf(context: CommandContext): ArticleImporter {
  if (!context.importer) throw new UserError('Articles cannot be imported here.');
  return context.importer;
}

/** Who is changing the content, as the database records it. */
export function actorOf(context: CommandContext): Actor {
  return { id: context.invoker.id, name: context.invoker.name };
}

/**
 * Imports an article, then reloads the content everywhere it is served, so the moderator's reply
 * comes once the article answers questions.
 */
export async function importArticle(context: CommandContext, source: ImportSource): Promise<Reply> {
  const imported = await importerOf(context).add(source, actorOf(context));
  return importedReply(imported, await context.reloadContent({ imported: [imported.name] }));
}

/** The moderator's private account of an import: what was added, from where, and whether it is served yet. */
export function importedReply(imported: Imported, spread: SpreadReload): Reply {
  return withPlaces(importedHereReply(imported, spread.report), spread);
}

/** The account of an import as the reload of one place (`report`) tells it. */
function importedHereReply(imported: Imported, report: ReloadReport): Reply {
  const { article } = imported;
  const facts = [
    article.published ? `published ${article.published}` : 'no publication date',
    article.author ? `by ${article.author}` : '',
    `${imported.passages} passage${imported.passages === 1 ? '' : 's'}`,
  ].filter(Boolean);
  const what = `“${article.title}” (${facts.join(', ')}), from ${imported.from}.`;
  const beginning = [...article.lead, ...article.sections.flatMap((s) => s.paragraphs)].join(' ');
  const lines = {
    heading: 'It begins',
    items: [
      beginning.length > FIRST_LINES ? `${beginning.slice(0, beginning.lastIndexOf(' ', FIRST_LINES))} …` : beginning,
    ],
  };
  if (!report.applied)
    return {
      tone: 'warning',
      title: 'Article saved, not served yet',
      body: `${what} The bot's other content has problems, so the previous content keeps serving until they are fixed on the server and it is reloaded.`,
      lists: [lines, { heading: 'Problems', items: report.problems.map(formatProblem) }],
      articles: [articleRef(article)],
      ephemeral: true,
    };
  const leftOut = report.skipped.filter((p) => p.file === imported.file);
  if (leftOut.length > 0)
    return {
      tone: 'warning',
      title: 'Article saved, not served',
      body: `${what} It was saved but left out of the served content:`,
      lists: [{ heading: 'Problems', items: leftOut.map(formatProblem) }],
      ephemeral: true,
    };
  const served = report.articles;
  return {
    tone: 'info',
    title: imported.status === 'added' ? 'Article added' : 'Article updated',
    body: `${what} ${imported.status === 'updated' ? 'It replaces the earlier import of the same story. ' : ''}It answers questions now; the bot serves ${served} article${served === 1 ? '' : 's'}.`,
    lists: [lines],
    articles: [articleRef(article)],
    ephemeral: true,
  };
}
