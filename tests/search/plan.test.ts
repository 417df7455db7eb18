import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/content/article.js';
import { buildEngine } from '../support/engine.js';

const article: Article = {
  slug: 'story',
  file: 'story.md',
  origin: 'data',
  title: 'Singer Marries In Quiet Ceremony',
  url: null,
  published: null,
  author: null,
  caption: null,
  sources: [],
  lead: [
    'The singer married the producer in 2008 in a quiet ceremony in New York.',
    'Her fans learned of the wedding months later.',
  ],
  insights: [],
  sections: [
    { heading: 'Career', paragraphs: ['She was forced from the band in 2005, and its head said little about it.'] },
  ],
};
const engine = buildEngine([article]);
const plan = (question: string) =>
  engine
    .explain(question)
    .plan.terms.map((t) => ({ word: t.surface, alternatives: t.alternatives.map((a) => `${a.term}:${a.kind}`) }));

describe('planQuery', () => {
  it('uses a word the index holds as it is, with no expansion', () => {
    expect(plan('married')).toEqual([{ word: 'married', alternatives: ['marri:exact'] }]);
  });

  it('bridges a missing word to WordNet words the index holds, weighted below exact', () => {
    const husband = engine.explain('who is her husband?').plan.terms[0];
    expect(husband?.alternatives).toEqual([{ term: 'marri', weight: 0.6, kind: 'related' }]);
  });

  it('corrects typos of names, but never turns one English word or number into another', () => {
    expect(plan('ceremeny')).toEqual([{ word: 'ceremeny', alternatives: ['ceremoni:fuzzy'] }]);
    expect(plan('carriage')[0]?.alternatives).toEqual([]);
    expect(plan('2007')[0]?.alternatives).toEqual([]);
  });

  it('weighs an everyday word as weak evidence, a rarer one as stronger, and a name never seen as strongest', () => {
    const specificity = (question: string): number[] => engine.explain(question).plan.terms.map((t) => t.specificity);
    const [open = 1] = specificity('open');
    const [bakery = 0] = specificity('bakery');
    expect(open).toBeLessThan(0.25);
    expect(bakery).toBeGreaterThan(0.7);
    expect(bakery).toBeLessThan(0.9);
    for (const value of specificity('rebase Beyoncé')) expect(value).toBeGreaterThan(0.99);
  });
});
