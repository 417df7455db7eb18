import { UserError } from '../errors.js';
import type { GapsReport, Store } from '../store/store.js';
import { defineCommand } from './command.js';
import type { Reply } from './reply.js';

/** Days /gaps (and `npm run gaps`) looks back: by default, and at most (questions older than RETENTION_DAYS are gone anyway). */
export const GAPS_DAYS = { default: 30, max: 3650 };
/** Rows per list. */
const ROWS = 10;

/**
 * The report as a reply: the most-asked questions the articles don't answer, those they answer only
 * with low confidence (where an article is thin), and the answers readers disliked.
 */
export function gapsReply(report: GapsReport): Reply {
  const period = `the last ${report.days} day${report.days === 1 ? '' : 's'}`;
  const people = (n: number): string => `${n} ${n === 1 ? 'person' : 'people'}`;
  const grouped = (rows: GapsReport['uncovered']): string[] =>
    rows.map((row) => `${row.times}× (${people(row.askers)}): ${row.question}`);
  const uncovered = grouped(report.uncovered);
  const hedged = grouped(report.hedged);
  const disliked = report.disliked.map((row) => `${row.down} 👎${row.up > 0 ? `, ${row.up} 👍` : ''}: ${row.question}`);
  const orNone = (items: string[]): string[] => (items.length > 0 ? items : ['(none)']);
  return {
    tone: 'info',
    title: `What readers asked, ${period}`,
    body:
      uncovered.length + hedged.length + disliked.length === 0
        ? `Nothing to report for ${period}: every question was answered with confidence and no answer got a 👎.`
        : 'Questions the articles did not answer, and those they answered only with low confidence (near-duplicates grouped), and answers readers marked 👎. Consider adding what they asked for to the content.',
    lists: [
      { heading: 'Not covered, most asked first', items: orNone(uncovered) },
      { heading: 'Answered only with low confidence, most asked first', items: orNone(hedged) },
      { heading: 'Answers with the most 👎', items: orNone(disliked) },
    ],
    ephemeral: true,
  };
}

/** The report over the last `days` days. */
export function gapsReport(store: Store, days: number): Promise<GapsReport> {
  return store.gaps(days, ROWS);
}

export const gaps = defineCommand({
  data: {
    name: 'gaps',
    description: 'Moderators: what readers asked that the articles do not answer, and disliked answers',
    options: [
      {
        name: 'days',
        description: `How many days back (default ${GAPS_DAYS.default})`,
        type: 'integer',
        required: false,
        minValue: 1,
        maxValue: GAPS_DAYS.max,
      },
    ],
    preconditions: ['moderator'],
    defer: 'private',
  },
  async execute(context, options) {
    if (!context.store) throw new UserError('Questions are not recorded here, so there is no report.');
    return gapsReply(await gapsReport(context.store, options.days ?? GAPS_DAYS.default));
  },
});
