import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../../src/content/article.js';
import { draftToMarkdown } from '../../src/content/draft.js';
import { htmlToDraft } from '../../src/content/fromHtml.js';
import { loadArticles } from '../../src/content/loadArticles.js';
import { parseArticle } from '../../src/content/parseArticle.js';
import { loadLexicon } from '../../src/language/lexicon.js';
import { Engine } from '../../src/search/engine.js';
import { splitSentences } from '../../src/search/sentences.js';
import { ROOT, SEED_DIR } from '../../tests/support/content.js';

/**
 * How close the extractive summaries (TextRank, src/search/summary.ts) come to what people wrote:
 * ROUGE-1 (unigram overlap, lowercased words) of the summary of the bundled article with its Key
 * Insights taken out against those insights, and of each shared news page against its own
 * description (Readability's `excerpt`, the page's summary written by its editors); beside the
 * same for the lead baseline (the article's first sentences: three, and as many as the summary has).
 */
type Rouge = { recall: number; precision: number; f: number };

function rouge1(candidate: string, reference: string): Rouge {
  const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const left = new Map<string, number>();
  for (const word of words(reference)) left.set(word, (left.get(word) ?? 0) + 1);
  const candidateWords = words(candidate);
  let overlap = 0;
  for (const word of candidateWords) {
    const n = left.get(word) ?? 0;
    if (n > 0) {
      overlap++;
      left.set(word, n - 1);
    }
  }
  const recall = overlap / Math.max(1, words(reference).length);
  const precision = overlap / Math.max(1, candidateWords.length);
  return { recall, precision, f: recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0 };
}

const lexicon = loadLexicon();

interface Measured {
  textrank: Rouge;
  lead3: Rouge;
  leadSame: Rouge;
  sentences: number;
}

/** The summary of an article (built alone), and the lead baselines, each against `reference`. */
function measure(article: Article, reference: string): Measured {
  const engine = Engine.build([article], { lexicon });
  const picked = engine.summary(engine.articles[0] as Article);
  const body = splitSentences([...article.lead, ...article.sections.flatMap((s) => s.paragraphs)].join('\n\n'));
  return {
    textrank: rouge1(picked.join(' '), reference),
    lead3: rouge1(body.slice(0, 3).join(' '), reference),
    leadSame: rouge1(body.slice(0, picked.length).join(' '), reference),
    sentences: picked.length,
  };
}

const seed = (await loadArticles(SEED_DIR)).articles[0] as Article;
const bundled = measure({ ...seed, insights: [] }, seed.insights.join(' '));

const NEWS = path.join(ROOT, 'tests/fixtures/news-pages');
const pages: Measured[] = [];
for (const name of (await readdir(NEWS)).filter((n) => !n.endsWith('.md'))) {
  const html = await readFile(path.join(NEWS, name, 'source.html'), 'utf8');
  const { excerpt } = JSON.parse(await readFile(path.join(NEWS, name, 'expected-metadata.json'), 'utf8')) as {
    excerpt: string;
  };
  const { article } = parseArticle(`${name}.md`, draftToMarkdown(htmlToDraft(html, null)!), name, 'imported');
  pages.push(measure(article as Article, excerpt));
}
const mean = (pick: (row: Measured) => Rouge): Rouge => {
  const sum = (key: keyof Rouge): number =>
    Math.round((pages.reduce((s, row) => s + pick(row)[key], 0) / pages.length) * 1000) / 1000;
  return { recall: sum('recall'), precision: sum('precision'), f: sum('f') };
};
const round = (r: Rouge): Rouge => ({
  recall: Math.round(r.recall * 1000) / 1000,
  precision: Math.round(r.precision * 1000) / 1000,
  f: Math.round(r.f * 1000) / 1000,
});
console.log(
  JSON.stringify({
    bundled: {
      textrank: round(bundled.textrank),
      lead3: round(bundled.lead3),
      leadSame: round(bundled.leadSame),
      sentences: bundled.sentences,
    },
    pages: {
      count: pages.length,
      textrank: mean((r) => r.textrank),
      lead3: mean((r) => r.lead3),
      leadSame: mean((r) => r.leadSame),
    },
  }),
);
