import { startTestBot, type TestBot } from '../tests/support/bot.js';
import { defaultGuild, type FakeUser } from '../tests/support/fakeDiscord/index.js';
import { summarize } from './stats.js';

const USERS: FakeUser[] = Array.from({ length: 50 }, (_, i) => ({
  id: `14000000000000${String(i).padStart(5, '0')}`,
  username: `reader_${i}`,
}));
const QUESTIONS = [
  'who is Tom Homan?',
  'fentanyl',
  'what did Hegseth say?',
  'constitutional amendment',
  'how many groups were designated?',
];
/** Bursts in a row: memory that keeps growing from one to the next would be a leak. */
const BURSTS = 5;

/** 1,000 `/ask` and 1,000 mentions from 50 users, all sent at once; latency from dispatch to reply. */
async function burst(t: TestBot): Promise<{ seconds: number; interactions: number[]; messages: number[] }> {
  const started = performance.now();
  const interactions: Array<Promise<number>> = [];
  const messages: Array<Promise<number>> = [];
  for (let i = 0; i < 1000; i++) {
    const user = USERS[i % USERS.length] as FakeUser;
    const question = QUESTIONS[i % QUESTIONS.length] as string;
    const sent = performance.now();
    interactions.push(
      t.discord
        .sendInteraction({ type: 'command', name: 'ask', user: user.id, options: { question } })
        .reply()
        .then(() => performance.now() - sent),
    );
    messages.push(
      t.discord
        .sendMessage({ content: `${t.discord.mention('bot')} ${question}`, author: user.id })
        .reply()
        .then(() => performance.now() - sent),
    );
  }
  const [interactionTimes, messageTimes] = await Promise.all([Promise.all(interactions), Promise.all(messages)]);
  return { seconds: (performance.now() - started) / 1000, interactions: interactionTimes, messages: messageTimes };
}

/**
 * The load test through the fake Discord, with the real client, handler and engine: five bursts
 * of 2,000 requests with the rate limit off, so every one is answered. Reports throughput, reply
 * latency in the last burst, and the heap after a full GC before and after each burst (with the
 * fake's own records dropped, so only the bot's memory remains). Run with `--expose-gc`.
 */
export async function measureLoad(): Promise<Record<string, unknown>> {
  const guild = defaultGuild();
  for (const user of USERS) guild.members.push({ userId: user.id, roleIds: [] });
  const t = await startTestBot({
    env: { RATE_LIMIT: 'off', INDEX_CACHE: 'off', LOG_LEVEL: 'warn' },
    fake: { guilds: [guild], users: Object.fromEntries(USERS.map((u) => [u.username, u])), defaultTimeoutMs: 120_000 },
  });
  const heapMB = (): number => {
    t.discord.forgetHistory();
    (globalThis as { gc?: () => void }).gc?.();
    return Math.round(process.memoryUsage().heapUsed / 1e6);
  };
  try {
    for (const question of QUESTIONS)
      await t.discord.sendInteraction({ type: 'command', name: 'ask', options: { question } }).reply();
    const heap = [heapMB()];
    const stored = [Math.round(JSON.stringify([...t.discord.world.messages.values()]).length / 1e6)];
    const bursts = [];
    for (let i = 0; i < BURSTS; i++) {
      bursts.push(await burst(t));
      await new Promise((resolve) => setTimeout(resolve, 500));
      heap.push(heapMB());
      stored.push(Math.round(JSON.stringify([...t.discord.world.messages.values()]).length / 1e6));
    }
    const last = bursts.at(-1) ?? { interactions: [], messages: [] };
    return {
      requestsPerBurst: 2000,
      perSecond: bursts.map((b) => Math.round(2000 / b.seconds)),
      interactionLatency: summarize(last.interactions),
      messageLatency: summarize(last.messages),
      heapMBBeforeAndAfterEachBurst: heap,
      fakeStoredMessagesMB: stored,
    };
  } finally {
    await t.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await measureLoad()));
