import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { insightsReply } from '../../src/commands/insights.js';
import { draftToMarkdown } from '../../src/content/draft.js';
import { htmlToDraft } from '../../src/content/fromHtml.js';
import { parseArticle } from '../../src/content/parseArticle.js';
import { DEFAULT_OPTIONS } from '../../src/search/options.js';
import { centralSentences } from '../../src/search/summary.js';
import { ROOT } from '../support/content.js';
import { buildEngine } from '../support/engine.js';

/** A news page as it is imported: a story without key insights. */
function importedStory(name: string) {
  const html = readFileSync(path.join(ROOT, 'tests/fixtures/news-pages', name, 'source.html'), 'utf8');
  const { article } = parseArticle(`${name}.md`, draftToMarkdown(htmlToDraft(html, null)!), name, 'imported');
  return buildEngine([article!]);
}

describe('centralSentences', () => {
  const options = { ...DEFAULT_OPTIONS.summary, sentences: [1, 2] as const, sentencesPer: 2 };

  it('picks the sentences sharing most words with the rest, in article order', () => {
    const sentences = [
      ['harbour', 'bridg', 'reopen', 'monday'],
      ['weather', 'sunni', 'warm', 'today'],
      ['bridg', 'repair', 'cost', 'harbour', 'citi'],
      ['harbour', 'bridg', 'repair', 'cabl', 'replac'],
      ['lunch', 'menu', 'soup', 'bread'],
    ];
    expect(centralSentences(sentences, options)).toEqual([2, 3]);
  });

  it('never picks a sentence of too few words, and picks none of nothing', () => {
    expect(centralSentences([['photo'], ['harbour', 'bridg', 'reopen', 'monday']], options)).toEqual([1]);
    expect(centralSentences([], options)).toEqual([]);
  });
});

describe('summaries of articles without key insights', () => {
  it('are 3 to 5 of the article’s own sentences, in order, shown by /insights as picked from it', () => {
    const engine = importedStory('nytimes-4');
    const [article] = engine.articles;
    const picked = engine.summary(article!);
    expect(picked.length).toBeGreaterThanOrEqual(3);
    expect(picked.length).toBeLessThanOrEqual(5);
    const sentences = [...engine.passages()].flatMap((passage) => passage.sentences);
    const positions = picked.map((sentence) => sentences.indexOf(sentence));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    const reply = insightsReply(engine);
    expect(reply.lists).toEqual([{ heading: `${article!.title} (picked from the article)`, items: picked }]);
    expect(reply.body).toContain('its most central sentences stand in, picked from the article');
  });

  it('answer "what is the article about?" with the lead and the picked sentences', () => {
    const engine = importedStory('wapo-1');
    const response = engine.search('what is the article about?');
    expect(response.about).toBe('summary');
    expect(response.hits[0]?.passage.text).toContain('Picked from the article:');
  });
});
