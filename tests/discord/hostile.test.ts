import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkTarget } from '../../src/discord/limits.js';
import { startTestBot, type TestBot } from '../support/bot.js';
import { ROOT } from '../support/content.js';
import { linksIn, shown, textOf } from '../support/discordText.js';
import type { InteractionSpec, MessageBody } from '../support/fakeDiscord/index.js';
import { page, startWebServer, type WebServer } from '../support/webServer.js';

/**
 * What strangers can send the bot, end to end: pages and files that plant links in every field an
 * import can set, pages that try to take over another site's story, pages that are no article, and
 * messages far over the question limit.
 */
const PHISH = 'https://phish.example';
const planted = (where: string) => `[Log in to keep reading](${PHISH}/${where})`;
const paragraph = (words: string) =>
  `<p>${words} Visit ${PHISH}/bare or <${PHISH}/angle> or ${planted('para')} now, @everyone <@123456789012345678> discord.gg/abcdef. ${'The harbour ferry story continues with more detail about the crossing. '.repeat(6)}</p>`;

let web: WebServer;
let stateDir: string;
let t: TestBot;

beforeAll(async () => {
  web = await startWebServer();
  // Canonical on the same site (so it is believed), ending in a planted masked link.
  const canonical = web.url(`/ferry)${planted('canonical')}`);
  web.route(
    '/ferry',
    page(`<!doctype html><html><head><title>${planted('title')} Ferry Crossing Resumes</title>
      <link rel="canonical" href="${canonical}"><meta name="author" content="${planted('author')}"></head>
      <body><article><h1>${planted('title')} Ferry Crossing Resumes</h1>
      <figure><img src="x.jpg"><figcaption>Pictured: [Claim your free Nitro](${PHISH}/nitro)</figcaption></figure>
      ${paragraph('The night ferry resumed its crossing on Monday.')}
      <h2>${planted('heading')} Timetable</h2>${paragraph('Boats leave the harbour every hour.')}
      <h2>Key Insights #</h2><ul><li>${planted('insight')} fares doubled.</li></ul>
      ${paragraph('Passengers queued at dawn for the ferry.')}</article></body></html>`),
  );
  web.route(
    '/planted.md',
    page(
      [
        '---',
        `title: "${planted('md-title')} Ferry Fares"`,
        `caption: "Pictured: [Claim your free Nitro](${PHISH}/md-nitro)"`,
        'sources:',
        `  - "https://news.example/fares)${planted('source')}"`,
        '---',
        '',
        `Ferry fares rose again this spring, ${planted('md-lead')} say the operators of the harbour line.`,
        '',
        '## Key Insights',
        '',
        `- Fares rose by a third, ${planted('md-insight')}.`,
        '',
        `## ${planted('md-heading')} Prices`,
        '',
        `A return ticket now costs twelve euros, see ${PHISH}/md-bare for the ferry fares.`,
        '',
      ].join('\n'),
      'text/markdown',
    ),
  );
  web.route(
    '/planted.txt',
    page(
      `${planted('txt-title')} Ferry Strike\n\nThe ferry crews went on strike over pay, ${planted('txt')}.\n`,
      'text/plain',
    ),
  );
  // Site A's story, and site B's page whose canonical link names it (127.0.0.1 and localhost are two sites).
  web.route('/sudan', page(await readFile(path.join(ROOT, 'tests/fixtures/news-pages/nytimes-1/source.html'))));
  const sudanA = (await readFile(path.join(ROOT, 'tests/fixtures/news-pages/nytimes-2/source.html'), 'utf8')).replace(
    /<link rel="canonical"[^>]*>/,
    `<link rel="canonical" href="${web.url('/sudan')}">`,
  );
  web.route('/takeover', page(sudanA));
  web.route('/no-tags', page('Just some words and no tags at all, as a broken server might send.'));
  web.route(
    '/utf7',
    page(
      Buffer.from(
        `<html><head><meta charset="utf-7"><title>Caf\u00e9 Opens</title></head><body><article><h1>Caf\u00e9 Opens</h1>${paragraph('The caf\u00e9 opened by the harbour on Monday.')}</article></body></html>`,
      ),
      'text/html',
    ),
  );
  stateDir = await mkdtemp(path.join(tmpdir(), 'article-bot-hostile-'));
  t = await startTestBot({
    env: { STATE_DIR: stateDir, IMPORT_ALLOW_PRIVATE: 'true', RATE_LIMIT: 'off' },
    databasePath: path.join(stateDir, 'bot.sqlite'),
  });
});

afterAll(async () => {
  await t?.stop();
  await web?.close();
  await rm(stateDir, { recursive: true, force: true });
});

/** The bot's reply to an interaction: the response once deferred, else the first reply. */
async function run(spec: InteractionSpec): Promise<MessageBody> {
  return t.discord.sendInteraction(spec).response({ timeoutMs: 20_000 });
}
const moderator = (subcommand: string, options: Extract<InteractionSpec, { type: 'command' }>['options']) =>
  run({ type: 'command', name: 'article', subcommand, options, user: 'moderator' });

/** Every link Discord would make of a message: in the Markdown of its embeds, and their author links. */
function linksOf(body: MessageBody): string[] {
  return (body.embeds ?? []).flatMap((embed) => [
    ...linksIn([embed.title ?? '', embed.description ?? '', ...(embed.fields ?? []).map((f) => f.value)].join('\n')),
    ...(embed.author?.url ? [embed.author.url] : []),
  ]);
}

