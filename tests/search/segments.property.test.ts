import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticArticles } from '../../bench/corpus.js';
import { loadSquad } from '../../bench/squad.js';
import type { Article } from '../../src/content/article.js';
import { loadLexicon } from '../../src/language/lexicon.js';
import { loadReader } from '../../src/language/reader.js';
import { Engine, type AssemblyResources } from '../../src/search/engine.js';
import { mergeSegments } from '../../src/search/merge.js';

/**
 * An engine reached by any sequence of adds, removals, replacements and merges answers exactly as
 * one built from scratch over the same articles: the same passages in the same order, the same
 * scores, grades and short answers, the same corrections, completions, bridges and summaries.
 */
const resources: AssemblyResources = { lexicon: loadLexicon(), reader: loadReader() };
const squad = loadSquad();
// SQuAD's articles (about 90 paragraphs each) cut to a few paragraphs, so a full build after every step stays quick.
const shortened = (article: Article, paragraphs: number): Article => ({
  ...article,
  lead: article.lead.slice(0, paragraphs),
  sections: [],
});
const pool: Article[] = [
  ...squad.map((entry) => shortened(entry.article, 6)),
  ...syntheticArticles(12, 7).map((article, i) => ({
    ...article,
    slug: `gen-${i}`,
    origin: i % 3 === 0 ? ('imported' as const) : ('data' as const),
  })),
];
/** Another version of an article: the same slug, other text. */
const edited = (article: Article, n: number): Article => ({
  ...article,
  title: `${article.title} (${n})`,
  lead: [...article.lead.slice(1), `Edited ${n}: ${article.lead[0] ?? ''}`],
});
const questions = [
  ...squad.flatMap((entry) => entry.questions.slice(0, 4).map((question) => question.q)),
  'who designed the ipod?',
  'whn was the earthquake',
  'what about the goverment?',
  'how many people died in the sichuan earthqake?',
  'notre dame students',
  'summarize the article',
  'when was the ipod article published?',
  'what does the wordnet gloss say about a ferri?',
  'husband',
  'chopin compos',
];
const partials = ['the', 'ipo', 'earthq', 'goverment', 'chop', 'sino tib', 'x'];

/** Everything the engine answers that must match, as plain data. */
function answers(engine: Engine) {
  return {
    articles: engine.articles.map((article) => article.slug),
    passages: [...engine.passages()].map((passage) => `${passage.id} ${passage.text}`),
    questions: questions.map((question) => {
      const response = engine.search(question, { limit: 5 });
      const explained = engine.explain(question);
      return {
        reason: response.reason,
        confidence: response.confidence,
        hits: response.hits.map((hit) => [hit.passage.id, hit.answer, hit.short]),
        plan: explained.plan.terms.map((term) => [term.surface, term.idf, term.alternatives]),
        ranked: explained.result.ranked.map((r) => [engine.passageAt(r.id).id, r.score, r.bestSentence]),
        probability: explained.result.confidence,
      };
    }),
    suggestions: partials.map((partial) => engine.suggest(partial, 25)),
    summaries: engine.articles.slice(0, 3).map((article) => engine.summary(article)),
  };
}

/** Numbers equal to 1e-9 relative (scores, idf, probabilities), everything else exactly. */
function expectSame(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
  } else if (Array.isArray(expected) && Array.isArray(actual)) {
    expect(actual.length, path).toBe(expected.length);
    expected.forEach((item, i) => expectSame(actual[i], item, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object') {
    expect(Object.keys(actual).sort(), path).toEqual(Object.keys(expected).sort());
    for (const key of Object.keys(expected))
      expectSame(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
  } else expect(actual, path).toEqual(expected);
}

type Step = { kind: 'add' | 'remove' | 'replace'; pick: number } | { kind: 'merge'; pick: number };

describe('an engine changed step by step answers exactly as one built at once', () => {
  it('after random adds, removals, replacements and merges over SQuAD and generated articles', async () => {
    let segmentNumber = 0;
    const step = fc.record({
      kind: fc.constantFrom('add', 'add', 'remove', 'replace', 'merge'),
      pick: fc.nat(1000),
    }) as fc.Arbitrary<Step>;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 9 }), async (steps) => {
        const served = new Map<string, Article>(pool.slice(0, 4).map((article) => [article.slug, article]));
        let engine = await Engine.assemble(
          {
            options: Engine.prepare([]).options,
            segments: [{ id: `s${segmentNumber++}`, data: Engine.prepare([...served.values()]).data }],
          },
          resources,
          () => undefined,
        );
        for (const [n, change] of steps.entries()) {
          const slugs = [...served.keys()].sort();
          if (change.kind === 'add') {
            const fresh = pool.filter((article) => !served.has(article.slug));
            const added = fresh.slice(change.pick % Math.max(1, fresh.length)).slice(0, 1 + (change.pick % 3));
            if (added.length === 0) continue;
            for (const article of added) served.set(article.slug, article);
            engine = await engine.change(
              { remove: [], add: { id: `s${segmentNumber++}`, data: Engine.prepare(added).data } },
              () => undefined,
            );
          } else if (change.kind === 'remove' || change.kind === 'replace') {
            const slug = slugs[change.pick % Math.max(1, slugs.length)];
            const article = slug === undefined ? undefined : served.get(slug);
            if (!article || served.size <= 1) continue;
            if (change.kind === 'remove') {
              served.delete(article.slug);
              engine = await engine.change({ remove: [article.slug], add: null }, () => undefined);
            } else {
              const next = edited(article, n);
              served.set(article.slug, next);
              engine = await engine.change(
                { remove: [article.slug], add: { id: `s${segmentNumber++}`, data: Engine.prepare([next]).data } },
                () => undefined,
              );
            }
          } else {
            const states = engine.segmentStates();
            if (states.length < 2) continue;
            const first = change.pick % (states.length - 1);
            const chosen = states.slice(first, first + 2).map((state) => state.id);
            const inputs = chosen.map((id) => engine.segmentForMerge(id)).filter((input) => input !== null);
            const merged = mergeSegments(inputs);
            engine = await engine.merge(chosen, { id: `s${segmentNumber++}`, data: merged }, () => undefined);
          }
          const full = Engine.build([...served.values()], resources);
          expectSame(answers(engine), answers(full), `after step ${n} (${change.kind})`);
        }
      }),
      { numRuns: 12 },
    );
  });

  it('merges a segment into one equal to building its live articles, deletions left out', () => {
    const built = Engine.prepare(pool.slice(0, 6)).data;
    const whole = Engine.build(pool.slice(0, 6), resources);
    const segment = whole.segmentForMerge('built');
    expect(segment).not.toBeNull();
    const merged = mergeSegments([{ segment: segment!.segment, deleted: new Set([1, 4]) }]);
    const kept = Engine.prepare(
      pool.slice(0, 6).filter((article) => ![built.articles[1]?.slug, built.articles[4]?.slug].includes(article.slug)),
    ).data;
    expect(merged).toEqual(kept);
  });
});
