import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.js';
import type { MessageBody } from '../support/fakeDiscord/index.js';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot({ env: { RATE_LIMIT: 'off' } });
});

afterAll(async () => {
  await t?.stop();
});

const ask = async (question: string): Promise<MessageBody> =>
  (await t.discord.sendInteraction({ type: 'command', name: 'ask', options: { question } }).reply()).data ?? {};

describe('graded answers, through Discord', () => {
  it('shows a hedged answer unlike a confident one: its own title, colour and first words', async () => {
    const confident = (await ask('who proposed a constitutional amendment?')).embeds?.[0];
    const hedged = (await ask('fentanyl')).embeds?.[0];
    expect(confident?.title).toBe('Answer: “who proposed a constitutional amendment?”');
    expect(hedged?.title).toBe('Not sure: “fentanyl”');
    expect(hedged?.color).not.toBe(confident?.color);
    expect(hedged?.description).toMatch(
      /^I'm not sure the article covers this(?: \([^)]+\))?; the closest passage is:\n\n/,
    );
    expect(hedged?.description).toContain('fentanyl');
  });

  it('puts the short answer first, in bold, before the passage', async () => {
    const count = (await ask('how many groups were designated?')).embeds?.[0];
    expect(count?.description).toMatch(/^\*\*Six\*\* — \*\*The U\.S\. unilaterally designated six Mexican/);
    const who = (await ask('who threatened military action?')).embeds?.[0];
    expect(who?.description).toMatch(/^\*\*Tom Homan\*\* — /);
    // A question that asks for no single phrase gets the passage alone.
    expect((await ask('what did Hegseth say about the cartels?')).embeds?.[0]?.description).toMatch(
      /^\*\*U\.S\. officials/,
    );
  });

  it('lists in /gaps the questions answered only with low confidence', async () => {
    await ask('cooperation');
    await ask('cooperation?');
    await ask('who won the 2022 world cup?');
    const report = await t.discord.sendInteraction({ type: 'command', name: 'gaps', user: 'owner' }).editReply();
    const lists = new Map((report.embeds ?? []).map((embed) => [embed.title, embed.description]));
    expect(lists.get('Answered only with low confidence, most asked first')).toContain('• 2× (1 person): cooperation?');
    expect(lists.get('Answered only with low confidence, most asked first')).toContain('fentanyl');
    expect(lists.get('Not covered, most asked first')).toContain('who won the 2022 world cup?');
  });
});