describe('hostile imports, through Discord', () => {
  it('shows no link but an article’s own url and sources, each as one link, wherever its fields are rendered', async () => {
    for (const added of [
      await moderator('add', { url: web.url('/ferry') }),
      await moderator('add', { file: { filename: 'planted.md', url: web.url('/planted.md'), size: 600 } }),
      await moderator('add', { file: { filename: 'planted.txt', url: web.url('/planted.txt'), size: 200 } }),
    ])
      expect(textOf(added)).toMatch(/^Article added/);
    const allowed = new Set(
      t.knowledge.engine.articles.flatMap((article) => [article.url, ...article.sources]).filter((url) => url !== null),
    );
    const canonical = [...allowed].find((url) => url.startsWith(web.url('/ferry)[Log')));
    expect(canonical).toBe(web.url(`/ferry)[Log%20in%20to%20keep%20reading](${PHISH}/canonical)`));
    expect([...allowed]).toContain(`https://news.example/fares)${planted('source')}`);
    const targets = new Set([...allowed].map((url) => linkTarget(url)));
    const replies: MessageBody[] = [];
    for (const question of [
      'when did the night ferry resume its crossing?',
      'how much does a return ticket cost?',
      'why did the ferry crews strike?',
      'what is in the picture of the ferry fares article?',
      'who wrote the ferry crossing story?',
      'what are the sources of the ferry fares article?',
    ])
      replies.push(await run({ type: 'command', name: 'ask', options: { question } }));
    replies.push(await run({ type: 'command', name: 'insights', options: { article: 'ferry' } }));
    replies.push(await run({ type: 'command', name: 'insights', options: { article: 'crossing' } }));
    replies.push(await run({ type: 'command', name: 'insights', options: { article: 'fares' } }));
    replies.push(await run({ type: 'command', name: 'sources', options: { article: 'ferry' } }));
    replies.push(await run({ type: 'command', name: 'search', options: { query: 'ferry' } }));
    replies.push(await moderator('list', {}));
    const seen = replies.flatMap(linksOf);
    expect(seen.length).toBeGreaterThan(10);
    for (const link of seen) expect(targets, `a planted link: ${link}`).toContain(link);
    // The planted canonical link is one link to its own page, never a second one to the phishing site.
    expect(seen).toContain(linkTarget(canonical ?? ''));
    // Nothing planted pings or names a channel, and it shows as typed.
    const text = replies.map((reply) => JSON.stringify(reply.embeds)).join('\n');
    expect(text).not.toMatch(/@everyone|<@\d|discord\.gg\//);
    expect(textOf(replies[7])).toContain('Pictured: [Claim your free Nitro](https://phish.example/nitro)');
    expect(textOf(replies[8])).toContain('Pictured: [Claim your free Nitro](https://phish.example/md-nitro)');
    // A page's "Key Insights #" is a section of its text, not the article's own insights.
    expect(textOf(replies[7])).toContain('picked from the article');
  });

  it('never lets a page on one site take over another site’s story', async () => {
    const a = await moderator('add', { url: web.url('/sudan') });
    expect(textOf(a)).toMatch(/^Article added/);
    const b = await moderator('add', { url: web.url('/takeover').replace('127.0.0.1', 'localhost') });
    expect(textOf(b)).toMatch(/^Article added/);
    const served = t.knowledge.engine.articles.filter((article) => article.origin === 'imported');
    expect(served.map((article) => article.url)).toEqual(
      expect.arrayContaining([web.url('/sudan'), web.url('/takeover').replace('127.0.0.1', 'localhost')]),
    );
  });

  it('says there is no article in a text/html page without tags, and reads an unknown charset as UTF-8', async () => {
    const none = await moderator('add', { url: web.url('/no-tags') });
    expect(shown(textOf(none))).toBe(`Not imported\nno article found at ${web.url('/no-tags')}`);
    expect(textOf(await moderator('add', { url: web.url('/utf7') }))).toContain('Café Opens');
  });
});

describe('hostile messages, through Discord', () => {
  it('refuses a 4,000-character mention before reading it, echoing none of it, and a flood with the rate limit', async () => {
    const limited = await startTestBot({ env: { RATE_LIMIT: '2/60s' } });
    try {
      const huge = '\u3316'.repeat(3_990);
      const mention = await limited.discord
        .sendMessage({ content: `${limited.discord.mention('bot')} ${huge}`, author: 'admin' })
        .reply();
      expect(shown(textOf(mention))).toBe(
        'Too long\nYour question is too long (3,990 characters): keep it to 1,000 at most.',
      );
      expect(JSON.stringify(mention)).not.toContain('\u3316');
      const again = await limited.discord
        .sendMessage({ content: `${limited.discord.mention('bot')} ${huge}`, author: 'admin' })
        .reply();
      expect(textOf(again)).toMatch(/^Too long/);
      // Over the rate limit (2 a minute here), the next is refused by the limit before its length is read.
      const flood = await limited.discord
        .sendMessage({ content: `${limited.discord.mention('bot')} ${huge}`, author: 'admin' })
        .reply();
      expect(textOf(flood)).toMatch(/^One moment/);
    } finally {
      await limited.stop();
    }
  });
});
