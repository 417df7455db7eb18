import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.js';
import { defaultGuild, type FakeUser } from '../support/fakeDiscord/index.js';

const USERS = 50;
const users: FakeUser[] = Array.from({ length: USERS }, (_, i) => ({
  id: `14000000000000${String(i).padStart(5, '0')}`,
  username: `reader_${i}`,
  globalName: `Reader ${i}`,
}));
const questions = [
  'who is Tom Homan?',
  'fentanyl',
  'what did Hegseth say?',
  'constitutional amendment',
  'how many groups were designated?',
];

let t: TestBot;

beforeAll(async () => {
  const guild = defaultGuild();
  for (const user of users) guild.members.push({ userId: user.id, roleIds: [] });
  t = await startTestBot({
    env: { RATE_LIMIT: '5/30s', INDEX_CACHE: 'off', LOG_LEVEL: 'warn' },
    fake: {
      guilds: [guild],
      users: Object.fromEntries(users.map((user) => [user.username, user])),
      defaultTimeoutMs: 20_000,
    },
  });
});

afterAll(async () => {
  await t?.stop();
});

describe('a burst of 1,000 interactions and 1,000 mentions from 50 users', () => {
  it('answers every one exactly once, or tells the user they are rate-limited; none is lost', async () => {
    const interactions = [];
    const messages = [];
    for (let i = 0; i < 1000; i++) {
      const user = users[i % USERS] as FakeUser;
      const question = questions[i % questions.length] as string;
      interactions.push(
        t.discord.sendInteraction({ type: 'command', name: 'ask', user: user.id, options: { question } }),
      );
      messages.push(t.discord.sendMessage({ content: `${t.discord.mention('bot')} ${question}`, author: user.id }));
    }

    const callbacks = await Promise.all(interactions.map((handle) => handle.reply()));
    const answered = callbacks.filter((reply) =>
      /^(?:Answer|Not sure)\b/.test(reply.data?.embeds?.[0]?.title ?? ''),
    ).length;
    const cooled = callbacks.filter(
      (reply) => reply.data?.embeds?.[0]?.title === 'One moment' && reply.data.flags === 64,
    ).length;
    expect(answered + cooled).toBe(1000);
    for (const handle of interactions)
      expect(handle.requests.filter((r) => r.path.endsWith('/callback') && [200, 204].includes(r.status))).toHaveLength(
        1,
      );

    expect(messages.every((handle) => handle.delivered)).toBe(true);
    // Every message gets exactly one response: a reply (an answer, or the first cooldown notice) or a ⏳.
    const ids = new Set(messages.map((handle) => handle.id));
    const responses = (): string[] =>
      [
        ...t.discord
          .outgoingMessages()
          .flatMap((m) => (m.body.message_reference?.message_id ? [m.body.message_reference.message_id] : [])),
        ...t.discord.requests.flatMap((r) =>
          r.method === 'PUT' && r.status === 204 ? [/\/messages\/(\d+)\/reactions\//.exec(r.path)?.[1] ?? ''] : [],
        ),
      ].filter((id) => ids.has(id));
    for (let waited = 0; responses().length < 1000 && waited < 30_000; waited += 200)
      await new Promise((resolve) => setTimeout(resolve, 200));
    const perMessage = new Map<string, number>();
    for (const id of responses()) perMessage.set(id, (perMessage.get(id) ?? 0) + 1);
    expect(perMessage.size).toBe(1000);
    expect([...perMessage.values()].every((count) => count === 1)).toBe(true);

    // Each user got at most the 5 answers the rate limit allows, across interactions and messages.
    const answersPerUser = new Map<string, number>();
    callbacks.forEach((reply, i) => {
      if (reply.data?.embeds?.[0]?.title?.startsWith('Answer'))
        answersPerUser.set(users[i % USERS]?.id ?? '', (answersPerUser.get(users[i % USERS]?.id ?? '') ?? 0) + 1);
    });
    for (const count of answersPerUser.values()) expect(count).toBeLessThanOrEqual(5);
    for (const message of t.discord.outgoingMessages())
      expect(message.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});
