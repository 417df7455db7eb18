import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOSTILE_UNITS, repeatTo, worstArticle } from '../../bench/hostile.js';
import type { Article } from '../../src/content/article.js';
import { ARTICLE_LIMITS } from '../../src/content/limits.js';
import { normalizeText } from '../../src/content/normalize.js';
import { parseArticle } from '../../src/content/parseArticle.js';
import { Engine } from '../../src/search/engine.js';
import { aboutQuestion } from '../../src/search/about.js';
import { analyze } from '../../src/search/analyze.js';
import { sentenceEnds, splitSentences } from '../../src/search/sentences.js';
import { factoidKind } from '../../src/search/shortAnswer.js';
import { loadLexicon } from '../../src/language/lexicon.js';
import { loadReader } from '../../src/language/reader.js';
import { loadArticles } from '../../src/content/loadArticles.js';
import { SEED_DIR } from '../support/content.js';
import { growth, LINEAR } from '../support/linear.js';

const seedArticles = (await loadArticles(SEED_DIR)).articles;

/** A hostile text: runs of one or two of the costly units, mixed. */
const hostileMix = fc.array(fc.constantFrom(...HOSTILE_UNITS), { minLength: 1, maxLength: 3 });
const textOf = (units: readonly string[]) => (size: number) => repeatTo(units.join(''), size);

describe('work on hostile text grows linearly with its length', () => {
  it('finds sentence ends in runs of punctuation (it backtracked: 65,000 dots took 5.3 s)', () => {
    for (const mark of ['.', '!', '?', '…', '!)', '."', '. ']) {
      expect(growth(sentenceEnds, (n) => `A${mark.repeat(n / mark.length)}x`, 2_000)).toBeLessThan(LINEAR);
    }
    expect(splitSentences(`Wow${'!'.repeat(100_000)} Next one.`)).toEqual([`Wow${'!'.repeat(100_000)}`, 'Next one.']);
  });

  it('analyses questions and passages of any characters', () => {
    fc.assert(
      fc.property(hostileMix, (units) => {
        expect(growth((text: string) => analyze(text, { question: true }), textOf(units), 1_000)).toBeLessThan(LINEAR);
        expect(growth((text: string) => analyze(text), textOf(units), 1_000)).toBeLessThan(LINEAR);
      }),
      { numRuns: 12 },
    );
  });

  it('reads whether a question is about the article itself, and normalises, for any characters', () => {
    fc.assert(
      fc.property(hostileMix, (units) => {
        expect(growth(aboutQuestion, textOf(units), 1_000)).toBeLessThan(LINEAR);
        expect(growth(normalizeText, textOf(units), 2_000)).toBeLessThan(LINEAR);
      }),
      { numRuns: 12 },
    );
  });

  it('reads whether a question asks who someone is in linear time (capitals could be split into words in 2ⁿ ways)', () => {
    expect(factoidKind('Who is PRESIDENT CLAUDIA SHEINBAUM OF MEXICO, really?')).toBe('person');
    expect(factoidKind('Who is Tom Homan?')).toBeNull();
    expect(growth(factoidKind, (n) => `Who is ${'A'.repeat(n)}, really?`, 200)).toBeLessThan(LINEAR);
  });

  it('answers a whole question of hostile characters up to the length limit in linear time', () => {
    const engine = Engine.build(seedArticles, { lexicon: loadLexicon(), reader: loadReader() });
    fc.assert(
      fc.property(hostileMix, (units) => {
        expect(growth((text: string) => engine.search(text), textOf(units), 60)).toBeLessThan(LINEAR);
        expect(
          growth(
            (text: string) => engine.search(text),
            (n) => `Who is ${textOf(units)(n)}?`,
            60,
          ),
        ).toBeLessThan(LINEAR);
      }),
      { numRuns: 10 },
    );
  });

  it('leaves out of questions and the index a run of letters too long to be a word (stemming it was quadratic)', () => {
    expect(analyze(`what about ${'ミ'.repeat(2000)} cartels`, { question: true }).map((t) => t.term)).toEqual([
      'cartel',
    ]);
    expect(analyze(`${'a'.repeat(64)} b`).map((t) => t.word)).toEqual(['a'.repeat(64), 'b']);
  });
});

describe('an article at the limits costs the index in proportion to its size', () => {
  /** The costliest article of about `bytes` bytes, its other limits scaled alike. */
  const worstOf = (bytes: number) =>
    worstArticle({
      ...ARTICLE_LIMITS,
      bytes,
      blocks: Math.max(4, Math.round((bytes / ARTICLE_LIMITS.bytes) * ARTICLE_LIMITS.blocks)),
    } as typeof ARTICLE_LIMITS);
  const prepareOne = (markdown: string) => {
    const { article, problems } = parseArticle('worst.md', markdown, 'worst', 'imported');
    expect(problems).toEqual([]);
    return Engine.prepare([article as Article]);
  };

  it('is accepted at every limit at once', () => {
    const { article, problems } = parseArticle('worst.md', worstArticle(), 'worst', 'imported');
    expect(problems).toEqual([]);
    expect(article?.title.length).toBeGreaterThan(ARTICLE_LIMITS.titleChars - 10);
  });

  it('is parsed, chunked and indexed in linear time, whatever hostile units fill its title, headings and text', () => {
    expect(growth(prepareOne, worstOf, ARTICLE_LIMITS.bytes / 16)).toBeLessThan(LINEAR);
    fc.assert(
      fc.property(hostileMix, (units) => {
        const unit = units.join('').replace(/[\n#]/g, ' ');
        const article = (size: number) =>
          `---\ntitle: "${repeatTo(unit, 250).replace(/"/g, "'")}"\n---\n\n${Array.from({ length: Math.ceil(size / 100) }, () => `## ${repeatTo(unit, 150)}\n\n${repeatTo(unit, 60)}.\n`).join('\n')}`;
        expect(
          growth(
            (markdown: string) => {
              const { article: parsed } = parseArticle('hostile.md', markdown, 'hostile', 'imported');
              return parsed && Engine.prepare([parsed]);
            },
            article,
            4_000,
            3,
          ),
        ).toBeLessThan(LINEAR);
      }),
      { numRuns: 8 },
    );
  });
});
