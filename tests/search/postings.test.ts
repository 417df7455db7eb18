import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/corpus.js';
import { loadSquad } from '../../bench/squad.js';
import { loadLexicon } from '../../src/language/lexicon.js';
import { analysedPassages, Engine, indexOptions } from '../../src/search/engine.js';
import { indexToData } from '../../src/search/indexData.js';
import { DEFAULT_OPTIONS, type EngineOptions } from '../../src/search/options.js';
import { paced, unpaced } from '../../src/search/pace.js';
import { Postings, type ScoredDocument, type ScoringOptions } from '../../src/search/postings.js';

/** Expects the same documents in the same order, with the same scores to 1e-9 relative. */
function expectSameResults(actual: readonly ScoredDocument[], expected: ReadonlyArray<{ id: unknown; score: number }>) {
  expect(actual.map((found) => found.id)).toEqual(expected.map((found) => found.id));
  actual.forEach((found, i) => {
    const score = expected[i]?.score ?? NaN;
    expect(Math.abs(found.score - score)).toBeLessThanOrEqual(1e-9 * Math.abs(score));
  });
}

describe('Postings over a real corpus, with the engine’s own options', () => {
  // The 11 SQuAD articles: about 1,000 passages of Wikipedia.
  const squad = loadSquad();
  const articles = squad.map((entry) => entry.article);
  const options: EngineOptions = DEFAULT_OPTIONS;
  // The engine's postings come from its build, through MiniSearch's serialization…
  const data = Engine.prepare(articles);
  const postings = unpaced(Postings.load(data.index, data.options));
  const long = unpaced(Postings.load(data.index, { ...data.options, candidates: 1000 }));
  // … and a plain MiniSearch is built the ordinary way, over the same documents, as the reference.
  const plain = new MiniSearch(indexOptions(options));
  plain.addAll([...analysedPassages(articles, options)].map((analysed) => analysed.document));
  const engine = Engine.build(articles, { lexicon: loadLexicon() });
  const random = seededRandom(18);

  /** What MiniSearch answers for `terms`, each weighted as `boosts` says, cut to `k`. */
  const reference = (terms: readonly string[], boosts: ReadonlyMap<string, number>, k: number) =>
    plain.search(terms.join(' '), { boostTerm: (term) => boosts.get(term) ?? 1 }).slice(0, k);

  it('has the passages of the plain index', () => {
    expect(data.index.documentCount).toBe(plain.documentCount);
    expect(data.index.blocks.reduce((n, block) => n + block.terms.length, 0)).toBe(plain.termCount);
  });

  it('scores a few hundred questions exactly as MiniSearch does: the same passages, order and scores', () => {
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
      expectSameResults(postings.search(terms, boosts), reference(terms, weights, options.candidates));
      expectSameResults(long.search(terms, boosts), reference(terms, weights, 1000));
      if (terms.length > 0) compared++;
    }
    expect(compared).toBeGreaterThan(250);
  });

  it('scores random terms exactly as MiniSearch does, unknown and repeated ones too', () => {
    const vocabulary = data.index.blocks.flatMap((block) => block.terms);
    const pick = () => vocabulary[Math.floor(random() * vocabulary.length)] ?? '';
    for (let i = 0; i < 200; i++) {
      const terms = Array.from({ length: 1 + Math.floor(random() * 6) }, pick);
      if (i % 10 === 0) terms.push('notaterm');
      if (i % 7 === 0) terms.push(terms[0] ?? '');
      const weights = new Map(terms.map((term) => [term, [0.5, 0.6, 0.8, 1, 2.5][Math.floor(random() * 5)] ?? 1]));
      const boosts = terms.map((term) => weights.get(term) ?? 1);
      expectSameResults(long.search(terms, boosts), reference(terms, weights, 1000));
    }
  });
});

