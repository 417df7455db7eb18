import { parseArgs } from 'node:util';
import { GAPS_DAYS, gapsReply, gapsReport } from './commands/gaps.js';
import { loadConfig, readEnvironment } from './config.js';
import { UserError } from './errors.js';
import { exitOnStartupError, StartupError } from './startup.js';
import { Store, StoreError } from './store/store.js';
import { renderReply } from './terminal/render.js';

const USAGE = `Usage: npm run gaps -- [--days N] [--json]

What readers asked that the articles do not answer, and the answers they marked 👎, from the
bot's database (DATABASE_PATH).

Options:
  --days N   how many days back (default ${GAPS_DAYS.default}, at most ${GAPS_DAYS.max})
  --json     the report as one JSON object
`;

/** `npm run gaps`: the /gaps report in the terminal, for moderators with access to the server. */
function main(): void {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        days: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UserError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const days = Number(parsed.values.days ?? GAPS_DAYS.default);
  if (!Number.isInteger(days) || days < 1 || days > GAPS_DAYS.max)
    throw new UserError(`--days takes a whole number from 1 to ${GAPS_DAYS.max}, not "${parsed.values.days}"`);
  const config = loadConfig(readEnvironment());
  let store: Store;
  try {
    store = Store.open(config.databasePath);
  } catch (error) {
    throw error instanceof StoreError ? new StartupError(error.message) : error;
  }
  const report = gapsReport(store, days);
  store.close();
  process.stdout.write(
    parsed.values.json
      ? `${JSON.stringify(report)}\n`
      : renderReply(gapsReply(report), {
          ansi: Boolean(process.stdout.isTTY),
          width: process.stdout.isTTY ? process.stdout.columns : config.columns,
        }),
  );
}

try {
  main();
} catch (error) {
  exitOnStartupError(error);
}
