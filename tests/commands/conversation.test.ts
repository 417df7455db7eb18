import { describe, expect, it } from 'vitest';
import { defineCommand, type Invoker } from '../../src/commands/command.js';
import { readsAsFollowUp } from '../../src/commands/conversation.js';
import { createHandler } from '../../src/commands/handler.js';
import { commands } from '../../src/commands/index.js';
import { TERMINAL_SURFACE } from '../../src/terminal/session.js';
import { SEED_DIR } from '../support/content.js';
import { captureLogger } from '../support/logger.js';
import { servedContent } from '../support/served.js';

const reader: Invoker = { id: '1', name: 'reader', isModerator: false, guildId: null };

async function handlerOver(extra = [] as typeof commands) {
  const { knowledge, reloadContent } = await servedContent(SEED_DIR);
  return createHandler({
    knowledge,
    reloadContent,
    logger: captureLogger().logger,
    commands: [...commands, ...extra],
    surface: TERMINAL_SURFACE,
  });
}

describe('follow-up questions', () => {
  it('reads a pronoun question or a bare "why?" with the last question, and a question about the article on its own', async () => {
    const handler = await handlerOver();
    const thread = { thread: 'session' };
    const ask = async (question: string) => {
      const reply = await handler.ask(question, reader, thread);
      handler.delivered(reply, thread);
      return reply;
    };
    const first = await ask('what did Sheinbaum propose?');
    expect(first.passages?.[0]?.answer).toContain('constitutional amendment');

    const published = await ask('when was it published?');
    expect(published.title).toBe('About the article');
    expect(published.body ?? '').not.toContain('Read with your earlier question');
    expect(published.passages?.[0]?.answer).toContain('20 February 2025');
    expect((await ask('who wrote it?')).title).toBe('About the article');

    for (const bare of ['why?', 'how?']) {
      const reply = await ask(bare);
      expect(reply.tone).toMatch(/^(?:answer|hedged)$/);
      expect(reply.body).toContain('Read with your earlier question: “what did Sheinbaum propose?”.');
      expect(reply.passages?.[0]?.answer).toContain('constitutional amendment');
    }
  });

  it('answers the same question about the article alike whether it comes first or after another', async () => {
    const handler = await handlerOver();
    const alone = await handler.ask('when was it published?', reader, { thread: 'a' });
    const before = await handler.ask('what did Sheinbaum propose?', reader, { thread: 'b' });
    handler.delivered(before, { thread: 'b' });
    const after = await handler.ask('when was it published?', reader, { thread: 'b' });
    expect(after.passages?.[0]?.answer).toBe(alone.passages?.[0]?.answer);
  });

  it('tells follow-ups from questions that stand alone', () => {
    expect(readsAsFollowUp('what did he threaten to do?')).toBe(true);
    expect(readsAsFollowUp('why?')).toBe(true);
    expect(readsAsFollowUp('How so?')).toBe(true);
    expect(readsAsFollowUp('what did Hegseth say about the cartels?')).toBe(false);
    expect(readsAsFollowUp('why did the designation anger Mexico?')).toBe(false);
  });
});

describe('command options', () => {
  it('reach execute checked against the option list: typed, unknown ones dropped, a missing required text empty', async () => {
    const seen: unknown[] = [];
    const echo = defineCommand({
      data: {
        name: 'echo',
        description: 'test',
        options: [
          { name: 'text', description: 'text', type: 'string', required: true },
          { name: 'count', description: 'count', type: 'integer', required: false },
        ],
      },
      execute(_context, options) {
        // Typed from the list: text is a string, count a number or undefined.
        const text: string = options.text;
        const count: number | undefined = options.count;
        seen.push({ text, count });
        return { tone: 'info', title: 'ok', ephemeral: true };
      },
    });
    expect(echo.data).toMatchObject({ preconditions: [], rateLimit: null, defer: null });
    const handler = await handlerOver([echo]);
    await handler.run('echo', { text: 'hi', count: 2, extra: 'x' }, reader);
    await handler.run('echo', { count: '3' }, reader);
    await handler.run('echo', { count: 2.5, text: 7 }, reader);
    expect(seen).toEqual([
      { text: 'hi', count: 2 },
      { text: '', count: undefined },
      { text: '', count: undefined },
    ]);
  });
});
