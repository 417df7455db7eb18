import type { Engine } from '../search/engine.js';
import { ARTICLE_OPTION, selectArticles } from './articleOption.js';
import { textOption, type Command } from './command.js';
import { articleRef, type Reply } from './reply.js';

/** The source links of the chosen articles (all when none is named). */
export function sourcesReply(engine: Engine, article?: string | number): Reply {
  const articles = selectArticles(engine, article);
  return { tone: 'info', title: 'Sources', articles: articles.map(articleRef), ephemeral: false };
}

export const sources = {
  data: {
    name: 'sources',
    description: 'The links the article is based on',
    options: [ARTICLE_OPTION],
    moderatorOnly: false,
    rateLimit: null,
    defer: null,
  },
  execute: (context, options) => sourcesReply(context.knowledge.engine, textOption(options.article)),
} satisfies Command;
