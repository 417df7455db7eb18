import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Command, Invoker, Surface } from '../../src/commands/command.js';
import { createHandler, INTERNAL_ERROR_REPLY } from '../../src/commands/handler.js';
import { commands } from '../../src/commands/index.js';
import { RateLimiter } from '../../src/commands/rateLimiter.js';
import { TERMINAL_SURFACE } from '../../src/terminal/session.js';
import { UserError } from '../../src/errors.js';
import { KnowledgeBase } from '../../src/serving/knowledgeBase.js';
import { servedAlone } from '../../src/fleet/fleet.js';
import { articleText, SEED_DIR, FIXTURE_DIR, makeContentDir } from '../support/content.js';
import { captureLogger } from '../support/logger.js';
import { servedContent } from '../support/served.js';

const member: Invoker = { id: '1', name: 'member', isModerator: false, guildId: null };
const moderator: Invoker = { id: '2', name: 'mod', isModerator: true, guildId: null };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((dispose) => dispose()));
});

/** A knowledge base over `dataDir`, loaded, as the bot runs it (with its build worker). */
async function knowledgeBase(dataDir: string) {
  const knowledge = KnowledgeBase.create(dataDir);
  await knowledge.reload();
  cleanups.push(() => Promise.resolve(knowledge.close()));
  return { knowledge, reloadContent: async () => servedAlone(await knowledge.reload()) };
}

const DISCORD: Surface = { name: 'discord', textOnly: false, localFiles: false, ownCommands: [] };

/** The handler over `dataDir`'s content, built in this thread; `reloads`: served by a real KnowledgeBase, for /reload. */
async function setup(
  dataDir = SEED_DIR,
  extra: Command[] = [],
  more: { surface?: Surface; limiter?: RateLimiter; reloads?: boolean } = {},
) {
  const { knowledge, reloadContent } = more.reloads ? await knowledgeBase(dataDir) : await servedContent(dataDir);
  const log = captureLogger();
  return {
    knowledge,
    log,
    handler: createHandler({
      knowledge,
      reloadContent,
      logger: log.logger,
      commands: [...commands, ...extra],
      surface: more.surface ?? DISCORD,
      ...(more.limiter ? { limiters: { questions: more.limiter } } : {}),
    }),
  };
}

