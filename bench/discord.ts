import { startTestBot } from '../tests/support/bot.js';
import { loadDevset } from '../tests/support/devset.js';
import { startPostgres } from '../tests/support/postgres.js';
import { summarize } from './stats.js';

/**
 * Interaction-to-reply time of /ask through the fake Discord of the test suite: from the
 * gateway dispatch of INTERACTION_CREATE to the bot's reply callback arriving over REST, with
 * the real discord.js client, command handler and engine in between; each question recorded in
 * the store, SQLite or a real PostgreSQL server started for the run.
 */
export async function measureDiscordLatency(
  count: number,
  store: 'sqlite' | 'postgres',
): Promise<{ store: string; count: number; p50: number; p99: number; mean: number; max: number }> {
  const postgres = store === 'postgres' ? await startPostgres() : null;
  const bot = await startTestBot({
    env: { RATE_LIMIT: 'off', LOG_LEVEL: 'warn' },
    ...(postgres ? { databaseUrl: postgres.url } : {}),
  });
  try {
    const questions = loadDevset('mexico-us-cartel-sovereignty').map((q) => q.q);
    const times: number[] = [];
    for (let i = 0; i < count + 10; i++) {
      const question = questions[i % questions.length] ?? 'fentanyl';
      const started = performance.now();
      await bot.discord.sendInteraction({ type: 'command', name: 'ask', options: { question } }).reply();
      if (i >= 10) times.push(performance.now() - started); // the first ten warm up the JIT and caches
    }
    return { store, count, ...summarize(times) };
  } finally {
    await bot.stop();
    await postgres?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 200);
  const store = process.argv[3] === 'postgres' ? 'postgres' : 'sqlite';
  console.log(JSON.stringify(await measureDiscordLatency(count, store)));
}
