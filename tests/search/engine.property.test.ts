import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/commands/answer.js';
import { searchPage } from '../../src/commands/search.js';
import { loadArticles } from '../../src/content/loadArticles.js';
import { DISCORD_LIMITS, embedLength } from '../../src/discord/limits.js';
import { renderReply } from '../../src/discord/render.js';
import { buildEngine } from '../support/engine.js';
import { UserError } from '../../src/errors.js';
import type { Engine } from '../../src/search/engine.js';
import { SEED_DIR } from '../support/content.js';

let engine: Engine;
beforeAll(async () => {
  engine = buildEngine((await loadArticles(SEED_DIR)).articles);
});

/** Text a hostile or careless Discord user might send: everything from mentions to binary junk. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ maxLength: 12_000 }),
  fc
    .array(
      fc.constantFrom(
        '<@123456789012345678>',
        '<@!123456789012345678>',
        '<@&123456789012345678>',
        '<#123456789012345678>',
        '@everyone',
        '@here',
        'https://evil.example/x',
        '[click](https://evil.example)',
        '**',
        '__',
        '~~',
        '||',
        '`',
        '```',
        '> ',
        '# ',
        '\\',
        '.*+?^${}()|[]',
        '\u200b',
        '\u200d',
        '\ufeff',
        '\u0000',
        '\u001b[2J',
        '\r\n',
        '\t',
        '🤔',
        '🇲🇽',
        'é',
        'U.S.',
        'Mexico’s',
        'cartels',
        'Hegseth',
        'sovereignty',
        'the',
        'what',
        '?',
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(' ')),
);

describe('the query path on generated input', () => {
  it('never throws, and answers within the requested limit', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: -5, max: 50 }), (question, limit) => {
        const response = engine.search(question, { limit });
        expect(response.hits.length).toBeLessThanOrEqual(25);
        expect(response.hits.length === 0).toBe(response.reason !== null);
        for (const hit of response.hits) expect(hit.passage.text).toContain(hit.answer);
      }),
      { numRuns: 10_000 },
    );
  });

  it('renders every reply within Discord’s limits, echoing user text so it cannot mention or link', () => {
    fc.assert(
      fc.property(hostileText, (question) => {
        const replies = [answerQuestion(engine, question)];
        try {
          replies.push(searchPage(engine, question, 1));
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
        }
        for (const reply of replies) {
          const message = renderReply(reply);
          expect(message.allowedMentions).toEqual({ parse: [], repliedUser: false });
          expect(message.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
          expect(message.embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(
            DISCORD_LIMITS.embedTotal,
          );
          const title = message.embeds[0]?.title ?? '';
          expect(title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
          expect(title).not.toMatch(/<[@#][!&]?\d|@everyone|@here|https?:\/\/|discord\.gg\//i);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('suggests completions for any partial question without throwing', () => {
    fc.assert(
      fc.property(hostileText, (partial) => {
        const suggestions = engine.suggest(partial, 25);
        expect(suggestions.length).toBeLessThanOrEqual(25);
        for (const suggestion of suggestions) expect(suggestion.length).toBeLessThanOrEqual(200);
      }),
      { numRuns: 10_000 },
    );
  });
});