describe('commands', () => {
  it('/ask answers with passages, highlighted sentence and sources', async () => {
    const { handler } = await setup();
    const reply = await handler.run('ask', { question: 'what did Hegseth say about the cartels?' }, member);
    expect(reply.tone).toBe('answer');
    expect(reply.passages?.[0]?.answer).toContain('all options are on the table');
    expect(reply.passages?.length).toBeLessThanOrEqual(3);
    expect(reply.articles?.[0]?.sources).toHaveLength(3);
    expect(reply.ephemeral).toBe(false);
  });

  it('/ask says honestly when the article does not cover a question', async () => {
    const { handler } = await setup();
    const reply = await handler.run('ask', { question: 'who won the 2018 world cup?' }, member);
    expect(reply.passages).toBeUndefined();
    expect(reply.body).toBe("The article doesn't cover that. Try /insights to see what it does cover.");
  });

  it('/insights and /sources cover every article, or the one named', async () => {
    const { dir, dispose } = await makeContentDir({ 'bridge.md': articleText() });
    cleanups.push(dispose);
    const { writeFile: write } = await import('node:fs/promises');
    await write(path.join(dir, 'articles', 'ferry.md'), articleText({ title: 'Night Ferry Returns' }));
    const { handler } = await setup(dir);
    const all = await handler.run('insights', {}, member);
    expect(all.lists?.map((l) => l.heading)).toEqual(['Harbour Bridge Reopens', 'Night Ferry Returns']);
    const one = await handler.run('insights', { article: 'ferry' }, member);
    expect(one.lists?.map((l) => l.heading)).toEqual(['Night Ferry Returns']);
    const sources = await handler.run('sources', { article: 'harbour' }, member);
    expect(sources.articles).toEqual([
      {
        slug: 'bridge',
        title: 'Harbour Bridge Reopens',
        url: 'https://example.com/bridge',
        published: '2025-03-01',
        sources: ['https://example.com/source-1'],
      },
    ]);
    const unknown = await handler.run('sources', { article: 'volcano' }, member);
    expect(unknown).toMatchObject({ tone: 'warning', ephemeral: true });
    expect(unknown.body).toBe(
      'No article matches "volcano". The articles are: “Harbour Bridge Reopens”, “Night Ferry Returns”.',
    );
  });

  it('/search pages through results and refuses pages that do not exist', async () => {
    const { handler } = await setup();
    const first = await handler.run('search', { query: 'sovereignty' }, member);
    expect(first.page).toEqual({ page: 1, pageCount: 2, first: 1 });
    const second = await handler.run('search', { query: 'sovereignty', page: 2 }, member);
    expect(second.passages?.map((p) => p.id)).not.toContain(first.passages?.[0]?.id);
    const beyond = await handler.run('search', { query: 'sovereignty', page: 9 }, member);
    expect(beyond.body).toBe(
      'There is no page 9: the results have 2 pages (the content may have been reloaded since).',
    );
  });

  it('/reload is refused at run time to members, whatever the front door registered', async () => {
    const { handler, log } = await setup();
    const reply = await handler.run('reload', {}, member);
    expect(reply).toMatchObject({ tone: 'warning', ephemeral: true });
    expect(reply.body).toContain('Only moderators can run /reload');
    expect(log.entries().filter((e) => e.event === 'content.reload')).toEqual([]);
  });

  it('/reload swaps in new content, reports what changed, and logs who did it', async () => {
    const { dir, articles, dispose } = await makeContentDir({ 'bridge.md': articleText() });
    cleanups.push(dispose);
    const { handler, knowledge, log } = await setup(dir, [], { reloads: true });
    const before = knowledge.engine;
    await writeFile(
      path.join(articles, 'bridge.md'),
      articleText({ lead: 'The Harbour Bridge reopened on Tuesday after repairs.' }),
    );
    await writeFile(path.join(articles, 'ferry.md'), articleText({ title: 'Night Ferry Returns' }));
    const reply = await handler.run('reload', {}, moderator);
    expect(reply).toMatchObject({ tone: 'info', title: 'Content reloaded', ephemeral: true });
    expect(reply.body).toBe(
      'Articles added: ferry; articles changed: bridge; passages: 4 added, 0 removed, 1 changed. Now serving 2 articles, 8 passages.',
    );
    expect(knowledge.engine).not.toBe(before);
    expect(log.entries().find((e) => e.event === 'content.reload')).toMatchObject({
      user: 'mod',
      userId: '2',
      applied: true,
    });
  });

  it('/reload with a broken file keeps the old content serving and lists file:line problems', async () => {
    const { dir, articles, dispose } = await makeContentDir({ 'bridge.md': articleText() });
    cleanups.push(dispose);
    const { handler, knowledge } = await setup(dir, [], { reloads: true });
    const before = knowledge.engine;
    await writeFile(path.join(articles, 'bridge.md'), '---\ntitle: Bridge\nsources:\n  - nope\n---\n\nGone.\n');
    const reply = await handler.run('reload', {}, moderator);
    expect(reply.tone).toBe('warning');
    expect(reply.lists?.[0]?.items).toEqual([
      `${path.join(articles, 'bridge.md')}:4: source is not an http(s) URL: "nope"`,
    ]);
    expect(knowledge.engine).toBe(before);
    const answer = await handler.run('ask', { question: 'how many steel cables were replaced?' }, member);
    expect(answer.passages?.[0]?.answer).toBe('Engineers replaced 300 steel cables.');
  });

  it('shows user errors to the user, and logs bugs with a generic reply', async () => {
    const failing: Command = {
      data: { name: 'boom', description: 'fails', options: [], preconditions: [], rateLimit: null, defer: null },
      execute: () => {
        throw new Error('database exploded at /srv/secret/path');
      },
    };
    const refusing: Command = {
      data: {
        name: 'nope',
        description: 'refuses',
        options: [],
        preconditions: [],
        rateLimit: null,
        defer: null,
      },
      execute: () => {
        throw new UserError('Not today.');
      },
    };
    const { handler, log } = await setup(SEED_DIR, [failing, refusing]);
    expect(await handler.run('boom', {}, member)).toEqual(INTERNAL_ERROR_REPLY);
    expect(JSON.stringify(INTERNAL_ERROR_REPLY)).not.toContain('exploded');
    expect(log.entries()).toEqual([
      expect.objectContaining({ level: 'error', event: 'command.failed', command: 'boom', userId: '1' }),
    ]);
    expect((await handler.run('nope', {}, member)).body).toBe('Not today.');
    expect((await handler.run('missing', {}, member)).body).toBe('There is no /missing command. Try /help.');
  });

  it('/help lists every command from its definition', async () => {
    const { handler } = await setup(FIXTURE_DIR);
    const reply = await handler.run('help', {}, member);
    expect(reply.lists?.[0]?.items).toEqual([
      '/ask <question> [private] [limit] — Ask a question about the article in your own words',
      '/insights [article] — The key insights of the article, with its sources',
      '/sources [article] — The links the article is based on',
      '/search <query> [page] — List the passages matching some words, a page at a time',
      '/reload — Moderators: reread the article files and swap in the new content',
      '/article add [url] [file] — Import a story by its link, or a file (.md, .txt, .html), for everyone to ask about',
      '/article list [page] — Every article the bot serves, newest first',
      '/article remove <article> — Remove an imported article',
      '/feed add <url> [channel] [keywords] [every] — Follow a news feed (or a site, whose feed is found): its new stories are imported and announced',
      '/feed list [page] — Every feed the bot follows, with its state',
      '/feed remove <feed> [delete_articles] — Stop following a feed (its stories stay until they expire)',
      '/feed check [feed] — Check a feed now (and re-enable it if it was disabled)',
      '/gaps [days] — Moderators: what readers asked that the articles do not answer, and disliked answers',
      '/help — What this bot can do',
      'Apps › Ask the article (on any message) — What the article says about this message (shown only to you)',
      'Apps › Add article from link (on any message) — Import the story this message links to (moderators)',
    ]);
  });

  it('/help in the terminal lists exactly what a command line there accepts, and the terminal’s own commands', async () => {
    const { handler } = await setup(FIXTURE_DIR, [], { surface: TERMINAL_SURFACE });
    const reply = await handler.run('help', {}, member);
    expect(reply.lists?.[0]?.items).toEqual([
      '/ask <question> — Ask a question about the article in your own words',
      '/insights [article] — The key insights of the article, with its sources',
      '/sources [article] — The links the article is based on',
      '/search <query> — List the passages matching some words, a page at a time',
      '/reload — Moderators: reread the article files and swap in the new content',
      '/article add [url] — Import a story by its link, or a file (.md, .txt, .html), for everyone to ask about',
      '/article list — Every article the bot serves, newest first',
      '/article remove <article> — Remove an imported article',
      '/feed add <url> — Follow a news feed (or a site, whose feed is found): its new stories are imported and announced',
      '/feed list — Every feed the bot follows, with its state',
      '/feed remove <feed> — Stop following a feed (its stories stay until they expire)',
      '/feed check [feed] — Check a feed now (and re-enable it if it was disabled)',
      '/gaps — Moderators: what readers asked that the articles do not answer, and disliked answers',
      '/help — What this bot can do',
      '/more — the next page of results',
      '/back — the previous page of results',
      '/quit — leave (so does Ctrl-D)',
    ]);
  });
});

