import { describe, expect, it } from 'vitest';
import { analyze, analyzeTerms } from '../../src/search/analyze.js';

const terms = (text: string, question = false): string[] => analyze(text, { question }).map((t) => t.term);

describe('analyze', () => {
  it('treats "U.S.", "US", "USA", "United States" and "America" as one term', () => {
    for (const text of ['the U.S. economy', 'the US economy', 'the USA economy', 'the United States economy', 'the American economy', 'the u.s. economy']) {
      expect(terms(text)).toEqual(['usa', 'economi']);
    }
  });

  it('keeps the pronoun "us" a stop word but reads "the us" as the country', () => {
    expect(terms('tell us about it')).toEqual(['tell']);
    expect(terms('what did the us do', true)).toEqual(['usa']);
  });

  it('folds possessives and curly quotes: Mexico’s → mexico', () => {
    expect(terms('Mexico’s stance')).toEqual(['mexico', 'stanc']);
    expect(terms("Mexico's stance")).toEqual(['mexico', 'stanc']);
    expect(terms('the nations’ plans')).toEqual(['nation', 'plan']);
  });

  it('stems word forms together', () => {
    expect(terms('designated')).toEqual(terms('designation'));
    expect(terms('threatened')).toEqual(terms('threaten'));
    expect(terms('cartels')).toEqual(terms('cartel'));
  });

  it('drops stop words, and question phrasing only from questions', () => {
    expect(terms('What did the article say about the cartels?', true)).toEqual(['cartel']);
    expect(terms('the article explains')).toEqual(['articl', 'explain']);
  });

  it('keeps numbers, decimals and dotted abbreviations whole', () => {
    expect(terms('6 groups, 3.5 million, 1,000 troops')).toEqual(['6', 'group', '3.5', 'million', '1,000', 'troop']);
    expect(terms('the U.K. and the E.U.')).toEqual(['uk', 'eu']);
  });

  it('ignores zero-width characters, emoji and Markdown', () => {
    expect(analyzeTerms('fen\u200btanyl 🚀 **cartels** `code`')).toEqual(['fentanyl', 'cartel', 'code']);
  });

  it('returns the words as typed, for highlighting', () => {
    expect(analyze('Hegseth’s options').map((t) => t.surface)).toEqual(["Hegseth's", 'options']);
  });
});
