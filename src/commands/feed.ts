import { UserError } from '../errors.js';
import type { FeedFollower, FeedView, PollReport } from '../importing/feeds.js';
import { FEED_SCHEDULE } from '../importing/feedSchedule.js';
import { actorOf } from './articleImport.js';
import {
  defineCommand,
  type Choice,
  type CommandContext,
  type CommandGroup,
  type SuggestionSources,
} from './command.js';
import { pageButtonsFor, pageOf, pageOption } from './paging.js';

/** `/feed`: the moderators' commands for the news feeds the bot follows. */
export const FEED_GROUP: CommandGroup = {
  name: 'feed',
  description: 'Moderators: follow news feeds, whose new stories the bot imports and announces',
};

/** Feeds on one page of `/feed list`. */
const PAGE_SIZE = 5;

/** The feeds, or a user error where none can be followed. */
function feedsOf(context: CommandContext): FeedFollower {
  if (!context.feeds) throw new UserError('Feeds cannot be followed here.');
  return context.feeds;
}

/** A time as the replies show it: UTC, to the minute. */
function when(ms: number | null): string {
  return ms === null ? 'never' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Feed titles holding what was typed, for autocomplete. */
function suggestFeeds({ feedTitles }: SuggestionSources, typed: string): Choice[] {
  const wanted = typed.trim().toLowerCase();
  return feedTitles
    .filter((title) => title.toLowerCase().includes(wanted))
    .slice(0, 25)
    .map((title) => ({ name: title.slice(0, 100), value: title.slice(0, 100) }));
}

const FEED_OPTION = {
  name: 'feed',
  description: 'The feed: its title or address',
  type: 'string',
  required: true,
  autocomplete: suggestFeeds,
  maxLength: 2000,
} as const;

/** `/feed add`: follow a feed (or a site, whose feed is found), announcing new stories in a channel. */
export const feedAdd = defineCommand({
  data: {
    group: FEED_GROUP,
    name: 'add',
    description: 'Follow a news feed (or a site, whose feed is found): its new stories are imported and announced',
    options: [
      {
        name: 'url',
        description: 'The feed, or any page of the site',
        type: 'string',
        required: true,
        maxLength: 2000,
      },
      {
        name: 'channel',
        description: 'Where new stories are announced, each with a thread (none: imported silently)',
        type: 'channel',
        required: false,
      },
      {
        name: 'keywords',
        description: 'Only stories whose title or summary holds one of these words (commas between)',
        type: 'string',
        required: false,
        maxLength: 1000,
      },
      {
        name: 'every',
        description: `Minutes between checks (default ${FEED_SCHEDULE.everyMinutes.default})`,
        type: 'integer',
        required: false,
        minValue: FEED_SCHEDULE.everyMinutes.min,
        maxValue: FEED_SCHEDULE.everyMinutes.max,
      },
    ],
    preconditions: ['moderator', 'contentServer'],
    rateLimit: 'imports',
    defer: 'private',
  },
  execute: async (context, options) => {
    const url = options.url.trim();
    if (url === '') throw new UserError('Give the address of a feed, or of any page of the site.');
    const added = await feedsOf(context).add(
      {
        url,
        guildId: context.invoker.guildId,
        channelId: options.channel ?? null,
        keywords: options.keywords ?? '',
        everyMinutes: options.every ?? null,
      },
      actorOf(context),
    );
    const { feed } = added;
    const where =
      added.channel === null ? 'Its stories are imported silently.' : `New stories are announced in ${added.channel}.`;
    return {
      tone: 'info',
      title: 'Feed added',
      body: `“${feed.title}” (${feed.url}): ${added.items} item${added.items === 1 ? '' : 's'} now, none of which is announced. ${where} Next check: ${when(feed.nextCheckAt)}.`,
      lists: [{ heading: 'Newest', items: added.newest }],
      ephemeral: true,
    };
  },
});

/** The page buttons of the feed list. */
const LIST_BUTTONS = pageButtonsFor('feeds');

/** One feed as `/feed list` shows it: its title and address, then a line for each of its facts. */
export function feedLines(view: FeedView): { heading: string; items: string[] } {
  const { feed } = view;
  const state =
    view.state === 'disabled'
      ? `disabled: ${feed.disabledReason ?? ''}`
      : view.state === 'backing off'
        ? `backing off until ${when(feed.nextCheckAt)}: ${feed.lastError ?? ''}`
        : 'ok';
  return {
    heading: `${feed.title} — ${feed.url}`,
    items: [
      `${view.channel === null ? 'imported silently' : `announced in ${view.channel}`} · every ${feed.everyMinutes} min · keywords: ${feed.keywords.length > 0 ? feed.keywords.join(', ') : 'none'}`,
      `last check ${when(feed.lastCheckAt)} · next ${when(feed.nextCheckAt)} · ${view.stories} stor${view.stories === 1 ? 'y' : 'ies'} served · newest: ${feed.newestTitle ?? 'none yet'}${feed.unannounced > 0 ? ` · ${feed.unannounced} imported unannounced` : ''}`,
      `state: ${state}`,
      ...view.skipped.map((item) => `skipped ${item.id}: ${item.reason}`),
    ],
  };
}

/** `/feed list`: every feed with its state, paged. */
export const feedList = defineCommand({
  data: {
    group: FEED_GROUP,
    name: 'list',
    description: 'Every feed the bot follows, with its state',
    options: [pageOption(1000)],
    // Feeds name the content servers' channels and errors: shown only there.
    preconditions: ['moderator', 'contentServer'],
    buttons: LIST_BUTTONS,
  },
  execute: async (context, options) => {
    const views = await feedsOf(context).list();
    const { shown, ...paging } = pageOf(views, options.page ?? 1, PAGE_SIZE, LIST_BUTTONS);
    return {
      tone: 'info',
      title: `Feeds followed (${views.length})`,
      body:
        views.length === 0
          ? 'None yet: add one with /feed add.'
          : 'Check one now with /feed check; stop following one with /feed remove.',
      lists: shown.map(feedLines),
      ...paging,
      replacesMessage: true,
      ephemeral: true,
    };
  },
});

/** `/feed remove`: stop following a feed; its stories stay until they expire, unless deleted now. */
export const feedRemove = defineCommand({
  data: {
    group: FEED_GROUP,
    name: 'remove',
    description: 'Stop following a feed (its stories stay until they expire)',
    options: [
      FEED_OPTION,
      { name: 'delete_articles', description: 'Also remove its stories now', type: 'boolean', required: false },
    ],
    preconditions: ['moderator', 'contentServer'],
    defer: 'private',
  },
  execute: async (context, options) => {
    const { feed, deleted } = await feedsOf(context).remove(
      options.feed,
      options.delete_articles === true,
      actorOf(context),
    );
    return {
      tone: 'info',
      title: 'Feed removed',
      body: `The bot no longer follows “${feed.title}” (${feed.url}). ${options.delete_articles === true ? `${deleted} of its stories were removed.` : 'Its stories stay until they expire.'}`,
      ephemeral: true,
    };
  },
});

/** What a check of one feed found: a line saying so, then the new stories and the items skipped. */
export function pollLines(report: PollReport): { heading: string; items: string[] } {
  const { feed } = report;
  if (report.outcome === 'busy') return { heading: `${feed.title}: another machine is checking it now`, items: [] };
  if (report.outcome === 'failed')
    return {
      heading: `${feed.title}: failed (${report.error ?? 'unknown'}); next try ${when(feed.nextCheckAt)}`,
      items: [],
    };
  const count = report.stories.length;
  return {
    heading:
      count === 0 ? `${feed.title}: nothing new` : `${feed.title}: ${count} new stor${count === 1 ? 'y' : 'ies'}`,
    items: [
      ...report.stories.map((story) => story.title),
      ...report.skipped.map((item) => `skipped “${item.title}”: ${item.reason}`),
    ],
  };
}

/** `/feed check`: polls a feed now (re-enabling a disabled one), and says what was new. */
export const feedCheck = defineCommand({
  data: {
    group: FEED_GROUP,
    name: 'check',
    description: 'Check a feed now (and re-enable it if it was disabled)',
    options: [
      { ...FEED_OPTION, required: false, description: 'The feed: its title or address (every feed when left out)' },
    ],
    preconditions: ['moderator', 'contentServer'],
    rateLimit: 'imports',
    defer: 'private',
  },
  execute: async (context, options) => {
    const reports = await feedsOf(context).check(options.feed ?? null);
    const failed = reports.some((report) => report.outcome === 'failed');
    return {
      tone: failed ? 'warning' : 'info',
      title: failed ? 'Feed check failed' : 'Feed checked',
      lists: reports.map(pollLines),
      ephemeral: true,
    };
  },
});
