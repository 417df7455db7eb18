import { formatProblem } from '../content/article.js';
import type { SpreadReload } from '../fleet/fleet.js';
import type { ContentChanges, ReloadReport } from '../serving/knowledgeBase.js';
import { defineCommand } from './command.js';
import { withPlaces } from './places.js';
import type { Reply } from './reply.js';

/**
 * The moderator's view of a reload: what changed, or why nothing did, and where the change
 * reached when the bot runs sharded or on several machines. Shown only to them.
 */
function reloadReply(spread: SpreadReload): Reply {
  const single = singleReloadReply(spread.report);
  const reply = spread.report.superseded
    ? {
        ...single,
        body: `Another /reload started while this one was building, so this one stopped and the newer one's result follows (it read the files after yours). ${single.body}`,
      }
    : single;
  return withPlaces(reply, spread);
}

function singleReloadReply(report: ReloadReport): Reply {
  const size = `${report.articles} article${report.articles === 1 ? '' : 's'}, ${report.passages} passages`;
  if (!report.applied) {
    return {
      tone: 'warning',
      title: 'Reload refused: the previous content is still serving',
      body: `Fix these problems in the content files and run /reload again. Serving: ${size}.`,
      lists: [{ heading: 'Problems', items: report.problems.map(formatProblem) }],
      ephemeral: true,
    };
  }
  return {
    tone: report.skipped.length > 0 ? 'warning' : 'info',
    title: 'Content reloaded',
    body: `${describeChanges(report.changes)} Now serving ${size}.`,
    ...(report.skipped.length > 0
      ? { lists: [{ heading: 'Imported articles left out', items: report.skipped.map(formatProblem) }] }
      : {}),
    ephemeral: true,
  };
}

/** One sentence listing what a reload changed. */
function describeChanges(changes: ContentChanges): string {
  const parts = [
    changes.articlesAdded.length > 0 ? `articles added: ${changes.articlesAdded.join(', ')}` : '',
    changes.articlesRemoved.length > 0 ? `articles removed: ${changes.articlesRemoved.join(', ')}` : '',
    changes.articlesChanged.length > 0 ? `articles changed: ${changes.articlesChanged.join(', ')}` : '',
    changes.passagesAdded + changes.passagesRemoved + changes.passagesChanged > 0
      ? `passages: ${changes.passagesAdded} added, ${changes.passagesRemoved} removed, ${changes.passagesChanged} changed`
      : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? 'Nothing changed.' : `${parts.join('; ')}.`.replace(/^./, (c) => c.toUpperCase());
}

export const reload = defineCommand({
  data: {
    name: 'reload',
    description: 'Moderators: reread the article files and swap in the new content',
    preconditions: ['moderator'],
    // Reading files and rebuilding the index can take longer than Discord's 3 s.
    defer: 'private',
  },
  async execute(context) {
    const spread = await context.reloadContent();
    const { report } = spread;
    context.logger.info('content.reload', {
      user: context.invoker.name,
      userId: context.invoker.id,
      applied: report.applied,
      places: spread.places.length,
      missing: spread.missing,
      ...(report.applied ? { changes: report.changes } : { problems: report.problems.map(formatProblem) }),
    });
    return reloadReply(spread);
  },
});
