import type { ArticleInfo } from '../content/article.js';
import type { Engine } from '../search/engine.js';
import type { ImportRecord } from '../store/store.js';
import { ARTICLE_GROUP } from './articleImport.js';
import { defineCommand } from './command.js';
import { pageButtonsFor, pageOf, pageOption } from './paging.js';
import type { Reply } from './reply.js';

/** Articles on one page of the list. */
const PAGE_SIZE = 10;

/** The page buttons of the list. */
const LIST_BUTTONS = pageButtonsFor('articles');

/** A day as the list shows it, from milliseconds since the epoch. */
function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * One line of the list per article, newest first (by publication date, else the day it was
 * imported; undated last), saying where it came from: the content directory, a moderator, or a
 * feed (`feeds`: the feed each feed story came from, by slug).
 */
export function articleRows(
  articles: readonly ArticleInfo[],
  passageCount: (article: ArticleInfo) => number,
  records: readonly ImportRecord[],
  feeds: ReadonlyMap<string, { title: string }> = new Map(),
): string[] {
  const bySlug = new Map(records.map((record) => [record.slug, record]));
  const rows = articles.map((article) => {
    const record = article.origin === 'imported' ? bySlug.get(article.slug) : undefined;
    const date = article.published ?? (record ? day(record.addedAt) : '');
    const passages = passageCount(article);
    const feed = feeds.get(article.slug);
    const origin =
      article.origin === 'data'
        ? 'from the content directory'
        : feed && record
          ? `from the feed “${feed.title}” on ${day(record.updatedAt)}`
          : record
            ? `imported by ${record.addedBy.name} on ${day(record.addedAt)}${record.updatedAt !== record.addedAt ? `, updated ${day(record.updatedAt)}` : ''}`
            : 'imported';
    const text = `${article.title} — ${[article.published ?? 'undated', `${passages} passage${passages === 1 ? '' : 's'}`, origin].join(' · ')}`;
    return { date, title: article.title, text };
  });
  rows.sort((a, b) => b.date.localeCompare(a.date) || a.title.localeCompare(b.title));
  return rows.map((row) => row.text);
}

/** One page of {@link articleRows} over what `engine` serves, with buttons to the other pages. */
export function articleListPage(
  engine: Engine,
  records: readonly ImportRecord[],
  feeds: ReadonlyMap<string, { title: string }>,
  page = 1,
): Reply {
  const rows = articleRows(engine.articles, (article) => engine.passageCount(article), records, feeds);
  const { shown, ...paging } = pageOf(rows, page, PAGE_SIZE, LIST_BUTTONS);
  const imported = engine.articles.filter((a) => a.origin === 'imported').length;
  return {
    tone: 'info',
    title: `Articles served (${rows.length})`,
    body: `Newest first; ${imported} imported. Add one with /article add; imported ones can be removed with /article remove.`,
    lists: [{ heading: null, items: shown }],
    ...paging,
    replacesMessage: true,
    ephemeral: true,
  };
}

/** `/article list`: every article the bot serves, paged. */
export const articleList = defineCommand({
  data: {
    group: ARTICLE_GROUP,
    name: 'list',
    description: 'Every article the bot serves, newest first',
    options: [pageOption(10_000)],
    preconditions: ['moderator'],
    buttons: LIST_BUTTONS,
  },
  execute: async (context, options) =>
    articleListPage(
      context.knowledge.engine,
      (await context.store?.importedArticles()) ?? [],
      (await context.store?.feeds.articleFeeds()) ?? new Map(),
      options.page ?? 1,
    ),
});
