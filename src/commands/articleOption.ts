import type { ArticleInfo } from '../content/article.js';
import { UserError } from '../errors.js';
import type { Choice, OptionDefinition, SuggestionSources } from './command.js';
import type { Engine } from '../search/engine.js';

/** The optional `article` option of /insights and /sources: a title or slug, suggested as the user types. */
export const ARTICLE_OPTION = {
  name: 'article',
  description: 'Which article (all of them when left out)',
  type: 'string',
  required: false,
  autocomplete: suggestArticles,
  maxLength: 200,
} as const satisfies OptionDefinition;

/**
 * The articles an `article` option names: all when it is empty, else those whose slug or title
 * matches it (exactly first, then by the start of the title, then anywhere in it).
 *
 * @throws {UserError} listing the available titles when nothing matches.
 */
export function selectArticles(engine: Engine, name: string | undefined): ArticleInfo[] {
  const wanted = (name ?? '').trim().toLowerCase();
  if (wanted === '') return [...engine.articles];
  const tests: Array<(a: ArticleInfo) => boolean> = [
    (a) => a.slug === wanted || a.title.toLowerCase() === wanted,
    (a) => a.title.toLowerCase().startsWith(wanted),
    (a) => a.title.toLowerCase().includes(wanted) || a.slug.includes(wanted),
  ];
  for (const test of tests) {
    const found = engine.articles.filter(test);
    if (found.length > 0) return found;
  }
  const titles = engine.articles.map((a) => `“${a.title}”`).join(', ');
  throw new UserError(`No article matches "${String(name).slice(0, 100)}". The articles are: ${titles}.`);
}

/** ArticleInfo titles matching what the user typed so far, for autocomplete. */
function suggestArticles({ engine }: SuggestionSources, partial: string, limit = 25): Choice[] {
  const wanted = partial.trim().toLowerCase();
  return engine.articles
    .filter((a) => wanted === '' || a.title.toLowerCase().includes(wanted) || a.slug.includes(wanted))
    .slice(0, limit)
    .map((a) => ({ name: a.title.slice(0, 100), value: a.slug.slice(0, 100) }));
}
