import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/corpus.js';
import { loadSquad } from '../../bench/squad.js';
import type { Article } from '../../src/content/article.js';
import { loadLexicon } from '../../src/language/lexicon.js';
import { analyzeTerms } from '../../src/search/analyze.js';
import { Engine } from '../../src/search/engine.js';
import { DEFAULT_OPTIONS } from '../../src/search/options.js';
import type { ScoredDocument } from '../../src/search/postings.js';
import { analysedPassages, compareArticles } from '../../src/search/segment.js';

/**
 * Plain MiniSearch over the same passages, as the reference for BM25: each passage a document of
 * its article's title terms, its heading's and its text's, joined by spaces, numbered as the engine
 * numbers them (articles in canonical order).
 */
function plainIndex(articles: readonly Article[], options = DEFAULT_OPTIONS) {
  const index = new MiniSearch<{ id: number; title: string; heading: string; text: string }>({
    fields: ['title', 'heading', 'text'],
    tokenize: (text) => text.split(' '),
    processTerm: (term) => term,
    searchOptions: {
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
      boost: { ...options.fieldBoosts },
      bm25: { ...options.bm25 },
    },
  });
  let id = 0;
  for (const article of [...articles].sort(compareArticles)) {
    const title = analyzeTerms(article.title).join(' ');
    for (const { heading, terms } of analysedPassages([article], options))
      index.add({ id: id++, title, heading: heading.join(' '), text: terms.flat().join(' ') });
  }
  return index;
}

/** The same passages with the same scores (to 1e-9 relative), in any order among equal scores. */
function expectSameScores(actual: readonly ScoredDocument[], expected: ReadonlyArray<{ id: unknown; score: number }>) {
  const byId = (list: ReadonlyArray<{ id: unknown; score: number }>) =>
    new Map(list.map((found) => [Number(found.id), found.score]));
  const mine = byId(actual);
  const theirs = byId(expected);
  expect([...mine.keys()].sort((a, b) => a - b)).toEqual([...theirs.keys()].sort((a, b) => a - b));
  for (const [id, score] of theirs) expect(Math.abs((mine.get(id) ?? NaN) - score)).toBeLessThanOrEqual(1e-9 * score);
}

/** Best first, and among equal scores the passage first in canonical order (the lower number in one segment). */
function expectCanonicalOrder(found: readonly ScoredDocument[]) {
  for (let i = 1; i < found.length; i++) {
    const [a, b] = [found[i - 1] as ScoredDocument, found[i] as ScoredDocument];
    expect(a.score > b.score || (a.score === b.score && a.id < b.id)).toBe(true);
  }
}

describe('BM25 over a real corpus, with the engine’s own options', () => {
  // The 11 SQuAD articles: about 1,000 passages of Wikipedia.
  const squad = loadSquad();
  const articles = squad.map((entry) => entry.article);
  const engine = Engine.build(articles, { lexicon: loadLexicon() });
  const plain = plainIndex(articles);
  const random = seededRandom(18);
  const reference = (terms: readonly string[], boosts: ReadonlyMap<string, number>) =>
    plain.search(terms.join(' '), { boostTerm: (term) => boosts.get(term) ?? 1 });

  it('has the passages of the plain index', () => {
    expect(engine.passageTotal).toBe(plain.documentCount);
  });

  it('scores a few hundred questions exactly as MiniSearch does, and keeps the best in canonical order', () => {
    const questions = squad.flatMap((entry) => entry.questions.map((question) => question.q));
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      const question = questions[Math.floor(random() * questions.length)] ?? '';
      // The question's index terms, weighted as the engine weighs them (see Engine.candidates).
      const weights = new Map<string, number>();
      for (const term of engine.explain(question).plan.terms)
        for (const alt of term.alternatives)
          weights.set(alt.term, Math.max(weights.get(alt.term) ?? 0, alt.weight * term.idf));
      const terms = [...weights.keys()];
      const boosts = terms.map((term) => weights.get(term) ?? 1);
      const all = engine.bm25(terms, boosts, 100_000);
      expectSameScores(all, reference(terms, weights));
      expectCanonicalOrder(all);
      expect(engine.bm25(terms, boosts)).toEqual(all.slice(0, DEFAULT_OPTIONS.candidates));
      if (terms.length > 0) compared++;
    }
    expect(compared).toBeGreaterThan(250);
  });

  it('scores random terms exactly as MiniSearch does, unknown and repeated ones too', () => {
    const vocabulary = [
      ...new Set(
        engine
          .explain(squad.map((entry) => entry.article.lead.join(' ')).join(' '))
          .plan.terms.flatMap((term) => term.alternatives.map((alt) => alt.term)),
      ),
    ];
    const pick = () => vocabulary[Math.floor(random() * vocabulary.length)] ?? '';
    for (let i = 0; i < 200; i++) {
      const terms = Array.from({ length: 1 + Math.floor(random() * 6) }, pick);
      if (i % 10 === 0) terms.push('notaterm');
      if (i % 7 === 0) terms.push(terms[0] ?? '');
      const weights = new Map(terms.map((term) => [term, [0.5, 0.6, 0.8, 1, 2.5][Math.floor(random() * 5)] ?? 1]));
      const boosts = terms.map((term) => weights.get(term) ?? 1);
      expectSameScores(engine.bm25(terms, boosts, 100_000), reference(terms, weights));
    }
  });
});

