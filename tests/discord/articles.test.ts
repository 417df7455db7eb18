import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.js';
import { articleText, ROOT } from '../support/content.js';
import { shown } from '../support/discordText.js';
import { defaultGuild, FIXTURE_IDS, type InteractionHandle, type MessageBody } from '../support/fakeDiscord/index.js';
import { page, startWebServer, type WebServer } from '../support/webServer.js';

const NEWS = path.join(ROOT, 'tests/fixtures/news-pages');
const SUDAN = 'who is Eric Reeves?';
const BRIDGE = 'how many steel cables were replaced?';

let web: WebServer;
let stateDir: string;
let t: TestBot;

/** A second server the bot is in, whose moderators may not change the shared articles. */
const other = {
  ...defaultGuild(),
  id: (BigInt(FIXTURE_IDS.guild) + 1n).toString(),
  name: 'Other newsroom',
  channels: [{ id: (BigInt(FIXTURE_IDS.generalChannel) + 1n).toString(), name: 'general' }],
};

/** The bot with a state directory of this file's, so a restart finds what was imported. */
const startBot = (env: Record<string, string> = {}) =>
  startTestBot({
    env: { STATE_DIR: stateDir, IMPORT_ALLOW_PRIVATE: 'true', RATE_LIMIT: 'off', ...env },
    databasePath: path.join(stateDir, 'bot.sqlite'),
    fake: { guilds: [defaultGuild(), other] },
  });

beforeAll(async () => {
  web = await startWebServer({
    '/sudan': page(await readFile(path.join(NEWS, 'nytimes-1/source.html'))),
    '/bridge.md': page(articleText(), 'text/markdown; charset=utf-8'),
    '/broken.md': page('---\ntitle: Broken\nsources: nope\n---\n\nText.\n', 'text/markdown'),
  });
  stateDir = await mkdtemp(path.join(tmpdir(), 'article-bot-articles-'));
  t = await startBot();
});

afterAll(async () => {
  await t?.stop();
  await web?.close();
  await rm(stateDir, { recursive: true, force: true });
});

const embeds = (body: MessageBody) => body.embeds ?? [];
/** What the reply says, as Discord shows it. */
const text = (body: MessageBody) =>
  shown(
    embeds(body)
      .map((embed) => [embed.title, embed.description].filter(Boolean).join('\n'))
      .join('\n'),
  );

