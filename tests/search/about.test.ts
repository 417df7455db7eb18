import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/content/article.js';
import { aboutQuestion, answerAbout, type AboutKind } from '../../src/search/about.js';
import { ROOT } from '../support/content.js';
import { buildEngine } from '../support/engine.js';

const article = (overrides: Partial<Article> = {}): Article => ({
  slug: 'harbour',
  file: 'harbour.md',
  origin: 'data',
  title: 'Harbour Bridge Reopens',
  url: 'https://example.com/bridge',
  published: '2025-03-01',
  author: null,
  caption: 'The bridge at dawn.',
  sources: ['https://www.example.com/a', 'https://news.example.org/b'],
  lead: ['The Harbour Bridge reopened on Monday after two years of repairs.'],
  insights: ['Repairs cost 40 million euros.', 'Traffic returns in stages.'],
  sections: [{ heading: 'Repairs', paragraphs: ['Engineers replaced 300 steel cables over two winters.'] }],
  ...overrides,
});

const questions = JSON.parse(readFileSync(path.join(ROOT, 'bench/data/about-questions.json'), 'utf8')) as Array<{
  q: string;
  kind: AboutKind;
}>;

describe('aboutQuestion', () => {
  it('recognises every hand-written question about the article itself, and its kind', () => {
    expect(questions.length).toBeGreaterThanOrEqual(60);
    const wrong = questions
      .filter(({ q, kind }) => aboutQuestion(q)?.kind !== kind)
      .map(({ q, kind }) => `${q} → ${aboutQuestion(q)?.kind ?? 'none'} (want ${kind})`);
    expect(wrong).toEqual([]);
  });

  it('leaves questions about the content alone, even with the same words', () => {
    for (const q of [
      'When was the iPod released?',
      'What sources did Chopin use?',
      'Who grouped 23 unpublished pieces and published them in 1855?',
      'Who wrote Hamlet?',
      'What does the article say about the sources of fentanyl?',
      'what did Hegseth say about the cartels?',
    ]) {
      expect(aboutQuestion(q), q).toBeNull();
    }
  });

  it('keeps the words that name which article is meant', () => {
    expect(aboutQuestion('when was the ferry article published?')).toEqual({ kind: 'published', rest: ['ferri'] });
  });
});

describe('answerAbout', () => {
  const lead = {
    text: 'The Harbour Bridge reopened on Monday after two years of repairs.',
    sentences: ['The Harbour Bridge reopened on Monday after two years of repairs.'],
  };

  it('answers from the front matter, lead and insights', () => {
    expect(answerAbout('published', article(), lead, () => []).answer).toBe(
      '“Harbour Bridge Reopens” was published on 1 March 2025.',
    );
    expect(answerAbout('sources', article(), lead, () => []).answer).toBe(
      '“Harbour Bridge Reopens” is based on 2 sources: example.com, news.example.org.',
    );
    expect(answerAbout('headline', article(), lead, () => []).answer).toBe('The headline is “Harbour Bridge Reopens”.');
    expect(answerAbout('caption', article(), lead, () => []).answer).toBe(
      "The picture's caption: “The bridge at dawn.”",
    );
    const summary = answerAbout('summary', article(), lead, () => []);
    expect(summary.answer).toBe(lead.text);
    expect(summary.text).toContain('Repairs cost 40 million euros.');
  });

  it('says honestly what is known when the article lacks what was asked', () => {
    const bare = article({ published: null, caption: null, sources: [] });
    expect(answerAbout('author', bare, lead, () => []).text).toBe(
      "“Harbour Bridge Reopens” doesn't name its author. It gives no publication date. “Harbour Bridge Reopens” lists no sources.",
    );
    expect(answerAbout('published', bare, lead, () => []).answer).toBe(
      '“Harbour Bridge Reopens” gives no publication date.',
    );
    expect(answerAbout('caption', bare, lead, () => []).answer).toBe(
      '“Harbour Bridge Reopens” has no picture caption.',
    );
    expect(answerAbout('author', article({ author: 'Ana Ruiz' }), lead, () => []).answer).toBe(
      '“Harbour Bridge Reopens” was written by Ana Ruiz.',
    );
  });
});

describe('Engine.search on questions about the article', () => {
  const ferry = article({
    slug: 'ferry',
    title: 'Orkney Ferry Runs On Batteries',
    published: '2025-01-10',
    caption: null,
    lead: ['A battery ferry crossed in a winter gale.'],
  });

  it('answers with the date in results[0].answer, and the supporting text', () => {
    const { hits, about, reason } = buildEngine([article()]).search('when was this published?');
    expect([reason, about]).toEqual([null, 'published']);
    expect(hits[0]?.answer).toBe('“Harbour Bridge Reopens” was published on 1 March 2025.');
    expect(hits[0]?.passage.text).toContain(hits[0]?.answer);
  });

  it('answers for each article when several are loaded, or for the one the question names', () => {
    const engine = buildEngine([article(), ferry]);
    // Each article, in the canonical order of articles (by slug), whatever order they were given in.
    expect(engine.search('when was it published?').hits.map((h) => h.answer)).toEqual([
      '“Orkney Ferry Runs On Batteries” was published on 10 January 2025.',
      '“Harbour Bridge Reopens” was published on 1 March 2025.',
    ]);
    const named = engine.search('when was the ferry article published?');
    expect(named.hits.map((h) => h.passage.article.slug)).toEqual(['ferry']);
    expect(named.chosenArticle).toBe('Orkney Ferry Runs On Batteries');
  });
});
