import type { Article } from '../../src/content/article.js';
import { loadLexicon } from '../../src/language/lexicon.js';
import { Engine } from '../../src/search/engine.js';
import type { PartialOptions } from '../../src/search/options.js';

/** The engine as the bot builds it (real WordNet and word frequencies), over some articles. */
export function buildEngine(articles: readonly Article[], options?: PartialOptions): Engine {
  return Engine.build(articles, { lexicon: loadLexicon(), ...(options ? { options } : {}) });
}
