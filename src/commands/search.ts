import { UserError } from '../errors.js';
import { MAX_QUESTION_LENGTH, type Engine } from '../search/engine.js';
import { suggestQuestions } from './ask.js';
import { defineCommand, type ButtonDefinition } from './command.js';
import { articlesOf, noAnswerReply, replyPassage, type Reply, type ReplyButton } from './reply.js';

/** Passages on one page of /search results. */
const PAGE_SIZE = 3;
/** Most passages /search pages through. */
const MAX_RESULTS = 15;
/** Longest button id Discord accepts; the query is cut to fit. */
const MAX_BUTTON_ID = 100;

/**
 * The page buttons of /search: `search:<page>:<p|n>:<query>`. The direction keeps the ids of one
 * reply's buttons distinct, as Discord requires; the query is cut to fit 100 characters.
 */
const SEARCH_BUTTONS: ButtonDefinition = {
  prefix: 'search',
  parse(id) {
    const match = /^search:(\d+):[pn]:([\s\S]*)$/.exec(id);
    return match ? { query: match[2] ?? '', page: Number(match[1]) } : null;
  },
};

function pageButton(
  label: string,
  step: 'previous' | 'next',
  page: number,
  query: string,
  disabled: boolean,
): ReplyButton {
  const prefix = `${SEARCH_BUTTONS.prefix}:${Math.max(1, page)}:${step === 'previous' ? 'p' : 'n'}:`;
  return { id: prefix + query.slice(0, MAX_BUTTON_ID - prefix.length), label, disabled, step };
}

/** One page of passages matching a query, with buttons to the previous and next pages. */
export function searchPage(engine: Engine, query: string, page = 1): Reply {
  const response = engine.search(query, { limit: MAX_RESULTS });
  if (response.reason !== null) return noAnswerReply(response.query, response.reason);
  const pageCount = Math.ceil(response.hits.length / PAGE_SIZE);
  if (!Number.isInteger(page) || page < 1 || page > pageCount) {
    throw new UserError(
      `There is no page ${page}: the results have ${pageCount} page${pageCount === 1 ? '' : 's'} (the content may have been reloaded since).`,
    );
  }
  const passages = response.hits.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(replyPassage);
  return {
    tone: 'answer',
    title: 'Search results',
    query: response.query,
    passages,
    articles: articlesOf(passages),
    page: { page, pageCount, first: (page - 1) * PAGE_SIZE + 1 },
    replacesMessage: true,
    ...(pageCount > 1
      ? {
          buttons: [
            pageButton('◀ Previous', 'previous', page - 1, response.query, page <= 1),
            pageButton('Next ▶', 'next', page + 1, response.query, page >= pageCount),
          ],
        }
      : {}),
    ephemeral: false,
  };
}

export const search = defineCommand({
  data: {
    name: 'search',
    description: 'List the passages matching some words, a page at a time',
    options: [
      {
        name: 'query',
        description: 'Words to look for',
        type: 'string',
        required: true,
        autocomplete: suggestQuestions,
        maxLength: MAX_QUESTION_LENGTH,
      },
      {
        name: 'page',
        description: 'Page of results (default 1)',
        type: 'integer',
        required: false,
        minValue: 1,
        maxValue: MAX_RESULTS / PAGE_SIZE,
      },
    ],
    rateLimit: 'questions',
    buttons: SEARCH_BUTTONS,
  },
  execute: (context, options) => searchPage(context.knowledge.engine, options.query, options.page ?? 1),
});
