import { formatProblem } from '../content/article.js';
import type { ContentChanges, ReloadReport } from '../library/knowledgeBase.js';
import { defineCommand } from './command.js';
import type { Reply } from './reply.js';

/**
 * The moderator's view of a reload: what changed, or why nothing did, on every shard when the
 * bot runs sharded. Shown only to them.
 */
function reloadReply(reports: readonly ReloadReport[]): Reply {
  const report = reports.find((r) => !r.applied) ?? reports[0];
  if (!report)
    return {
      tone: 'error',
      title: 'Reload reached no shard',
      body: 'No shard answered. Try again in a moment.',
      ephemeral: true,
    };
  const single = singleReloadReply(report);
  const reply = reports.some((r) => r.superseded)
    ? {
        ...single,
        body: `Another /reload started while this one was building, so this one stopped and the newer one's result follows (it read the files after yours). ${single.body}`,
      }
    : single;
  if (reports.length === 1) return reply;
  const shardLines = reports.map(
    (r, shard) =>
      `Shard ${shard}: ${r.applied ? `reloaded, serving ${r.articles} articles, ${r.passages} passages` : `refused (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}), previous content still serving`}`,
  );
  return { ...reply, lists: [...(reply.lists ?? []), { heading: `Shards (${reports.length})`, items: shardLines }] };
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
    const reports = await context.reloadContent();
    const refused = reports.find((report) => !report.applied);
    const applied = reports.find((report) => report.applied);
    context.logger.info('content.reload', {
      user: context.invoker.name,
      userId: context.invoker.id,
      applied: refused === undefined,
      shards: reports.length,
      ...(refused && !refused.applied
        ? { problems: refused.problems.map(formatProblem) }
        : applied?.applied
          ? { changes: applied.changes }
          : {}),
    });
    return reloadReply(reports);
  },
});
