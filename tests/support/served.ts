import type { ServedContent } from '../../src/commands/command.js';
import { loadArticles } from '../../src/content/loadArticles.js';
import { formatProblem } from '../../src/content/article.js';
import type { SpreadReload } from '../../src/fleet/fleet.js';
import { buildEngine } from './engine.js';

/**
 * The content of `dataDir` served as commands see it, from an engine built here on the spot: no
 * worker thread, no snapshot. It does not reload: tests of /reload use a real KnowledgeBase.
 */
export async function servedContent(
  dataDir: string,
): Promise<{ knowledge: ServedContent; reloadContent: () => Promise<SpreadReload> }> {
  const { articles, problems } = await loadArticles(dataDir);
  if (problems.length > 0) throw new Error(`test content has problems:\n${problems.map(formatProblem).join('\n')}`);
  const engine = buildEngine(articles);
  return {
    knowledge: { engine, version: 'test' },
    reloadContent: () => Promise.reject(new Error('this test content is built once and does not reload')),
  };
}
