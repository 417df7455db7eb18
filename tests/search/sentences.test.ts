import { describe, expect, it } from 'vitest';
import { fitSentences, splitSentences, windowSentences } from '../../src/search/sentences.js';

describe('splitSentences', () => {
  it('does not break after "U.S." inside a sentence', () => {
    expect(splitSentences('The U.S. economy grew. It slowed later.')).toEqual([
      'The U.S. economy grew.',
      'It slowed later.',
    ]);
    expect(
      splitSentences('Statements by U.S. Defense Secretary Pete Hegseth fueled concerns. Mexico answered.'),
    ).toEqual(['Statements by U.S. Defense Secretary Pete Hegseth fueled concerns.', 'Mexico answered.']);
  });

  it('breaks after "U.S." when a new sentence clearly starts', () => {
    expect(splitSentences('Mexico works with the U.S. The move has escalated tensions.')).toEqual([
      'Mexico works with the U.S.',
      'The move has escalated tensions.',
    ]);
  });

  it('keeps titles, initials, Latin shorthands and decimals inside the sentence', () => {
    expect(
      splitSentences(
        'Dr. Smith met Gen. Lee and John F. Kennedy Jr. on Monday. Costs rose 3.5 percent, e.g. for food.',
      ),
    ).toEqual(['Dr. Smith met Gen. Lee and John F. Kennedy Jr. on Monday.', 'Costs rose 3.5 percent, e.g. for food.']);
  });

  it('breaks after ordinary words such as "largest." that natural mistakes for abbreviations', () => {
    expect(splitSentences('It is the largest. Others are smaller.')).toEqual([
      'It is the largest.',
      'Others are smaller.',
    ]);
  });

  it('handles closing quotes, question and exclamation marks', () => {
    expect(splitSentences('He said “all options are on the table.” Mexico objected! Why? Nobody knows')).toEqual([
      'He said “all options are on the table.”',
      'Mexico objected!',
      'Why?',
      'Nobody knows',
    ]);
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences('   ')).toEqual([]);
  });
});

describe('windowSentences', () => {
  it('groups whole sentences into windows under the limit', () => {
    const sentences = ['a'.repeat(300) + '.', 'b'.repeat(250) + '.', 'c'.repeat(200) + '.'];
    expect(windowSentences(sentences, 600)).toEqual([
      [0, 1],
      [2, 2],
    ]);
  });

  it('starts each window with the last sentences of the one before, and always moves on', () => {
    const sentences = ['a'.repeat(250) + '.', 'b'.repeat(250) + '.', 'c'.repeat(250) + '.', 'd'.repeat(700) + '.'];
    expect(windowSentences(sentences, 600, 1)).toEqual([
      [0, 1],
      [1, 2],
      [2, 2],
      [3, 3],
    ]);
  });
});

describe('fitSentences', () => {
  it('cuts a single over-long sentence at word boundaries', () => {
    const sentence = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const pieces = fitSentences([sentence, 'Short one.'], 600);
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(600);
    expect(pieces.join(' ')).toBe(`${sentence} Short one.`);
  });
});
