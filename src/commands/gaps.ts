import { UserError } from '../errors.js';
import type { GapsReport, Store } from '../store/store.js';
import type { Command } from './command.js';
import type { Reply } from './reply.js';

/** Days /gaps looks back by default. */
const DEFAULT_DAYS = 30;
/** Rows per list. */
const ROWS = 10;

/** The report as a reply: the most-asked questions the articles don't answer, and the answers readers disliked. */
export function gapsReply(report: GapsReport): Reply {
  const period = `the last ${report.days} day${report.days === 1 ? '' : 's'}`;
  const people = (n: number): string => `${n} ${n === 1 ? 'person' : 'people'}`;
  const uncovered = report.uncovered.map((row) => `${row.times}× (${people(row.askers)}): ${row.question}`);
  const disliked = report.disliked.map((row) => `${row.down} 👎${row.up > 0 ? `, ${row.up} 👍` : ''}: ${row.question}`);
  return {
    tone: 'info',
    title: `What readers asked, ${period}`,
    body:
      uncovered.length + disliked.length === 0
        ? `Nothing to report for ${period}: no question went unanswered and no answer got a 👎.`
        : 'Questions the articles did not answer (near-duplicates grouped), and answers readers marked 👎. Consider adding what they asked for to the content.',
    lists: [
      { heading: 'Not covered, most asked first', items: uncovered.length > 0 ? uncovered : ['(none)'] },
      { heading: 'Answers with the most 👎', items: disliked.length > 0 ? disliked : ['(none)'] },
    ],
    ephemeral: true,
  };
}

/** The report over the last `days` days. */
export function gapsReport(store: Store, days: number): GapsReport {
  return store.gaps(days, ROWS);
}

export const gaps = {
  data: {
    name: 'gaps',
    description: 'Moderators: what readers asked that the articles do not answer, and disliked answers',
    options: [
      {
        name: 'days',
        description: `How many days back (default ${DEFAULT_DAYS})`,
        type: 'integer',
        required: false,
        minValue: 1,
        maxValue: 365,
      },
    ],
    moderatorOnly: true,
    rateLimit: null,
    defer: 'private',
  },
  execute(context, options) {
    if (!context.store) throw new UserError('Questions are not recorded here, so there is no report.');
    return gapsReply(gapsReport(context.store, Number(options.days ?? DEFAULT_DAYS)));
  },
} satisfies Command;
