import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/content/article.js';
import { DECISION_FEATURES, PASSAGE_FEATURES } from '../../src/search/features.js';
import { buildEngine } from '../support/engine.js';

const article: Article = {
  slug: 'bridge',
  file: 'bridge.md',
  origin: 'data',
  title: 'Harbour Bridge And Gun Laws',
  url: null,
  published: null,
  author: null,
  caption: null,
  sources: [],
  lead: ['The Harbour Bridge reopened on Monday after two years of repairs that cost 40 million euros.'],
  insights: [],
  sections: [
    {
      heading: 'Repairs',
      paragraphs: ['Engineers replaced 300 steel cables. The cables were made in Sheffield by a family firm.'],
    },
    {
      heading: 'Traffic',
      paragraphs: ['Buses return first. Lorries must wait until the steel deck has been tested in the spring.'],
    },
  ],
};
const engine = buildEngine([article]);
const decision = (question: string, name: (typeof DECISION_FEATURES)[number]): number =>
  engine.explain(question).result.decisionFeatures[DECISION_FEATURES.indexOf(name)] ?? Number.NaN;
const feature = (question: string, name: (typeof PASSAGE_FEATURES)[number]): number => {
  const best = engine.explain(question).result.ranked[0];
  return best?.features[PASSAGE_FEATURES.indexOf(name)] ?? Number.NaN;
};

describe('rankCandidates', () => {
  it('puts first the passage whose single sentence holds the question’s words together', () => {
    const hit = engine.search('which firm made the cables?').hits[0];
    expect(hit?.passage.section).toBe('Repairs');
    expect(hit?.answer).toBe('The cables were made in Sheffield by a family firm.');
  });

  it('counts neighbouring question words found near each other', () => {
    expect(feature('steel cables replaced', 'proximity')).toBe(1);
    expect(feature('cables spring', 'proximity')).toBe(0);
  });

  it('marks a best sentence holding the kind of fact asked for', () => {
    expect(feature('how many cables were replaced?', 'answerType')).toBe(1);
    expect(feature('which cables were replaced?', 'answerType')).toBe(0);
  });

  it('refuses a question the text matches nowhere, even when the title holds its word', () => {
    const { result } = engine.explain('what about guns?');
    expect(result.decisionFeatures[DECISION_FEATURES.indexOf('evidence')]).toBe(0);
    expect(result.confidence).toBe(0);
    expect(engine.search('what about guns?').reason).toBe('off-topic');
  });

  it('gives a covered question a higher probability than one sharing a single everyday word', () => {
    const covered = engine.explain('how much did the bridge repairs cost?').result.confidence;
    const offTopic = engine.explain('what time does the bakery open on Monday?').result.confidence;
    expect(covered).toBeGreaterThan(offTopic);
    // Never a confident answer to it: refused, or at most the closest passage, hedged.
    expect(engine.search('what time does the bakery open on Monday?').confidence).not.toBe('high');
  });

  it('tells the words naming the question’s topic (title, heading) from what it asks of it', () => {
    // "Harbour Bridge" is the topic; "reopened" is asked of it, and the lead holds it.
    expect(decision('when was the Harbour Bridge reopened?', 'beyondTopic')).toBe(1);
    expect(decision('when was the Harbour Bridge reopened?', 'topicOnly')).toBe(0);
    // Nothing here says who painted it: the topic alone is found.
    expect(decision('who painted the Harbour Bridge?', 'beyondTopic')).toBe(0);
    expect(decision('Harbour Bridge', 'topicOnly')).toBe(1);
    expect(decision('Harbour Bridge', 'topicShare')).toBe(1);
  });

  it('counts the question’s rare words the best passage lacks', () => {
    expect(decision('were the cables made in Sheffield?', 'rareMissing')).toBe(0);
    expect(decision('were the cables made in Sheffield?', 'rareHeld')).toBe(1);
    expect(decision('were the cables made in Rotherham or Sheffield?', 'rareMissing')).toBeCloseTo(1 / 3);
  });

  it('measures how the best candidate stands against the others, and how they agree with it', () => {
    for (const name of ['runnerUp', 'standout', 'sameSection', 'sameArticle'] as const) {
      const value = decision('which firm made the steel cables?', name);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    // One article: every candidate agrees with the best one on the article.
    expect(decision('which firm made the steel cables?', 'sameArticle')).toBe(1);
  });
});

describe('a passage whose text holds none of the question’s words', () => {
  const film: Article = {
    ...article,
    slug: 'films',
    file: 'films.md',
    title: 'Films Of The Decade',
    lead: ['Critics chose ten films that defined the decade.'],
    sections: [
      {
        heading: 'Safe Haven',
        paragraphs: ['The film is set in Southport, a small town on the coast of North Carolina.'],
      },
      { heading: 'Box office', paragraphs: ['Ticket sales rose after a quiet first weekend.'] },
    ],
  };
  const films = buildEngine([film]);

  it('may answer a question about its heading when it holds the kind of fact asked for', () => {
    // The rule lets the model weigh it (a probability above 0); today's model answers it hedged.
    expect(films.explain('where does Safe Haven take place?').result.confidence).toBeGreaterThan(0);
    const response = films.search('where does Safe Haven take place?');
    expect(response.reason).toBeNull();
    expect(response.hits[0]?.answer).toContain('Southport');
  });

  it('does not answer one that only the article title matches, whatever kind of fact it asks for', () => {
    for (const question of ['when were the gun laws passed?', 'who wrote the gun laws?']) {
      expect(engine.explain(question).result.confidence).toBe(0);
      expect(engine.search(question).reason).toBe('off-topic');
    }
  });

  it('does not answer one that asks for no kind of fact, whatever its heading says', () => {
    expect(films.explain('what about Safe Haven?').result.confidence).toBe(0);
    expect(films.search('what about Safe Haven?').reason).toBe('off-topic');
  });
});