describe('Postings', () => {
  const OPTIONS = { fields: ['title', 'text'] };
  const DOCS = [
    { id: 0, title: 'harbour bridge', text: 'the bridge reopened after repairs to its steel cables' },
    { id: 1, title: 'ferry timetable', text: 'the ferry leaves the harbour at nine' },
    { id: 2, title: '', text: 'cables and ferries and bridges and cables' },
    { id: 3, title: 'ferry timetable', text: 'the ferry leaves the harbour at nine' },
  ];
  const scoring: ScoringOptions = {
    bm25: { k: 1.2, b: 0.7, d: 0.5 },
    fieldBoosts: { title: 2, text: 1 },
    candidates: 10,
  };
  const index = new MiniSearch(OPTIONS);
  index.addAll(DOCS);
  const postings = unpaced(Postings.load(indexToData(index, 8), scoring));
  const search = (terms: string[], boosts: number[] = []) => postings.search(terms, boosts);
  const miniSearch = (query: string, boosts: Record<string, number> = {}) =>
    index.search(query, { boost: scoring.fieldBoosts, bm25: scoring.bm25, boostTerm: (term) => boosts[term] ?? 1 });

  it('finds nothing for no terms, an empty term or unknown terms', () => {
    expect(search([])).toEqual([]);
    expect(search([''])).toEqual([]);
    expect(search(['tunnel', 'viaduct'])).toEqual([]);
  });

  it('ignores an unknown term among known ones', () => {
    expect(search(['ferry', 'tunnel'])).toEqual(search(['ferry']));
  });

  it('scores one term in one field with BM25 as documented', () => {
    // "steel": only document 0, once, in its text of 9 distinct terms (of 9, 6, 4 and 6); N = 4, n = 1.
    const averageText = (9 + 6 + 4 + 6) / 4;
    const { k, b, d } = scoring.bm25;
    const idf = Math.log(1 + (4 - 1 + 0.5) / (1 + 0.5));
    const expected = idf * (d + (1 * (k + 1)) / (1 + k * (1 - b + (b * 9) / averageText)));
    const found = search(['steel']);
    expect(found.map((document) => document.id)).toEqual([0]);
    expect(found[0]?.score).toBeCloseTo(expected, 12);
  });

  it('returns every match when fewer than `candidates` match, best first, as MiniSearch ranks them', () => {
    const found = search(['cables', 'harbour'], [1, 0.5]);
    expect(found).toHaveLength(4);
    expectSameResults(found, miniSearch('cables harbour', { harbour: 0.5 }));
  });

  it('returns the best `candidates` only, keeping MiniSearch’s order among equal scores', () => {
    const two = unpaced(Postings.load(indexToData(index), { ...scoring, candidates: 2 }));
    // Documents 1 and 3 are the same: they tie, in the order they were added.
    expect(two.search(['ferry', 'timetable'], [])).toEqual(search(['ferry', 'timetable']).slice(0, 2));
    expectSameResults(two.search(['ferry', 'timetable'], []), miniSearch('ferry timetable').slice(0, 2));
    expect(two.search(['ferry', 'timetable'], []).map((found) => found.id)).toEqual([1, 3]);
  });

  it('multiplies by the number of distinct terms matched, counting a repeated term once', () => {
    expectSameResults(search(['bridge', 'cables', 'bridge']), miniSearch('bridge cables bridge'));
    const once = search(['steel'])[0]?.score ?? 0;
    expect(search(['steel', 'steel'])[0]?.score).toBeCloseTo(2 * once, 12);
  });

  it('forgets one search before the next', () => {
    const first = search(['harbour', 'bridge']);
    search(['ferry', 'cables', 'nine']);
    expect(search(['harbour', 'bridge'])).toEqual(first);
  });

  it('loads a term per step, so pausing can happen between any two', async () => {
    const data = indexToData(index, 8);
    let pauses = 0;
    const loaded = await paced(Postings.load(data, scoring), () => {
      pauses++;
      return undefined;
    });
    expect(pauses).toBe(data.blocks.reduce((n, block) => n + block.terms.length, 0));
    expect(loaded.search(['cables'], [])).toEqual(search(['cables']));
  });
});
