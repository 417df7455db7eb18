import { GAPS_DAYS, gapsReply, gapsReport } from './commands/gaps.js';
import { loadConfig, readEnvironment, secretsOf } from './config.js';
import { parseCommandLine } from './commandLine.js';
import { UserError } from './errors.js';
import { createLogger } from './logger.js';
import { exitOnStartupError, openConfiguredStore } from './startup.js';
import { renderReply } from './terminal/render.js';

const USAGE = `Usage: npm run gaps -- [--days N] [--json]

What readers asked that the articles do not answer, and the answers they marked 👎, from the
bot's database (DATABASE_PATH, or DATABASE_URL when set).

Options:
  --days N   how many days back (default ${GAPS_DAYS.default}, at most ${GAPS_DAYS.max})
  --json     the report as one JSON object
`;

/** `npm run gaps`: the /gaps report in the terminal, for moderators with access to the server. */
async function main(): Promise<void> {
  const parsed = parseCommandLine(
    { options: { days: { type: 'string' }, json: { type: 'boolean', default: false } } },
    USAGE,
  );
  const days = Number(parsed.values.days ?? GAPS_DAYS.default);
  if (!Number.isInteger(days) || days < 1 || days > GAPS_DAYS.max)
    throw new UserError(`--days takes a whole number from 1 to ${GAPS_DAYS.max}, not "${parsed.values.days}"`);
  const config = loadConfig(readEnvironment());
  const store = await openConfiguredStore(
    config,
    createLogger({ level: 'warn', format: 'pretty', secrets: secretsOf(config) }),
  );
  const report = await gapsReport(store, days);
  await store.close();
  process.stdout.write(
    parsed.values.json
      ? `${JSON.stringify(report)}\n`
      : renderReply(gapsReply(report), {
          ansi: Boolean(process.stdout.isTTY),
          width: process.stdout.isTTY ? process.stdout.columns : config.columns,
        }),
  );
}

main().catch(exitOnStartupError);
