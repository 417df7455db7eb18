import { startTestBot } from '../tests/support/bot.js';
import { loadDevset } from '../tests/support/devset.js';
import { summarize } from './stats.js';

/**
 * Interaction-to-reply time of /ask through the fake Discord of the test suite: from the
 * gateway dispatch of INTERACTION_CREATE to the bot's reply callback arriving over REST, with
 * the real discord.js client, command handler and engine in between.
 */
export async function measureDiscordLatency(
  count: number,
): Promise<{ count: number; p50: number; p99: number; mean: number; max: number }> {
  const bot = await startTestBot({ env: { RATE_LIMIT: 'off', LOG_LEVEL: 'warn' } });
  try {
    const questions = loadDevset('mexico-us-cartel-sovereignty').map((q) => q.q);
    const times: number[] = [];
    for (let i = 0; i < count + 10; i++) {
      const question = questions[i % questions.length] ?? 'fentanyl';
      const started = performance.now();
      await bot.discord.sendInteraction({ type: 'command', name: 'ask', options: { question } }).reply();
      if (i >= 10) times.push(performance.now() - started); // the first ten warm up the JIT and caches
    }
    return { count, ...summarize(times) };
  } finally {
    await bot.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 200);
  console.log(JSON.stringify(await measureDiscordLatency(count)));
}
