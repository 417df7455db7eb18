import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.js';
import type { MessageBody } from '../support/fakeDiscord/index.js';
import { textOf } from '../support/discordText.js';

let dir: string;
let t: TestBot;
const databasePath = (): string => path.join(dir, 'bot.sqlite');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'article-bot-feedback-'));
  t = await startTestBot({ env: { RATE_LIMIT: 'off' }, databasePath: databasePath() });
});

afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

type Buttons = { components: Array<{ custom_id: string; label: string }> } | undefined;
const buttonsOf = (body: MessageBody | undefined) => (body?.components?.[0] as Buttons)?.components ?? [];
const press = async (customId: string, user: string) =>
  (await t.discord.sendInteraction({ type: 'button', customId, user }).reply()).data;

describe('feedback on answers, and /gaps', () => {
  it('puts 👍 and 👎 under an answer; one vote per person, acknowledged privately, and a second press changes it', async () => {
    const answer = await t.discord
      .sendInteraction({ type: 'command', name: 'ask', options: { question: 'who is Tom Homan?' } })
      .reply();
    const up = buttonsOf(answer.data).find((b) => b.label === '👍');
    const down = buttonsOf(answer.data).find((b) => b.label === '👎');
    // Only one passage answers this, so there is no "More passages".
    expect(buttonsOf(answer.data).map((b) => b.label)).toEqual(['👍', '👎']);
    const first = await press(down?.custom_id ?? '', 'member');
    expect(first?.flags).toBe(MessageFlags.Ephemeral);
    expect(textOf(first)).toContain('your 👎 is recorded');
    expect(textOf(await press(down?.custom_id ?? '', 'member'))).toContain('You already gave this answer a 👎');
    expect(textOf(await press(up?.custom_id ?? '', 'member'))).toContain('Changed your vote to 👍');
    expect(textOf(await press(down?.custom_id ?? '', 'owner'))).toContain('your 👎 is recorded');
    expect((await t.store.gaps(30)).disliked).toEqual([{ question: 'who is Tom Homan?', down: 1, up: 1 }]);
  });

  it('shows a moderator the uncovered questions and the 👎 answers, and refuses /gaps to a member, privately', async () => {
    for (const question of [
      'what time does the bakery open?',
      'What time does the bakery open',
      'who won the Davis Cup final?',
    ]) {
      const reply = await t.discord.sendInteraction({ type: 'command', name: 'ask', options: { question } }).reply();
      expect(textOf(reply.data)).toContain('Not covered');
    }
    const refused = await t.discord.sendInteraction({ type: 'command', name: 'gaps', user: 'member' }).editReply();
    expect(textOf(refused)).toContain('Only moderators can run /gaps');
    const report = await t.discord.sendInteraction({ type: 'command', name: 'gaps', user: 'owner' }).editReply();
    const text = textOf(report);
    expect(text).toContain('2× (1 person): What time does the bakery open');
    expect(text).toContain('1× (1 person): who won the Davis Cup final?');
    expect(text).toContain('1 👎, 1 👍: who is Tom Homan?');
  });

  it('keeps what /gaps shows, and the votes, across a restart', async () => {
    const answer = await t.discord
      .sendInteraction({ type: 'command', name: 'ask', options: { question: 'fentanyl' } })
      .reply();
    const down = buttonsOf(answer.data).find((b) => b.label === '👎')?.custom_id ?? '';
    await t.stop();
    t = await startTestBot({ env: { RATE_LIMIT: 'off' }, databasePath: databasePath() });
    expect(textOf(await press(down, 'member'))).toContain('your 👎 is recorded');
    const report = textOf(
      await t.discord.sendInteraction({ type: 'command', name: 'gaps', user: 'owner' }).editReply(),
    );
    expect(report).toContain('What time does the bakery open');
    expect(report).toContain('1 👎: fentanyl');
  });
});

describe('private answers, Share and More passages', () => {
  it('answers /ask private:true only to the asker, with a Share button that posts it for everyone, pinging nobody', async () => {
    const ask = t.discord.sendInteraction({
      type: 'command',
      name: 'ask',
      options: { question: 'what did Hegseth say about the cartels?', private: true },
    });
    const answer = await ask.reply();
    expect(answer.data?.flags).toBe(MessageFlags.Ephemeral);
    const shareButton = buttonsOf(answer.data).find((b) => b.label === 'Share');
    expect(shareButton).toBeDefined();
    const shared = await t.discord
      .sendInteraction({
        type: 'button',
        customId: shareButton?.custom_id ?? '',
        user: 'member',
        message: answer.data as never,
      })
      .reply();
    expect(shared.data?.flags ?? 0).toBe(0);
    expect(textOf(shared.data)).toContain('Shared by max_member.');
    expect(textOf(shared.data)).toContain('all options are on the table');
    expect(shared.data?.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(buttonsOf(shared.data).map((b) => b.label)).not.toContain('Share');
  });

  it('shows the next passages privately on "More passages"', async () => {
    const answer = await t.discord
      .sendInteraction({ type: 'command', name: 'ask', options: { question: 'Mexico sovereignty' } })
      .reply();
    const more = buttonsOf(answer.data).find((b) => b.label === 'More passages');
    const next = await press(more?.custom_id ?? '', 'member');
    expect(next?.flags).toBe(MessageFlags.Ephemeral);
    const first = answer.data?.embeds?.[0]?.description?.split('\n\n')[0] ?? '';
    expect(textOf(next)).toContain('More passages');
    expect(textOf(next)).not.toContain(first.replace(/\*\*/g, ''));
  });
});
