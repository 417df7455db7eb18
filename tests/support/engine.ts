import type { Article } from '../../src/content/article.js';
import { loadLexicon } from '../../src/language/lexicon.js';
import { loadReader } from '../../src/language/reader.js';
import { Engine } from '../../src/search/engine.js';
import type { PartialOptions } from '../../src/search/options.js';

/** The engine as the bot builds it (real WordNet, word frequencies and short-answer reader), over some articles. */
export function buildEngine(articles: readonly Article[], options?: PartialOptions): Engine {
  return Engine.build(articles, { lexicon: loadLexicon(), reader: loadReader(), ...(options ? { options } : {}) });
}
