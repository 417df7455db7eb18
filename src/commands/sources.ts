import type { Engine } from '../search/engine.js';
import { ARTICLE_OPTION, selectArticles } from './articleOption.js';
import { defineCommand } from './command.js';
import { articleRef, type Reply } from './reply.js';

/** The source links of the chosen articles (all when none is named). */
function sourcesReply(engine: Engine, article?: string): Reply {
  const articles = selectArticles(engine, article);
  return { tone: 'info', title: 'Sources', articles: articles.map(articleRef), ephemeral: false };
}

export const sources = defineCommand({
  data: {
    name: 'sources',
    description: 'The links the article is based on',
    options: [ARTICLE_OPTION],
  },
  execute: (context, options) => sourcesReply(context.knowledge.engine, options.article),
});