describe('what commands declare, the handler applies', () => {
  const changing: Command = {
    data: {
      name: 'change',
      description: 'changes the articles',
      options: [],
      preconditions: ['moderator', 'contentServer'],
      rateLimit: 'imports',
      defer: null,
    },
    execute: () => ({ tone: 'info', title: 'Changed', ephemeral: true }),
  };

  it('lets content change only from the servers that manage it, even for moderators', async () => {
    const { knowledge, reloadContent } = await servedContent(SEED_DIR);
    const handler = (contentGuilds: readonly string[] | 'anywhere') =>
      createHandler({
        knowledge,
        reloadContent,
        logger: captureLogger().logger,
        commands: [changing],
        surface: DISCORD,
        contentGuilds,
      });
    const here = { ...moderator, guildId: '123456789012345678' };
    expect((await handler(['123456789012345678']).run('change', {}, here)).title).toBe('Changed');
    const elsewhere = await handler(['999999999999999999']).run('change', {}, here);
    expect(elsewhere).toMatchObject({ title: 'Not from this server', ephemeral: true });
    expect(elsewhere.body).toContain('The articles are shared by every server the bot is in');
    expect((await handler([]).run('change', {}, here)).body).toContain('no server is set to manage them');
    expect((await handler([]).run('change', {}, member)).body).toContain('Only moderators');
    expect((await handler('anywhere').run('change', {}, moderator)).title).toBe('Changed');
  });

  it('counts each command against the rate limit it declares, and only that one', async () => {
    const { knowledge, reloadContent } = await servedContent(SEED_DIR);
    const handler = createHandler({
      knowledge,
      reloadContent,
      logger: captureLogger().logger,
      commands: [...commands, changing],
      surface: DISCORD,
      contentGuilds: 'anywhere',
      limiters: {
        questions: new RateLimiter({ count: 5, windowMs: 60_000 }),
        imports: new RateLimiter({ count: 1, windowMs: 60_000 }),
      },
    });
    expect((await handler.run('change', {}, moderator)).title).toBe('Changed');
    expect(await handler.run('change', {}, moderator)).toMatchObject({ title: 'One moment', ephemeral: true });
    expect((await handler.run('ask', { question: 'who is Tom Homan?' }, moderator)).tone).toBe('answer');
  });

  it('refuses a moderator-only command to a member, for any command that declares it', async () => {
    const secret: Command = {
      data: {
        name: 'secret',
        description: 'mods only',
        options: [],
        preconditions: ['moderator'],
        rateLimit: null,
        defer: null,
      },
      execute: () => ({ tone: 'info', title: 'Secret', ephemeral: true }),
    };
    const { handler } = await setup(SEED_DIR, [secret]);
    expect(await handler.run('secret', {}, member)).toMatchObject({
      tone: 'warning',
      ephemeral: true,
      body: 'Only moderators can run /secret (Manage Server, Administrator, or a moderator role).',
    });
    expect((await handler.run('secret', {}, moderator)).title).toBe('Secret');
  });

  it('counts only rate-limited commands against the limit, and says privately how long to wait', async () => {
    const { handler } = await setup(SEED_DIR, [], { limiter: new RateLimiter({ count: 2, windowMs: 60_000 }) });
    await handler.run('ask', { question: 'who is Tom Homan?' }, member);
    await handler.run('help', {}, member);
    await handler.ask('fentanyl', member);
    const limited = await handler.run('search', { query: 'cartels' }, member);
    expect(limited).toMatchObject({ title: 'One moment', ephemeral: true });
    expect(limited.body).toBe("You're asking quickly: please wait 60 seconds and ask again.");
    expect(limited.brief).toBeUndefined();
    // Told once per cooldown: the next refusal may be shown as a mark only.
    expect((await handler.ask('fentanyl', member)).brief).toBe('⏳');
    expect((await handler.run('help', {}, member)).title).toBe('What I can do');
    expect((await handler.ask('fentanyl', moderator)).tone).toMatch(/^(?:answer|hedged)$/);
  });

  it('refuses a question over its length before reading it, and a flood of them after the rate limit, echoing none', async () => {
    const { handler } = await setup(SEED_DIR, [], { limiter: new RateLimiter({ count: 2, windowMs: 60_000 }) });
    const long = `who is Tom Homan? ${'\u3316'.repeat(3_982)}`;
    const refused = await handler.ask(long, member);
    expect(refused).toMatchObject({ tone: 'warning', title: 'Too long', ephemeral: true });
    expect(refused.body).toBe('Your question is too long (4,000 characters): keep it to 1,000 at most.');
    expect(JSON.stringify(refused)).not.toContain('\u3316');
    // /ask and /search say the same for their own text, whichever front door let it through.
    expect((await handler.run('search', { query: 'x'.repeat(1_001) }, member)).title).toBe('Too long');
    // Over the rate limit, a long question costs no more than a short one: the limit answers first.
    expect(await handler.ask(long, member)).toMatchObject({ title: 'One moment' });
    // Exactly at the limit, one that grows tenfold once normalised is refused by the engine, unechoed.
    const expanding = await handler.ask('\uFDFA'.repeat(1_000), moderator);
    expect(expanding).toMatchObject({ reason: 'too-long' });
    expect((expanding.query ?? '').length).toBeLessThanOrEqual(1_000);
  });

  it('answers plain words with the command that takes free text, and its other options', async () => {
    const { handler } = await setup();
    const reply = await handler.ask('who is Tom Homan?', member, {}, { limit: 1 });
    expect(reply.title).toBe('Answer');
    expect(reply.passages).toHaveLength(1);
    expect(reply.passages?.[0]?.answer).toContain('Tom Homan');
  });

  it('maps a button press back to the command that made the button', async () => {
    const { handler } = await setup();
    const first = await handler.run('search', { query: 'Mexico' }, member);
    const next = first.buttons?.find((b) => b.step === 'next');
    expect(next?.id.length).toBeLessThanOrEqual(100);
    const second = await handler.press(next?.id ?? '', member);
    expect(second?.page).toEqual({ page: 2, pageCount: first.page?.pageCount, first: 4 });
    expect(second?.passages?.[0]?.id).not.toBe(first.passages?.[0]?.id);
    expect(handler.press('someone-else:1', member)).toBeNull();
    const long = await handler.run('search', { query: `Mexico ${'sovereignty '.repeat(40)}` }, member);
    for (const button of long.buttons ?? []) expect(button.id.length).toBeLessThanOrEqual(100);
  });
});
