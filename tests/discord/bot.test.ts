import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InteractionResponseType, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, embedLength } from '../../src/discord/limits.js';
import { REGISTERED_COMMAND_NAMES, startTestBot, type TestBot } from '../support/bot.js';
import { articleText, makeContentDir, SEED_DIR } from '../support/content.js';
import type { MessageBody } from '../support/fakeDiscord/index.js';
import { answerText } from '../support/discordText.js';

let t: TestBot;
let content: Awaited<ReturnType<typeof makeContentDir>>;

beforeAll(async () => {
  content = await makeContentDir({});
  const { copyFile } = await import('node:fs/promises');
  await copyFile(
    path.join(SEED_DIR, 'articles', 'mexico-us-cartel-sovereignty.md'),
    path.join(content.articles, 'mexico-us-cartel-sovereignty.md'),
  );
  t = await startTestBot({ dataDir: content.dir, env: { RATE_LIMIT: 'off' } });
});

afterAll(async () => {
  await t?.stop();
  await content?.dispose();
});

const embedsOf = (body: MessageBody | undefined) => body?.embeds ?? [];

describe('slash commands', () => {
  it('registers every command, /reload as guild-only with Manage Server by default', () => {
    const registered = t.discord.registeredCommands(t.discord.guild.id);
    expect(registered.map((c) => c.name)).toEqual(REGISTERED_COMMAND_NAMES);
    const reload = registered.find((c) => c.name === 'reload');
    expect(reload?.default_member_permissions).toBe('32');
    expect(reload?.contexts).toEqual([0]);
  });

  it('/ask answers with the best passage first, its best sentence in bold, linked article and sources', async () => {
    const reply = await t.discord
      .sendInteraction({
        type: 'command',
        name: 'ask',
        options: { question: 'what did Hegseth say about the cartels?' },
      })
      .reply();
    expect(reply.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(reply.data?.flags ?? 0).toBe(0);
    // One embed: the best passage with its answer sentence in bold, then the article, section and sources.
    const embeds = embedsOf(reply.data);
    expect(embeds).toHaveLength(1);
    expect(embeds[0]?.title).toBe('Answer: “what did Hegseth say about the cartels?”');
    const [passage = '', line = ''] = embeds[0]?.description?.split('\n\n') ?? [];
    expect(passage).toMatch(
      /^\*\*U\.S\. officials, including Defense Secretary Pete Hegseth, suggest that all options are on the table/,
    );
    expect(line).toMatch(
      /^Mexico’s Assertive Stance Shakes Up U\.S\. Relations Over Crime And Gun Issues · Key Insights · Sources: /,
    );
    expect(line).toContain(
      '[reuters.com](https://www.reuters.com/world/americas/mexico-was-not-consulted-us-designation-cartels-terrorist-organizations-2025-02-20/)',
    );
    const row = reply.data?.components?.[0] as { components: Array<{ label: string }> } | undefined;
    expect(row?.components.map((b) => b.label)).toEqual(['More passages', '👍', '👎']);
  });

  it('/ask says honestly when the article does not cover the question', async () => {
    const reply = await t.discord
      .sendInteraction({ type: 'command', name: 'ask', options: { question: 'who won the 2022 world cup?' } })
      .reply();
    const embeds = embedsOf(reply.data);
    expect(embeds).toHaveLength(1);
    expect(embeds[0]?.description).toBe("The article doesn't cover that. Try /insights to see what it does cover.");
  });

  it('/insights lists the key insights with sources; /sources the links; /help privately', async () => {
    const insights = embedsOf((await t.discord.sendInteraction({ type: 'command', name: 'insights' }).reply()).data);
    expect(insights[0]?.description).toBe('Pictured: Directional sign for Mexico and USA.');
    expect(insights[1]?.description?.split('\n')).toHaveLength(5);
    expect(insights[1]?.description).toContain(
      '• Sheinbaum proposed a constitutional amendment to reject foreign interventions in Mexico.',
    );
    expect(insights.at(-1)?.title).toBe('Sources');

    const sources = embedsOf(
      (await t.discord.sendInteraction({ type: 'command', name: 'sources', options: { article: 'mexico' } }).reply())
        .data,
    );
    expect(sources.at(-1)?.description?.match(/\]\(https:/g)).toHaveLength(3);
    expect(sources.at(-1)?.description).toContain('Gun Issues** (2025-02-20)');

    const help = await t.discord.sendInteraction({ type: 'command', name: 'help' }).reply();
    expect(help.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(embedsOf(help.data)[1]).toMatchObject({ title: 'Commands' });
    expect(answerText(help.data)).toContain(
      '• /ask <question> [private] [limit] — Ask a question about the article in your own words',
    );
  });

  it('/search pages through matches with buttons', async () => {
    const search = t.discord.sendInteraction({ type: 'command', name: 'search', options: { query: 'sovereignty' } });
    const first = await search.reply();
    const row = first.data?.components?.[0] as
      { components: Array<{ custom_id: string; label: string; disabled: boolean }> } | undefined;
    expect(row?.components.map((b) => [b.label, b.disabled])).toEqual([
      ['◀ Previous', true],
      ['Page 1 of 2', true],
      ['Next ▶', false],
    ]);
    const firstIds = embedsOf(first.data).map((e) => e.description);
    const next = row?.components[2]?.custom_id ?? '';
    const page2 = await t.discord.sendInteraction({ type: 'button', customId: next }).reply();
    expect(page2.type).toBe(InteractionResponseType.UpdateMessage);
    const row2 = page2.data?.components?.[0] as { components: Array<{ label: string; disabled: boolean }> } | undefined;
    expect(row2?.components.map((b) => [b.label, b.disabled])).toEqual([
      ['◀ Previous', false],
      ['Page 2 of 2', true],
      ['Next ▶', true],
    ]);
    expect(embedsOf(page2.data).map((e) => e.description)).not.toEqual(firstIds);
  });

  it('autocompletes questions from the index (the user’s text first) and article titles', async () => {
    const question = await t.discord
      .sendInteraction({ type: 'autocomplete', name: 'ask', options: { question: 'hegseth opt' } })
      .reply();
    expect(question.data?.choices?.[0]).toEqual({ name: 'hegseth opt', value: 'hegseth opt' });
    expect(question.data?.choices?.map((c) => c.name)).toContain('hegseth options');
    const article = await t.discord
      .sendInteraction({ type: 'autocomplete', name: 'insights', options: { article: 'stance' } })
      .reply();
    expect(article.data?.choices).toEqual([
      {
        name: 'Mexico’s Assertive Stance Shakes Up U.S. Relations Over Crime And Gun Issues',
        value: 'mexico-us-cartel-sovereignty',
      },
    ]);
  });

  it('escapes user text it echoes, so "@everyone" or a mention never forms', async () => {
    const reply = await t.discord
      .sendInteraction({
        type: 'command',
        name: 'ask',
        options: { question: '@everyone <@1300000000000000013> what about **fentanyl**?' },
      })
      .reply();
    const title = embedsOf(reply.data)[0]?.title ?? '';
    expect(title).not.toContain('@everyone');
    expect(title).not.toMatch(/<@\d/);
    expect(title).toContain('\\*\\*fentanyl\\*\\*');
    expect(reply.data?.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});

describe('questions in messages', () => {
  it('answers a message that mentions the bot with a reply to it', async () => {
    const message = t.discord.sendMessage({ content: `${t.discord.mention('bot')} who is Tom Homan?` });
    const reply = await message.reply();
    expect(reply.message_reference?.message_id).toBe(message.id);
    expect(answerText(reply)).toContain(
      '**Adding to the tension, Trump’s former border czar, Tom Homan, has threatened military action',
    );
  });

  it('takes a reply to its answer for a question only when it asks one', async () => {
    await t.discord.sendMessage({ content: `${t.discord.mention('bot')} who is Tom Homan?` }).reply();
    const answer = t.discord
      .messagesIn()
      .filter((m) => m.author.bot === true)
      .at(-1);
    const before = t.discord.outgoingMessages().length;
    // Discord lists the replied-to author among the mentions of a reply that pings: that alone is not a question.
    expect(
      t.discord.sendMessage({ content: 'thanks, that helps', replyTo: answer?.id, mentions: ['bot'] }).delivered,
    ).toBe(true);
    const followUp = t.discord.sendMessage({
      content: `${t.discord.mention('bot')} and fentanyl?`,
      replyTo: answer?.id,
    });
    expect(answerText(await followUp.reply())).toContain('fentanyl');
    expect(t.discord.outgoingMessages().length - before).toBe(1);
  });

  it('ignores other bots, and messages that do not mention it outside the ask channels', async () => {
    const before = t.discord.outgoingMessages().length;
    expect(
      t.discord.sendMessage({ content: `${t.discord.mention('bot')} who is Tom Homan?`, author: 'otherBot' }).delivered,
    ).toBe(true);
    expect(t.discord.sendMessage({ content: 'who is Tom Homan?' }).delivered).toBe(true);
    // A later mention is answered: anything sent for the two above would have come first.
    await t.discord.sendMessage({ content: `${t.discord.mention('bot')} fentanyl?` }).reply();
    const replies = t.discord.outgoingMessages().slice(before);
    expect(replies).toHaveLength(1);
  });
});

describe('/reload', () => {
  it('is refused at run time to a member, even if the server opened the command to everyone', async () => {
    const reply = await t.discord.sendInteraction({ type: 'command', name: 'reload', user: 'member' }).response();
    expect(embedsOf(reply)[0]?.description).toContain('Only moderators can run /reload');
    expect(t.logs.some((line) => line.includes('"event":"content.reload"'))).toBe(false);
  });

  it('is refused in direct messages', async () => {
    const reply = await t.discord
      .sendInteraction({ type: 'command', name: 'reload', user: 'moderator', guildId: null })
      .response();
    expect(embedsOf(reply)[0]?.description).toContain('Only moderators can run /reload');
  });

  it('reloads for a moderator, privately, reporting what changed, and logs who did it', async () => {
    await writeFile(path.join(content.articles, 'bridge.md'), articleText());
    const reload = t.discord.sendInteraction({ type: 'command', name: 'reload', user: 'moderator' });
    expect(await reload.reply()).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    const edit = await reload.editReply();
    expect(embedsOf(edit)[0]).toMatchObject({
      title: 'Content reloaded',
      description:
        'Articles added: bridge; passages: 4 added, 0 removed, 0 changed. Now serving 2 articles, 18 passages.',
    });
    const logged = t.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.event === 'content.reload');
    expect(logged).toMatchObject({ userId: t.discord.users.moderator.id, applied: true });
    const answer = await t.discord
      .sendInteraction({ type: 'command', name: 'ask', options: { question: 'how many steel cables were replaced?' } })
      .reply();
    expect(answerText(answer.data)).toContain('**Engineers replaced 300 steel cables.**');
  });

  it('keeps the old index serving when a file is broken, and lists the file:line problems', async () => {
    await writeFile(
      path.join(content.articles, 'bridge.md'),
      '---\ntitle: Bridge\nsources:\n  - not a url\n---\n\nThe bridge is closed.\n',
    );
    const edit = await t.discord.sendInteraction({ type: 'command', name: 'reload', user: 'admin' }).editReply();
    const embeds = embedsOf(edit);
    expect(embeds[0]?.title).toBe('Reload refused: the previous content is still serving');
    expect(embeds[1]?.description).toBe(
      `• ${path.join(content.articles, 'bridge.md')}:4: source is not an http(s) URL: "not a url"`,
    );
    const answer = await t.discord
      .sendInteraction({ type: 'command', name: 'ask', options: { question: 'how many steel cables were replaced?' } })
      .reply();
    expect(answerText(answer.data)).toContain('**Engineers replaced 300 steel cables.**');
  });
});

describe('gateway', () => {
  it('resumes after a resumable drop (close 4000) and answers the next question', async () => {
    const identifies = t.discord.identifyCount;
    expect(await t.discord.closeGateway(4000)).toEqual([{ shardId: 0, kind: 'resume' }]);
    expect(t.discord.identifyCount).toBe(identifies);
    const reply = await t.discord
      .sendInteraction({ type: 'command', name: 'ask', options: { question: 'fentanyl' } })
      .reply();
    expect(answerText(reply.data)).toContain('fentanyl');
  });
});

describe('error boundary', () => {
  it('logs a failed reply with its context, tells the user privately, and keeps serving', async () => {
    t.discord.failNext({ method: 'POST', path: /\/interactions\/\d+\/[^/]+\/callback$/, status: 500, times: 4 });
    const failing = t.discord.sendInteraction({ type: 'command', name: 'ask', options: { question: 'fentanyl' } });
    const apology = await failing.reply();
    expect(failing.requests.map((r) => r.status)).toEqual([500, 500, 500, 500, 204]);
    expect(embedsOf(apology.data)[0]?.title).toBe('Something went wrong');
    expect(apology.data?.flags).toBe(MessageFlags.Ephemeral);
    const logged = t.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.event === 'interaction.failed');
    expect(logged).toMatchObject({ level: 'error', interactionId: failing.id, userId: t.discord.users.member.id });
    expect(JSON.stringify(apology)).not.toMatch(/Internal Server Error|Injected/);

    const next = await t.discord
      .sendInteraction({ type: 'command', name: 'ask', options: { question: 'fentanyl' } })
      .reply();
    expect(answerText(next.data)).toContain('fentanyl');
  });
});

describe('every message the bot sent', () => {
  it('pings nobody and fits Discord’s limits', () => {
    const outgoing = t.discord.outgoingMessages();
    expect(outgoing.length).toBeGreaterThan(15);
    for (const message of outgoing) {
      expect(message.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
      const embeds = message.body.embeds ?? [];
      expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
      expect(embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    }
  });
});
