import { UserError } from '../errors.js';
import { MAX_QUESTION_LENGTH, type Engine } from '../search/engine.js';
import type { Command } from './command.js';
import { articlesOf, noAnswerReply, replyPassage, type Reply } from './reply.js';

/** Passages on one page of /search results. */
const PAGE_SIZE = 3;
/** Most passages /search pages through. */
const MAX_RESULTS = 15;

/** One page of passages matching a query, with paging state for "next" and "previous". */
export function searchPage(engine: Engine, query: string, page = 1): Reply {
  const response = engine.search(query, { limit: MAX_RESULTS });
  if (response.reason !== null) return noAnswerReply(response.query, response.reason);
  const pageCount = Math.ceil(response.hits.length / PAGE_SIZE);
  if (!Number.isInteger(page) || page < 1 || page > pageCount) throw new UserError(`There is no page ${page}: the results have ${pageCount} page${pageCount === 1 ? '' : 's'}.`);
  const passages = response.hits.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(replyPassage);
  return {
    tone: 'answer',
    title: 'Search results',
    query: response.query,
    passages,
    articles: articlesOf(passages),
    page: { command: 'search', query: response.query, page, pageCount },
    ephemeral: false,
  };
}

export const search = {
  data: {
    name: 'search',
    description: 'List the passages matching some words, a page at a time',
    options: [
      { name: 'query', description: 'Words to look for', type: 'string', required: true, autocomplete: 'question', maxLength: MAX_QUESTION_LENGTH },
      { name: 'page', description: 'Page of results (default 1)', type: 'integer', required: false, minValue: 1, maxValue: MAX_RESULTS / PAGE_SIZE },
    ],
    moderatorOnly: false,
  },
  execute: (context, options) => searchPage(context.knowledge.engine, String(options.query ?? ''), Number(options.page ?? 1)),
} satisfies Command;
