import type { ArticleInfo } from '../content/article.js';
import { UserError } from '../errors.js';
import type { Engine } from '../search/engine.js';
import type { ImportRecord } from '../store/store.js';
import { ARTICLE_GROUP } from './articleImport.js';
import { defineCommand, type ButtonDefinition } from './command.js';
import type { Reply, ReplyButton } from './reply.js';

/** Articles on one page of the list. */
const PAGE_SIZE = 10;

/** The page buttons of the list: `articles:<page>:<p|n>` (the direction keeps one reply's ids distinct). */
const LIST_BUTTONS: ButtonDefinition = {
  prefix: 'articles',
  parse(id) {
    const match = /^articles:(\d{1,5}):[pn]$/.exec(id);
    return match ? { page: Number(match[1]) } : null;
  },
};

function pageButton(label: string, step: 'previous' | 'next', page: number, disabled: boolean): ReplyButton {
  return {
    id: `${LIST_BUTTONS.prefix}:${Math.max(1, page)}:${step === 'previous' ? 'p' : 'n'}`,
    label,
    disabled,
    step,
  };
}

/** A day as the list shows it, from milliseconds since the epoch. */
function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** One line of the list per article, newest first (by publication date, else the day it was imported; undated last). */
export function articleRows(
  articles: readonly ArticleInfo[],
  passageCount: (article: ArticleInfo) => number,
  records: readonly ImportRecord[],
): string[] {
  const bySlug = new Map(records.map((record) => [record.slug, record]));
  const rows = articles.map((article) => {
    const record = article.origin === 'imported' ? bySlug.get(article.slug) : undefined;
    const date = article.published ?? (record ? day(record.addedAt) : '');
    const passages = passageCount(article);
    const origin =
      article.origin === 'data'
        ? 'from the content directory'
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
export function articleListPage(engine: Engine, records: readonly ImportRecord[], page = 1): Reply {
  const rows = articleRows(engine.articles, (article) => engine.passageCount(article), records);
  const pageCount = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  if (!Number.isInteger(page) || page < 1 || page > pageCount)
    throw new UserError(`There is no page ${page}: the list has ${pageCount} page${pageCount === 1 ? '' : 's'}.`);
  const imported = engine.articles.filter((a) => a.origin === 'imported').length;
  return {
    tone: 'info',
    title: `Articles served (${rows.length})`,
    body: `Newest first; ${imported} imported. Add one with /article add; imported ones can be removed with /article remove.`,
    lists: [{ heading: null, items: rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) }],
    page: { page, pageCount, first: (page - 1) * PAGE_SIZE + 1 },
    replacesMessage: true,
    ...(pageCount > 1
      ? {
          buttons: [
            pageButton('◀ Previous', 'previous', page - 1, page <= 1),
            pageButton('Next ▶', 'next', page + 1, page >= pageCount),
          ],
        }
      : {}),
    ephemeral: true,
  };
}

/** `/article list`: every article the bot serves, paged. */
export const articleList = defineCommand({
  data: {
    group: ARTICLE_GROUP,
    name: 'list',
    description: 'Every article the bot serves, newest first',
    options: [
      {
        name: 'page',
        description: 'Page of the list (default 1)',
        type: 'integer',
        required: false,
        minValue: 1,
        maxValue: 10_000,
      },
    ],
    preconditions: ['moderator'],
    buttons: LIST_BUTTONS,
  },
  execute: async (context, options) =>
    articleListPage(context.knowledge.engine, (await context.store?.importedArticles()) ?? [], options.page ?? 1),
});
