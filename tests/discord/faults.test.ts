import { copyFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.js';
import { articleText, SEED_DIR, makeContentDir } from '../support/content.js';
import type { MessageBody } from '../support/fakeDiscord/index.js';
import { answerText } from '../support/discordText.js';

let t: TestBot;
let content: Awaited<ReturnType<typeof makeContentDir>>;

beforeAll(async () => {
  content = await makeContentDir({ 'bridge.md': articleText() });
  await copyFile(
    path.join(SEED_DIR, 'articles', 'mexico-us-cartel-sovereignty.md'),
    path.join(content.articles, 'mexico-us-cartel-sovereignty.md'),
  );
  t = await startTestBot({
    dataDir: content.dir,
    env: { RATE_LIMIT: 'off', INDEX_CACHE: 'off' },
    fake: { defaultTimeoutMs: 8000 },
  });
  // discord.js handles gateway events concurrently: a drop in the very first moments after READY
  // makes it identify again instead of resuming. A bot that has been up a moment resumes.
  await sleep(200);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(async () => {
  await t?.stop();
  await content?.dispose();
});

const embedsOf = (body: MessageBody | undefined) => body?.embeds ?? [];
const ask = (question: string, user = 'member') =>
  t.discord.sendInteraction({ type: 'command', name: 'ask', user, options: { question } });
const logged = (event: string) =>
  t.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.event === event);

describe('gateway faults', () => {
  it.each([
    ['close 4000 (resumable)', 4000, false],
    ['a dropped TCP connection', 4000, true],
  ] as const)('after %s, answers the message that arrived while it was away', async (_label, code, drop) => {
    const reconnected = t.discord.closeGateway(code, { drop });
    await sleep(50); // the bot is now disconnected: Discord keeps this event for the resume
    const missed = t.discord.sendMessage({ content: `${t.discord.mention('bot')} who is Tom Homan?` });
    await reconnected;
    expect(answerText(await missed.reply())).toContain('Tom Homan');
    expect(answerText((await ask('fentanyl').reply()).data)).toContain('fentanyl');
  });

  // After 1000 and 1001 the client starts a new session, for which Discord replays nothing.
  it.each([1000, 1001])('after close %i, reconnects and answers', async (code) => {
    await t.discord.closeGateway(code);
    expect(answerText((await ask('steel cables').reply()).data)).toContain('steel cables');
  });

  it('after op 7 (reconnect), resumes and answers what arrived meanwhile', async () => {
    const resumes = t.discord.resumeCount;
    const reconnecting = t.discord.requestReconnect();
    await sleep(50);
    const missed = t.discord.sendMessage({ content: `${t.discord.mention('bot')} what did Hegseth say?` });
    await reconnecting;
    expect(t.discord.resumeCount).toBe(resumes + 1);
    expect(answerText(await missed.reply())).toContain('all options are on the table');
  });

  it('after op 9 (invalid session), identifies again and answers', async () => {
    const identifies = t.discord.identifyCount;
    expect(await t.discord.closeGateway(4000, { invalidateSession: true })).toEqual([{ shardId: 0, kind: 'identify' }]);
    expect(t.discord.identifyCount).toBe(identifies + 1);
    expect(answerText((await ask('cyclists').reply()).data)).toContain('Cyclists');
  });
});

describe('REST faults', () => {
  it('waits out a 429 with Retry-After on a reply and delivers it', async () => {
    const handle = ask('fentanyl');
    t.discord.failNext({
      method: 'POST',
      path: new RegExp(`/interactions/${handle.id}/`),
      status: 429,
      retryAfter: 0.3,
    });
    expect(answerText((await handle.reply()).data)).toContain('fentanyl');
    // An answer's callback asks for the message it creates (to read replies to it): 200 with it.
    expect(handle.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('loses no other reply when one fails with 500s, and logs the failure once', async () => {
    const before = logged('interaction.failed').length;
    const failing = ask('steel cables');
    t.discord.failNext({ method: 'POST', path: new RegExp(`/interactions/${failing.id}/`), status: 500, times: 4 });
    const others = ['fentanyl', 'who is Tom Homan?', 'cyclists'].map((question) => ask(question, 'owner'));
    const replies = await Promise.all(others.map((handle) => handle.reply()));
    for (const reply of replies) expect(embedsOf(reply.data)[0]?.title).toMatch(/^(?:Answer|Not sure): /);
    expect(embedsOf((await failing.reply()).data)[0]?.title).toBe('Something went wrong');
    expect(logged('interaction.failed').length - before).toBe(1);
  });

  it('keeps answering others while the API is slow (2 s) for one reply', async () => {
    const slow = ask('fentanyl');
    t.discord.slowNext({ method: 'POST', path: new RegExp(`/interactions/${slow.id}/`) }, 2000);
    const started = Date.now();
    const fast = await ask('who is Tom Homan?', 'owner').reply();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(answerText(fast.data)).toContain('Tom Homan');
    expect(answerText((await slow.reply()).data)).toContain('fentanyl');
  });
});

describe('content faults', () => {
  it('answers questions in flight during a reload from the old or the new index, never a half-built one', async () => {
    await writeFile(
      path.join(content.articles, 'bridge.md'),
      articleText().replace('300 steel cables', '450 steel cables'),
    );
    const questions = Array.from({ length: 30 }, () => ask('how many steel cables were replaced?', 'owner'));
    const reload = t.discord.sendInteraction({ type: 'command', name: 'reload', user: 'moderator' });
    const more = Array.from({ length: 30 }, () => ask('how many steel cables were replaced?', 'owner'));
    const answers = await Promise.all(
      [...questions, ...more].map(async (handle) => answerText((await handle.reply()).data) ?? ''),
    );
    for (const answer of answers) expect(answer).toMatch(/\*\*Engineers replaced (300|450) steel cables\.\*\*/);
    expect(embedsOf(await reload.editReply())[0]?.title).toBe('Content reloaded');
    expect(answerText((await ask('how many steel cables were replaced?').reply()).data)).toContain('450 steel cables');
  });

  it('reports a file deleted or corrupted since start-up, and keeps serving', async () => {
    await writeFile(path.join(content.articles, 'bridge.md'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    const refused = embedsOf(
      await t.discord.sendInteraction({ type: 'command', name: 'reload', user: 'moderator' }).editReply(),
    );
    expect(refused[1]?.description).toContain('bridge.md: not valid UTF-8 text');
    await rm(path.join(content.articles, 'bridge.md'));
    const applied = embedsOf(
      await t.discord.sendInteraction({ type: 'command', name: 'reload', user: 'moderator' }).editReply(),
    );
    expect(applied[0]?.description).toMatch(/^Articles removed: bridge; passages: 0 added, 4 removed, 0 changed\./);
    expect(answerText((await ask('who is Tom Homan?').reply()).data)).toContain('Tom Homan');
  });

  it('tells the moderator when the whole content directory has gone, and keeps serving', async () => {
    const moved = `${content.dir}-moved`;
    const { rename } = await import('node:fs/promises');
    await rename(content.dir, moved);
    try {
      const reply = embedsOf(
        await t.discord.sendInteraction({ type: 'command', name: 'reload', user: 'moderator' }).editReply(),
      );
      expect(reply[0]?.title).toBe('Reload refused: the previous content is still serving');
      expect(reply[1]?.description).toContain('content directory not found');
      expect(answerText((await ask('who is Tom Homan?').reply()).data)).toContain('Tom Homan');
    } finally {
      await rename(moved, content.dir);
    }
  });
});

describe('every message, on every path', () => {
  it('pinged nobody, errors and cooldowns included', () => {
    const outgoing = t.discord.outgoingMessages();
    expect(outgoing.some((m) => m.body.embeds?.[0]?.title === 'Something went wrong')).toBe(true);
    for (const message of outgoing) expect(message.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});
