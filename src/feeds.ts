import { SYSTEM_CLOCK } from './clock.js';
import { feedLines, pollLines } from './commands/feed.js';

import { parseCommandLine } from './commandLine.js';
import { UserError } from './errors.js';
import { FeedFollower, type FeedView, type PollReport } from './importing/feeds.js';
import { ArticleImporter } from './importing/importer.js';
import { exitOnStartupError, machineOf, openImportTools } from './startup.js';
import { TERMINAL_INVOKER } from './terminal/session.js';

/** A heading and its items as lines: the items indented under it. */
const asLines = ({ heading, items }: { heading: string; items: string[] }): string[] => [
  heading,
  ...items.map((item) => `  ${item}`),
];

const USAGE = `Usage: npm run feeds -- add <feed or page of a site> [--every MINUTES] [--keywords WORDS] [--json]
       npm run feeds -- list [--json]
       npm run feeds -- remove <address or title> [--delete-articles]
       npm run feeds -- check [address or title] [--json]

Follows news feeds as /feed does in Discord, for whoever runs the server: their new stories are
imported (announced only by a bot connected to Discord). "check" polls now, waits, and prints the
new stories, which npm run ask then answers; a running bot serves them after /reload (with
DATABASE_URL every machine finds them on its own).

Options:
  --every MINUTES    minutes between checks, 5 to 1440 (default 15)
  --keywords WORDS   only stories whose title or summary holds one of these words (commas between)
  --delete-articles  with remove: also remove the feed's stories now
  --json             print the result as one JSON object
  -h, --help         this text
`;

/** `npm run feeds`: the moderators' /feed commands for whoever runs the server. */
async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(
    {
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        every: { type: 'string' },
        keywords: { type: 'string' },
        'delete-articles': { type: 'boolean', default: false },
      },
    },
    USAGE,
  );
  const [action, ...rest] = positionals;
  const target = rest.join(' ');
  if (!['add', 'list', 'remove', 'check'].includes(action ?? ''))
    throw new UserError(`give add, list, remove or check\n\n${USAGE}`);
  if ((action === 'add' || action === 'remove') && target === '')
    throw new UserError(`${action} needs a feed\n\n${USAGE}`);
  const every = values.every === undefined ? null : Number(values.every);
  if (every !== null && !Number.isInteger(every))
    throw new UserError(`--every takes a whole number of minutes\n\n${USAGE}`);

  const { config, logger, store, mirror, importer } = await openImportTools();
  try {
    const feeds = new FeedFollower({
      store: store.feeds,
      importer,
      // This machine's copy of a shared database's articles follows at once; the bots find them on their own.
      reload: async () => void (await mirror?.sync()),
      announcer: null,
      clock: SYSTEM_CLOCK,
      machineId: machineOf(config).id,
      settings: config.feeds,
      policy: ArticleImporter.policyOf(config),
      logger,
    });
    const actor = { id: TERMINAL_INVOKER.id, name: TERMINAL_INVOKER.name };
    const print = (json: unknown, lines: readonly string[]): void => {
      process.stdout.write(values.json ? `${JSON.stringify(json)}\n` : lines.map((line) => `${line}\n`).join(''));
    };
    if (action === 'add') {
      const added = await feeds.add(
        { url: target, guildId: null, channelId: null, keywords: values.keywords ?? '', everyMinutes: every },
        actor,
      );
      await added.backfilled;
      const { feed } = added;
      print(
        {
          id: feed.id,
          title: feed.title,
          url: feed.url,
          items: added.items,
          newest: added.newest,
          nextCheckAt: new Date(feed.nextCheckAt).toISOString(),
        },
        [
          `Following “${feed.title}” (${feed.url}): ${added.items} items, none announced; the newest ${config.feeds.backfill} imported.`,
          ...added.newest.map((title) => `  ${title}`),
        ],
      );
    } else if (action === 'list') {
      const views = await feeds.list();
      print(
        { feeds: views.map(viewJson) },
        views.length === 0 ? ['No feed is followed.'] : views.map(feedLines).flatMap(asLines),
      );
    } else if (action === 'remove') {
      const { feed, deleted } = await feeds.remove(target, values['delete-articles'], actor);
      print({ removed: feed.url, deleted }, [
        `No longer following “${feed.title}”${deleted > 0 ? `; ${deleted} of its stories removed` : ''}.`,
      ]);
    } else {
      const reports = await feeds.check(target === '' ? null : target);
      await feeds.idle();
      print(
        { checked: reports.map(reportJson) },
        reports.length === 0 ? ['No feed is followed.'] : reports.map(pollLines).flatMap(asLines),
      );
    }
  } finally {
    await store.close();
  }
}

/** A feed as `list --json` prints it. */
function viewJson(view: FeedView): object {
  const { feed } = view;
  const time = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: feed.id,
    title: feed.title,
    url: feed.url,
    everyMinutes: feed.everyMinutes,
    keywords: feed.keywords,
    state: view.state,
    channel: view.channel,
    lastCheck: time(feed.lastCheckAt),
    nextCheck: time(feed.nextCheckAt),
    newest: feed.newestTitle,
    stories: view.stories,
    lastError: feed.lastError,
    disabledReason: feed.disabledReason,
    skipped: view.skipped,
  };
}

/** A check as `check --json` prints it. */
function reportJson(report: PollReport): object {
  return {
    feed: report.feed.url,
    title: report.feed.title,
    outcome: report.outcome,
    stories: report.stories,
    skipped: report.skipped,
    error: report.error,
  };
}

main().catch(exitOnStartupError);