/** The message the user sees, and whether only they see it (said by the first response, a reply or a defer). */
async function seen(handle: InteractionHandle): Promise<MessageBody & { private: boolean }> {
  const first = await handle.reply({ timeoutMs: 20_000 });
  const body = await handle.response({ timeoutMs: 20_000 });
  return { ...body, private: ((first.data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0 };
}

function article(
  subcommand: string,
  options: Record<string, string | { filename: string; url: string; size: number }>,
  user = 'moderator',
  guildId?: string,
) {
  return seen(
    t.discord.sendInteraction({
      type: 'command',
      name: 'article',
      subcommand,
      options,
      user,
      ...(guildId ? { guildId, channelId: other.channels[0]?.id } : {}),
    }),
  );
}

async function ask(question: string): Promise<string> {
  return text(await t.discord.sendInteraction({ type: 'command', name: 'ask', options: { question } }).response());
}

describe('/article, through Discord', () => {
  it('is one command with add, list and remove, for moderators by default', () => {
    const command = t.discord.registeredCommands(t.discord.guild.id).find((c) => c.name === 'article');
    expect(command?.default_member_permissions).toBe('32');
    expect(command?.options?.map((o) => o.name)).toEqual(['add', 'list', 'remove']);
  });

  it('refuses a member privately, and a moderator of a server that does not manage the content', async () => {
    const member = await article('add', { url: web.url('/sudan') }, 'member');
    expect(member.private).toBe(true);
    expect(text(member)).toContain('Only moderators can run /article add');
    const elsewhere = await article('add', { url: web.url('/sudan') }, 'admin', other.id);
    expect(text(elsewhere)).toContain('The articles are shared by every server the bot is in');
    expect(await ask(SUDAN)).toContain('Not covered');
  });

  it('adds a page by link, privately saying what was added, and it answers at once', async () => {
    const reply = await article('add', { url: web.url('/sudan') });
    expect(reply.private).toBe(true);
    expect(embeds(reply)[0]?.title).toBe('Article added');
    expect(shown(embeds(reply)[0]?.description ?? '')).toMatch(
      /^“United States to Lift Sudan Sanctions” \(published 2017-01-13, by Jeffrey Gettleman, \d+ passages\), from http:\/\/127\.0\.0\.1:\d+\/sudan\. It answers questions now; the bot serves 2 articles\.$/,
    );
    expect(text(reply)).toContain('LONDON - After nearly 20 years of hostile relations');
    expect(await ask(SUDAN)).toContain('one of the leading American academic voices on Sudan');
  });

  it('adds a Markdown file attached to the command, and lists every article', async () => {
    const reply = await article('add', { file: { filename: 'bridge.md', url: web.url('/bridge.md'), size: 400 } });
    expect(embeds(reply)[0]?.title).toBe('Article added');
    expect(embeds(reply)[0]?.description).toContain('“Harbour Bridge Reopens” (published 2025-03-01');
    expect(await ask(BRIDGE)).toContain('Engineers replaced 300 steel cables.');
    const list = await article('list', {});
    expect(list.private).toBe(true);
    expect(
      text(list)
        .split('\n')
        .filter((line) => line.startsWith('•')),
    ).toEqual([
      expect.stringMatching(
        /^• Harbour Bridge Reopens — 2025-03-01 · 4 passages · imported by mona_mod on \d{4}-\d\d-\d\d$/,
      ),
      expect.stringMatching(/^• Mexico’s Assertive Stance .* — 2025-02-20 · 14 passages · from the content directory$/),
      expect.stringMatching(
        /^• United States to Lift Sudan Sanctions — 2017-01-13 · \d+ passages · imported by mona_mod/,
      ),
    ]);
  });

  it('refuses a broken file with its problems, and a second upload of the same story updates it', async () => {
    const broken = await article('add', { file: { filename: 'broken.md', url: web.url('/broken.md'), size: 60 } });
    expect(embeds(broken)[0]?.title).toBe('Not imported');
    expect(text(broken)).toContain('broken.md:3: source is not an http(s) URL: "nope"');
    const again = await article('add', { url: web.url('/sudan') });
    expect(embeds(again)[0]?.title).toBe('Article updated');
    expect(embeds(again)[0]?.description).toContain('It replaces the earlier import of the same story.');
  });

  it('imports the first link of a message from its Apps menu', async () => {
    // Without the Message Content intent the bot never reads it; the Apps menu carries its text.
    const message = t.discord.sendMessage({
      content: `Big news today <${web.url('/sudan')}> — read it`,
      author: 'member',
    });
    const reply = await seen(
      t.discord.sendInteraction({
        type: 'message-command',
        name: 'Add article from link',
        target: message.id,
        user: 'moderator',
      }),
    );
    expect(reply.private).toBe(true);
    expect(embeds(reply)[0]?.title).toBe('Article updated');
  });

  it('still serves what was imported after a restart; a removed article stops answering', async () => {
    await t.stop();
    t = await startBot();
    expect(await ask(SUDAN)).toContain('one of the leading American academic voices on Sudan');
    const choices = await t.discord
      .sendInteraction({ type: 'autocomplete', name: 'article', subcommand: 'remove', options: { article: 'sud' } })
      .reply();
    expect(choices.data?.choices).toEqual([
      { name: 'United States to Lift Sudan Sanctions', value: 'united-states-to-lift-sudan-sanctions' },
    ]);
    const removed = await article('remove', { article: 'united-states-to-lift-sudan-sanctions' });
    expect(embeds(removed)[0]?.title).toBe('Article removed');
    expect(await ask(SUDAN)).toContain('Not covered');
    const seed = await article('remove', { article: 'mexico' });
    expect(text(seed)).toContain("comes from the bot's content directory on its server (DATA_DIR)");
  });
});

describe('/article add, refusing what it must not fetch', () => {
  it('refuses a link to the bot’s own machine, saying why, when private addresses are not allowed', async () => {
    const strict = await startTestBot({ env: { IMPORT_ALLOW_PRIVATE: 'false' } });
    const requested = web.requested.length;
    try {
      const reply = await strict.discord
        .sendInteraction({
          type: 'command',
          name: 'article',
          subcommand: 'add',
          options: { url: web.url('/sudan') },
          user: 'moderator',
        })
        .response({ timeoutMs: 20_000 });
      expect(embeds(reply)[0]?.title).toBe('Not imported');
      expect(shown(embeds(reply)[0]?.description ?? '')).toBe(
        "127.0.0.1 is a loopback address: links to the bot's own network are refused",
      );
      expect(web.requested.length).toBe(requested);
    } finally {
      await strict.stop();
    }
  });
});
