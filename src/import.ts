import { articleRows } from './commands/articleList.js';
import type { Article } from './content/article.js';
import { parseCommandLine } from './commandLine.js';
import { UserError } from './errors.js';
import { ImportRefused, type ImportSource } from './importing/importer.js';
import { DEFAULT_FLEET_OPTIONS } from './fleet/fleet.js';
import { chunkArticle } from './search/chunk.js';
import { DEFAULT_OPTIONS } from './search/options.js';
import { exitOnStartupError, openImportTools } from './startup.js';
import type { Store } from './store/store.js';
import { TERMINAL_INVOKER } from './terminal/session.js';

const USAGE = `Usage: npm run import -- <link or file> [--json]
       npm run import -- --list [--json]
       npm run import -- --remove <slug>

Imports an article into the bot's state directory (STATE_DIR/articles), or with DATABASE_URL
into the database every machine shares: a web page by its link, or a file (.md in the
article format, .txt, .html). A running bot serves the change after /reload (with
DATABASE_URL every machine finds it within 15 s); npm start and npm run ask serve it from
their next start.

Options:
  --json          print the imported article (or the list) as JSON
  --list          list every article served, newest first
  --remove SLUG   remove an imported article
  -h, --help      this text
`;

/** `npm run import`: the moderators' /article commands for whoever runs the server. */
async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(
    {
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        remove: { type: 'string' },
      },
    },
    USAGE,
  );
  const given = [positionals.length > 0, values.list, values.remove !== undefined].filter(Boolean).length;
  if (given !== 1) throw new UserError(`give one link or file, --list, or --remove SLUG\n\n${USAGE}`);

  const { store, mirror, articles, importer } = await openImportTools();
  try {
    if (values.list) return await list(articles, store, values.json);
    // With a shared database every running machine finds the change on its own; a lone bot needs /reload.
    const after = mirror
      ? `Every running machine serves the change within ${DEFAULT_FLEET_OPTIONS.pollMs / 1000} s.`
      : 'A running bot serves the change after /reload.';
    const actor = { id: TERMINAL_INVOKER.id, name: TERMINAL_INVOKER.name };
    if (values.remove !== undefined) {
      const removed = await importer.remove(values.remove, actor);
      // This machine's copy follows at once (the bots' own copies at their next check).
      await mirror?.sync().catch(() => undefined);
      process.stdout.write(`Removed “${removed.title}”. ${after}\n`);
      return;
    }
    const target = positionals.join(' ');
    const source: ImportSource = /^https?:\/\//i.test(target)
      ? { kind: 'link', url: target }
      : { kind: 'file', path: target };
    const imported = await importer.add(source, actor);
    await mirror?.sync().catch(() => undefined);
    const { article } = imported;
    process.stdout.write(
      values.json
        ? `${JSON.stringify({
            slug: imported.slug,
            title: article.title,
            published: article.published,
            author: article.author,
            url: article.url,
            passages: imported.passages,
            file: imported.file,
          })}\n`
        : `${imported.status === 'added' ? 'Added' : 'Updated'} “${article.title}” (${imported.passages} passages) as ${imported.file}.\n${after}\n`,
    );
  } finally {
    await store.close();
  }
}

/** Every article served, newest first, as /article list shows them. */
async function list(articles: readonly Article[], store: Store, json: boolean): Promise<void> {
  const passages = new Map(
    articles.map((article) => [article.slug, chunkArticle(article, DEFAULT_OPTIONS.passages).length]),
  );
  const records = await store.importedArticles();
  if (json) {
    const bySlug = new Map(records.map((record) => [record.slug, record]));
    const rows = articles.map((article) => ({
      slug: article.slug,
      title: article.title,
      published: article.published,
      origin: article.origin,
      passages: passages.get(article.slug) ?? 0,
      addedBy: bySlug.get(article.slug)?.addedBy.name ?? null,
      addedAt: bySlug.has(article.slug) ? new Date(bySlug.get(article.slug)?.addedAt ?? 0).toISOString() : null,
    }));
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  const feeds = await store.feeds.articleFeeds();
  for (const row of articleRows(articles, (article) => passages.get(article.slug) ?? 0, records, feeds))
    process.stdout.write(`${row}\n`);
}

main().catch((error: unknown) => {
  // A refused file's problems follow its one-line reason.
  if (error instanceof ImportRefused && error.problems.length > 0)
    exitOnStartupError(new UserError(`${error.message}\n${error.problems.map((line) => `  ${line}`).join('\n')}`));
  exitOnStartupError(error);
});
