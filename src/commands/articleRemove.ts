import type { SpreadReload } from '../fleet/fleet.js';
import { actorOf, ARTICLE_GROUP, importerOf } from './articleImport.js';
import { defineCommand, type Choice, type SuggestionSources } from './command.js';
import { withPlaces } from './places.js';
import type { Reply } from './reply.js';

/** The imported articles whose title or slug holds what was typed, for autocomplete: only they can be removed. */
export function suggestImported({ engine }: SuggestionSources, typed: string): Choice[] {
  const wanted = typed.trim().toLowerCase();
  return engine.articles
    .filter((a) => a.origin === 'imported' && (a.title.toLowerCase().includes(wanted) || a.slug.includes(wanted)))
    .slice(0, 25)
    .map((a) => ({ name: a.title.slice(0, 100), value: a.slug.slice(0, 100) }));
}

function removedReply(article: { title: string }, spread: SpreadReload): Reply {
  const serving = spread.report.articles;
  return withPlaces(
    {
      tone: 'info',
      title: 'Article removed',
      body: `“${article.title}” is removed and no longer answers questions; the bot serves ${serving} article${serving === 1 ? '' : 's'}.`,
      ephemeral: true,
    },
    spread,
  );
}

/** `/article remove`: takes an imported article out. Articles of DATA_DIR are files on the server and stay. */
export const articleRemove = defineCommand({
  data: {
    group: ARTICLE_GROUP,
    name: 'remove',
    description: 'Remove an imported article',
    options: [
      {
        name: 'article',
        description: 'Which article (its title)',
        type: 'string',
        required: true,
        autocomplete: suggestImported,
        maxLength: 200,
      },
    ],
    preconditions: ['moderator', 'contentServer'],
    defer: 'private',
  },
  async execute(context, options) {
    const removed = await importerOf(context).remove(options.article, actorOf(context));
    // A story that came from a feed is forgotten as one, so its slug, taken again later, never expires with it.
    await context.store?.feeds.forgetArticles([removed.slug]);
    return removedReply(removed, await context.reloadContent({ imported: [removed.name] }));
  },
});
