import { describe, expect, it } from 'vitest';
import { articleText, escapeUserText, fitEmbeds, linkLabel, truncateAtSentence } from '../../src/discord/limits.js';

describe('truncateAtSentence', () => {
  it('keeps short text as it is', () => {
    expect(truncateAtSentence('Short.', 100)).toBe('Short.');
  });

  it('cuts where the engine says a sentence ends: never after "U.S." or "Dr." inside one', () => {
    expect(truncateAtSentence('Officials met in Texas. The U.S. economy grew again this year.', 40)).toBe(
      'Officials met in Texas. …',
    );
  });

  it('cuts at the last sentence end that fits, with an ellipsis', () => {
    expect(truncateAtSentence('First sentence here. Second one is much longer than the limit allows.', 40)).toBe(
      'First sentence here. …',
    );
  });

  it('cuts at a word when no sentence ends in the second half', () => {
    const cut = truncateAtSentence('one two three four five six seven eight nine ten', 20);
    expect(cut).toBe('one two three …');
    expect(cut.length).toBeLessThanOrEqual(20);
  });
});

describe('articleText', () => {
  it('shows a masked link in an article as typed, so its text cannot disguise where it goes', () => {
    expect(articleText('Read [the official report](https://phish.example/login) today.')).toBe(
      'Read [the official report]\u200b(https://phish.example/login) today.',
    );
    expect(articleText('Plain text [with brackets] (and parentheses).')).toBe(
      'Plain text [with brackets] (and parentheses).',
    );
  });

  it('escapes a title used as a link label, so it can neither end the label nor start a link', () => {
    expect(`[${linkLabel('Cheap [flights](https://phish.example)')}](https://news.example/story)`).toBe(
      '[Cheap \\[flights\\]\\(https://phish.example\\)](https://news.example/story)',
    );
  });
});

describe('escapeUserText', () => {
  it('breaks mentions, links and Markdown so they show as typed but do nothing', () => {
    const escaped = escapeUserText(
      '@everyone @here <@123456789012345678> <@&987654321098765432> <#111111111111111111> [click](https://evil.example) **bold**',
    );
    expect(escaped).not.toMatch(/@everyone|@here|<@\d|<@&\d|<#\d|https:\/\/|\]\(/);
    expect(escaped).toContain('\\*\\*bold\\*\\*');
    expect(escaped.replace(/\u200b/g, '').replace(/\\/g, '')).toBe(
      '@everyone @here <@123456789012345678> <@&987654321098765432> <#111111111111111111> [click](https://evil.example) **bold**',
    );
  });
});

describe('fitEmbeds', () => {
  it('keeps at most 10 embeds and 6,000 characters in all', () => {
    const embeds = Array.from({ length: 14 }, (_, i) => ({
      title: `Embed ${i}`,
      description: `${'A sentence of filler text. '.repeat(60)}`,
    }));
    const fitted = fitEmbeds(embeds);
    expect(fitted).toHaveLength(10);
    expect(
      fitted.reduce((sum, e) => sum + (e.title?.length ?? 0) + (e.description?.length ?? 0), 0),
    ).toBeLessThanOrEqual(6000);
  });

  it('cuts fields to 1,024 and titles to 256 characters', () => {
    const [embed] = fitEmbeds([{ title: 'T'.repeat(300), fields: [{ name: 'n', value: 'word '.repeat(400) }] }]);
    expect(embed?.title?.length).toBeLessThanOrEqual(256);
    expect(embed?.fields?.[0]?.value.length).toBeLessThanOrEqual(1024);
  });
});
