import { describe, expect, it } from 'vitest';
import { loadArticles } from '../../src/content/loadArticles.js';
import { loadLexicon } from '../../src/language/lexicon.js';
import { loadReader } from '../../src/language/reader.js';
import { factoidKind, questionFocus, shortCandidates } from '../../src/search/shortAnswer.js';
import { SEED_DIR } from '../support/content.js';
import { buildEngine } from '../support/engine.js';

const engine = buildEngine((await loadArticles(SEED_DIR)).articles);

describe('factoidKind', () => {
  it('reads what kind of phrase a question asks for, from its earliest cue', () => {
    expect(factoidKind('Who proposed a constitutional amendment?')).toBe('person');
    expect(factoidKind('How many groups were designated?')).toBe('number');
    expect(factoidKind('In what year did the designation happen?')).toBe('date');
    expect(factoidKind('When did Sheinbaum warn the U.S.?')).toBe('date');
    expect(factoidKind('Where do the cartels operate?')).toBe('place');
    expect(factoidKind('Which officials suggested all options are on the table?')).toBe('thing');
  });

  it('finds no short answer in questions asking why, how, what was said, or who someone is', () => {
    expect(factoidKind('What did Hegseth say about the cartels?')).toBeNull();
    expect(factoidKind('Why is Mexico worried?')).toBeNull();
    expect(factoidKind('Who is Tom Homan?')).toBeNull();
  });

  it('names the word a question asks about', () => {
    expect(questionFocus('Which film did she star in?')).toBe('film');
    expect(questionFocus('Who was the president of the university?')).toBe('presid');
    expect(questionFocus('Who threatened military action?')).toBeNull();
  });
});

describe('shortCandidates', () => {
  it('gives whole phrases of the sentence, without articles or the question’s own words at their edges', () => {
    const terms = new Map([
      ['design', 1],
      ['group', 1],
    ]);
    const candidates = shortCandidates(
      'number',
      { terms, focus: null },
      ['The U.S. designated six Mexican crime groups on 20 February 2025.'],
      loadReader(),
      loadLexicon(),
    ).map((candidate) => candidate.text);
    expect(candidates).toContain('six');
    expect(candidates).toContain('20 February 2025');
    for (const text of candidates) {
      expect(text).not.toMatch(/^(?:the|a|an)\b/i);
      expect(text).not.toMatch(/groups$/);
    }
  });
});

describe('Engine short answers', () => {
  it('gives the exact phrase that answers a factoid question answered with confidence', () => {
    const count = engine.search('how many groups were designated?');
    expect(count.confidence).toBe('high');
    expect(count.hits[0]?.short).toBe('six');
    expect(count.hits[1]?.short ?? null).toBeNull();
    expect(engine.search('who proposed a constitutional amendment?').hits[0]?.short).toBe('Sheinbaum');
    expect(engine.search('who threatened military action?').hits[0]?.short).toBe('Tom Homan');
  });

  it('gives none to a question that asks for no single phrase, or is only answered hedged', () => {
    const said = engine.search('what did Hegseth say about the cartels?');
    expect(said.confidence).toBe('high');
    expect(said.hits[0]?.short).toBeNull();
    const vague = engine.search('fentanyl');
    expect(vague.confidence).toBe('low');
    expect(vague.hits[0]?.short).toBeNull();
  });

  it('grades its answers: confident, hedged with the closest passage, or not covered', () => {
    expect(engine.search('who proposed a constitutional amendment?').confidence).toBe('high');
    // Paraphrased (Washington for the U.S., label for designate): the closest passage, hedged, never a refusal.
    const paraphrase = engine.search('How many cartels did Washington label as terrorist groups?');
    expect(paraphrase).toMatchObject({ reason: null, confidence: 'low' });
    expect(paraphrase.hits[0]?.answer).toContain('six Mexican organized crime groups');
    expect(engine.search('What is expected to happen in the coming months?').hits[0]?.answer).toContain(
      'The coming months will likely see intense diplomatic efforts',
    );
    expect(engine.search('who won the 2022 world cup?')).toMatchObject({ reason: 'off-topic', confidence: null });
  });
});
