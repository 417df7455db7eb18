import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOSTILE_UNITS, repeatTo } from '../../bench/hostile.js';
import {
  echoText,
  fitEmbeds,
  linkTarget,
  markdownLink,
  plainText,
  truncateAtSentence,
} from '../../src/discord/limits.js';
import { linksIn, shown } from '../support/discordText.js';
import { growth, LINEAR } from '../support/linear.js';

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

describe('plainText', () => {
  it('shows a masked link in an article as typed: no link, so its text cannot disguise where it goes', () => {
    expect(plainText('Read [the official report](https://phish.example/login) today.')).toBe(
      'Read \\[the official report\\](https\u200b://phish.example/login) today.',
    );
    expect(plainText('Plain text [with brackets] (and parentheses).')).toBe(
      'Plain text \\[with brackets\\] (and parentheses).',
    );
    expect(plainText('[x](https:evil.example) discord.com/invite/abc')).toBe(
      '\\[x\\](https:evil.example) discord.com/invite\u200b/abc',
    );
  });

  it('breaks bare links, invites, mentions and Markdown, which show as typed but do nothing', () => {
    const escaped = plainText(
      '@everyone @here <@123456789012345678> <@&987654321098765432> <#111111111111111111> [click](https://evil.example) **bold** discord.gg/abc <https://x.example>',
    );
    expect(escaped).not.toMatch(/@everyone|@here|<@\d|<@&\d|<#\d|https:\/\/|discord\.gg\/|<https/);
    expect(escaped).toContain('\\*\\*bold\\*\\*');
    expect(escaped.replace(/\u200b/g, '').replace(/\\/g, '')).toBe(
      '@everyone @here <@123456789012345678> <@&987654321098765432> <#111111111111111111> [click](https://evil.example) **bold** discord.gg/abc <https://x.example>',
    );
  });

  it('escapes headings, quotes and list markers at the start of a line only', () => {
    expect(plainText('# Big\n> quote\n- item\n  12. twelve\na - b # c > d 3. e')).toBe(
      '\\# Big\n\\> quote\n\\- item\n  12\\. twelve\na - b # c > d 3. e',
    );
  });
});

describe('plainText on any text', () => {
  const text = fc
    .oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc
        .array(
          fc.constantFrom(
            ...HOSTILE_UNITS,
            'https://',
            'http://x.example/',
            '](',
            '<https://a.example>',
            '\n- ',
            '\n# ',
          ),
          { maxLength: 40 },
        )
        .map((units) => units.join('')),
    )
    .filter((given) => !given.includes('\u200b'));

  it('never leaves a link, a mention or an invite, and shows every character it was given', () => {
    fc.assert(
      fc.property(text, (given) => {
        const escaped = plainText(given);
        expect(linksIn(escaped)).toEqual([]);
        expect(escaped).not.toMatch(/@everyone|@here|<[@#][!&]?\d|discord\.gg\//i);
        expect(shown(escaped)).toBe(given);
      }),
      { numRuns: 2_000 },
    );
  });

  it('escapes in time linear in the length (discord.js’s escapeMarkdown took 1.4 s for 12,000 characters)', () => {
    for (const unit of HOSTILE_UNITS) expect(growth(plainText, (n) => repeatTo(unit, n), 2_000)).toBeLessThan(LINEAR);
  });
});

describe('echoText', () => {
  it('echoes the user on one line, cut to what is shown before it is escaped', () => {
    expect(echoText('**who** is\nTom Homan?', 200)).toBe('\\*\\*who\\*\\* is Tom Homan?');
    expect(echoText('_'.repeat(10_000), 10)).toBe(`${'\\_'.repeat(9)}…`);
  });
});

describe('markdownLink and linkTarget', () => {
  it('escapes a title used as a link label, so it can neither end the label nor start a link', () => {
    expect(markdownLink('Cheap [flights](https://phish.example)', 'https://news.example/story')).toBe(
      '[Cheap \\[flights\\]\\(https\u200b://phish.example\\)](https://news.example/story)',
    );
  });

  it('percent-encodes what would end a Markdown link, so a planted URL stays one link to its own site', () => {
    const planted = 'https://news.example/story)[Log in to keep reading](https://phish.example/login)';
    expect(linkTarget(planted)).toBe(
      'https://news.example/story%29%5BLog%20in%20to%20keep%20reading%5D%28https://phish.example/login%29',
    );
    expect(markdownLink('Story', planted)).toBe(`[Story](${linkTarget(planted) ?? ''})`);
    expect(linkTarget('http://[::1]:8080/a(b)\\c?q=\\)')).toBe('http://[::1]:8080/a%28b%29/c?q=%5C%29');
    // A user name can make a link show one host and go to another: such a URL is no link.
    expect(linkTarget('https://phish.example)@news.example/fares')).toBeNull();
    expect(markdownLink('Ferry Fares', 'https://user:pass@news.example/fares')).toBe('Ferry Fares');
  });

  it('gives no link for anything but an absolute http(s) URL', () => {
    for (const url of ['javascript:alert(1)', 'ftp://x.example/a', '/relative', 'data:text/html,hi', 'not a url'])
      expect(linkTarget(url)).toBeNull();
    expect(markdownLink('Title', 'javascript:alert(1)')).toBe('Title');
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
