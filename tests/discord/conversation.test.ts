import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.js';
import { textOf } from '../support/discordText.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ env: { RATE_LIMIT: 'off' } });
});
afterAll(async () => {
  await t?.stop();
});

/** The bot's latest message in the default channel (an answer), as Discord stored it. */
function lastBotMessage(): { id: string } {
  const message = t.discord
    .messagesIn()
    .filter((m) => m.author.bot === true)
    .at(-1);
  if (!message) throw new Error('the bot has posted nothing');
  return message;
}

/** Waits until the bot has noted which answer a message carried (it does so right after sending it). */
async function linked(messageId: string): Promise<void> {
  for (let i = 0; i < 100 && (await t.store.questionOfMessage(messageId)) === null; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('follow-up questions', () => {
  it('answers a reply to its answer in the context of the question it replies to, and says so', async () => {
    await t.discord.sendMessage({ content: `${t.discord.mention('bot')} who is Tom Homan?` }).reply();
    const answer = lastBotMessage();
    await linked(answer.id);
    // Discord's reply pings the bot (it lists it among the mentions) without the text naming it.
    const followUp = t.discord.sendMessage({
      content: 'what did he threaten to do?',
      replyTo: answer.id,
      mentions: ['bot'],
    });
    const text = textOf(await followUp.reply());
    expect(text).toContain('Read with your earlier question: “who is Tom Homan?”');
    expect(text).toContain('has threatened military action if cartels target U.S. security forces');
  });

  it('answers a reply about the article itself, or a bare "why?", by the same rules as the terminal', async () => {
    await t.discord.sendMessage({ content: `${t.discord.mention('bot')} what did Sheinbaum propose?` }).reply();
    const answer = lastBotMessage();
    await linked(answer.id);
    const published = textOf(
      await t.discord.sendMessage({ content: 'when was it published?', replyTo: answer.id, mentions: ['bot'] }).reply(),
    );
    expect(published).toContain('About the article');
    expect(published).not.toContain('Read with your earlier question');
    const why = textOf(await t.discord.sendMessage({ content: 'why?', replyTo: answer.id, mentions: ['bot'] }).reply());
    expect(why).toContain('Read with your earlier question: “what did Sheinbaum propose?”');
  });

  it('leaves a reply that asks nothing ("thanks, that helps") unanswered', async () => {
    await t.discord.sendMessage({ content: `${t.discord.mention('bot')} fentanyl` }).reply();
    const answer = lastBotMessage();
    const before = t.discord.outgoingMessages().length;
    expect(
      t.discord.sendMessage({ content: 'thanks, that helps', replyTo: answer.id, mentions: ['bot'] }).delivered,
    ).toBe(true);
    // A later question is answered: anything sent for the reply above would have come first.
    await t.discord.sendMessage({ content: `${t.discord.mention('bot')} who is Tom Homan?` }).reply();
    expect(t.discord.outgoingMessages().length - before).toBe(1);
  });

  it('reads a reply to a slash-command answer the same way', async () => {
    const ask = t.discord.sendInteraction({ type: 'command', name: 'ask', options: { question: 'who is Tom Homan?' } });
    await ask.reply();
    const original = lastBotMessage();
    await linked(original.id);
    const followUp = t.discord.sendMessage({
      content: 'what did he threaten to do?',
      replyTo: original.id,
      mentions: ['bot'],
    });
    expect(textOf(await followUp.reply())).toContain('Read with your earlier question: “who is Tom Homan?”');
  });
});

describe('"Ask the article" on any message', () => {
  it('answers privately with what the article says about the message’s claim, without the Message Content intent', async () => {
    // A member's message that does not mention the bot: the bot never sees its text (no intent).
    t.discord.sendMessage({
      content: 'The US just designated six cartels as terrorist organizations, without asking Mexico',
    });
    const claim = t.discord
      .messagesIn()
      .filter((m) => m.author.bot !== true)
      .at(-1);
    const reply = await t.discord
      .sendInteraction({ type: 'message-command', name: 'Ask the article', target: claim?.id ?? '' })
      .reply();
    expect(reply.data?.flags).toBe(MessageFlags.Ephemeral);
    const text = textOf(reply.data);
    expect(text).toContain('What the article says about that');
    expect(text).toContain('designated six Mexican organized crime groups as foreign terrorist organizations');
  });

  it('is registered as a message command named as the Apps menu shows it', () => {
    const command = t.discord.registeredCommands(t.discord.guild.id).find((c) => c.name === 'Ask the article');
    expect(command?.type).toBe(3);
  });
});
