import { describe, expect, it } from 'vitest';
import { analyze, analyzeTerms } from '../../src/search/analyze.js';

const terms = (text: string, question = false): string[] => analyze(text, { question }).map((t) => t.term);

describe('analyze', () => {
  it('treats "U.S.", "US", "USA" and "United States" as one term, and leaves "America" its own word', () => {
    for (const text of [
      'the U.S. economy',
      'the US economy',
      'the USA economy',
      'the United States economy',
      'the u.s. economy',
    ]) {
      expect(terms(text)).toEqual(['us', 'economi']);
    }
    expect(terms('South America')).toEqual(['south', 'america']);
    expect(terms('American Airlines')).toEqual(['american', 'airlin']);
  });

  it('keeps the pronoun "us" a stop word but reads "the us" and acronyms as words', () => {
    expect(terms('tell us about it')).toEqual(['tell']);
    expect(terms('what did the us do', true)).toEqual(['us']);
    expect(terms('Is the WHO in it?', true)).toEqual(['who']);
    expect(terms('WHAT IS IT ABOUT', true)).toEqual([]);
  });

  it('folds accents, so a question typed without them finds the name', () => {
    expect(terms('Beyoncé and Frédéric')).toEqual(terms('beyonce and frederic'));
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
