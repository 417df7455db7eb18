import { describe, expect, it } from 'vitest';
import { loadLexicon } from '../../src/language/lexicon.js';
import { SortedLines } from '../../src/language/sortedLines.js';

describe('loadLexicon', () => {
  const lexicon = loadLexicon();

  it('knows English words and their inflections, and not names or typos', () => {
    expect(['mountains', 'carried', 'stopped', 'designation'].map((word) => lexicon.isWord(word))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['sheinbuam', 'fentanil', 'rebase'].map((word) => lexicon.isWord(word))).toEqual([false, false, false]);
  });

  it('relates words through WordNet synonyms, multi-word synonyms and derivations', () => {
    expect(lexicon.related('husband')).toContain('married');
    expect(lexicon.related('movie')).toContain('film');
    expect(lexicon.related('designate')).toContain('designation');
    // "married" is not read as the tree "marri".
    expect(lexicon.related('married')).not.toContain('eucalyptus');
  });

  it('gives everyday words high Zipf frequencies and unseen ones zero', () => {
    expect(lexicon.zipf('the')).toBeGreaterThan(7);
    expect(lexicon.zipf('bakery')).toBeGreaterThan(3);
    expect(lexicon.zipf('bakery')).toBeLessThan(4);
    expect(lexicon.zipf('sheinbaum')).toBe(0);
  });
});

describe('SortedLines', () => {
  it('finds a key and the rest of its line, and nothing else', () => {
    const lines = new SortedLines('apple\tfruit tree\nbanana\npear\tfruit\n');
    expect([lines.get('apple'), lines.get('banana'), lines.get('pear'), lines.get('peach'), lines.get('')]).toEqual([
      'fruit tree',
      '',
      'fruit',
      undefined,
      undefined,
    ]);
    expect(new SortedLines('').get('a')).toBeUndefined();
  });
});
