import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, readEnvironment, secretsOf } from './config.js';
import { parseCommandLine } from './commandLine.js';
import { UserError } from './errors.js';
import { createLogger } from './logger.js';
import { exitOnStartupError, StartupError } from './startup.js';
import { describeUrl, PostgresStore } from './store/postgres.js';
import { SqliteStore } from './store/sqlite.js';
import { StoreError, type StoreRows } from './store/store.js';

const USAGE = `Usage: npm run migrate-store -- --to postgres://user:password@host:5432/db [--from FILE]

Copies the bot's SQLite database (DATABASE_PATH, or --from FILE) into PostgreSQL: questions, votes,
which message carried which answer, imported articles (their Markdown too, read from
STATE_DIR/articles when the database has none) and the record of who changed them. Safe to run
again: rows already copied are left as they are. Then set DATABASE_URL to the same URL.
`;

/** `npm run migrate-store`: SQLite → PostgreSQL, for growing from one machine to several. */
async function main(): Promise<void> {
  const parsed = parseCommandLine({ options: { to: { type: 'string' }, from: { type: 'string' } } }, USAGE);
  const to = parsed.values.to ?? '';
  if (!/^postgres(?:ql)?:\/\/\S+$/i.test(to)) throw new UserError(`--to takes a PostgreSQL URL\n\n${USAGE}`);
  const config = loadConfig(readEnvironment());
  const logger = createLogger({
    level: 'warn',
    format: 'pretty',
    secrets: secretsOf({ discordToken: null, databaseUrl: to }),
  });
  const from = path.resolve(parsed.values.from ?? config.databasePath);
  const source = opened(() => SqliteStore.open(from));
  const rows = await source.exportRows();
  await source.close();
  const copied = await withMarkdown(rows, config.imports.localDir);
  const target = await PostgresStore.open(to, logger).catch((error: unknown) => {
    throw error instanceof StoreError ? new StartupError(error.message) : error;
  });
  try {
    await target.importRows(copied);
    const after = await target.exportRows();
    process.stdout.write(
      `Copied ${from} to ${describeUrl(to)}: ${copied.answers.length} questions, ${copied.votes.length} votes, ` +
        `${copied.importedArticles.length} imported articles, ${copied.contentChanges.length} content changes. ` +
        `It now holds ${after.answers.length} questions and ${after.importedArticles.length} imported articles.\n`,
    );
  } finally {
    await target.close();
  }
}

/** The SQLite store at its file, or a start-up error naming it. */
function opened(open: () => SqliteStore): SqliteStore {
  try {
    return open();
  } catch (error) {
    throw error instanceof StoreError ? new StartupError(error.message) : error;
  }
}

/** The rows with each imported article's Markdown, read from its file when the database has none (imports before schema 6). */
async function withMarkdown(rows: StoreRows, importsDir: string): Promise<StoreRows> {
  const importedArticles = await Promise.all(
    rows.importedArticles.map(async (article) => ({
      ...article,
      markdown:
        article.markdown ?? (await readFile(path.join(importsDir, `${article.slug}.md`), 'utf8').catch(() => null)),
    })),
  );
  return { ...rows, importedArticles };
}

main().catch(exitOnStartupError);