describe('BM25 on a few passages', () => {
  const article = (slug: string, title: string, paragraphs: string[]): Article => ({
    slug,
    file: `${slug}.md`,
    origin: 'data',
    title,
    url: null,
    published: null,
    author: null,
    caption: null,
    sources: [],
    lead: paragraphs,
    insights: [],
    sections: [],
  });
  const articles = [
    article('a', 'Harbour bridge', ['The bridge reopened after repairs to its steel cables.']),
    article('b', 'Ferry timetable', ['The ferry leaves the harbour at nine.']),
    article('c', 'Cables', ['Cables and ferries and bridges and cables.']),
    article('d', 'Ferry timetable', ['The ferry leaves the harbour at nine.']),
  ];
  const options = { ...DEFAULT_OPTIONS, passages: { ...DEFAULT_OPTIONS.passages, leadMinLength: 0 } };
  const engine = Engine.build(articles, { lexicon: loadLexicon(), options });
  const search = (terms: string[], boosts: number[] = []) => engine.bm25(terms, boosts);

  it('finds nothing for no terms, an empty term or unknown terms', () => {
    expect(search([])).toEqual([]);
    expect(search([''])).toEqual([]);
    expect(search(['tunnel', 'viaduct'])).toEqual([]);
  });

  it('ignores an unknown term among known ones', () => {
    expect(search(['ferri', 'tunnel'])).toEqual(search(['ferri']));
  });

  it('scores the terms of every field as plain MiniSearch does', () => {
    const plain = plainIndex(articles, options);
    for (const terms of [['steel'], ['cabl', 'harbour'], ['ferri', 'timet'], ['bridg', 'cabl', 'bridg']])
      expectSameScores(engine.bm25(terms, [], 100), plain.search(terms.join(' ')));
  });

  it('breaks ties in canonical order, whatever order the articles came in', () => {
    // b and d are the same: they tie, b first.
    expect(
      search(['ferri', 'timet'])
        .map((found) => found.id)
        .slice(0, 2),
    ).toEqual([1, 3]);
    const reversed = Engine.build([...articles].reverse(), { lexicon: loadLexicon(), options });
    expect(reversed.bm25(['ferri', 'timet'], [])).toEqual(search(['ferri', 'timet']));
  });

  it('multiplies by the number of distinct terms matched, counting a repeated term once', () => {
    const once = search(['steel'])[0]?.score ?? 0;
    expect(search(['steel', 'steel'])[0]?.score).toBeCloseTo(2 * once, 12);
  });

  it('forgets one search before the next', () => {
    const first = search(['harbour', 'bridg']);
    search(['ferri', 'cabl', 'nine']);
    expect(search(['harbour', 'bridg'])).toEqual(first);
  });
});
