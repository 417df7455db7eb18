import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MessageFlags } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../src/serving/knowledgeBase.js';
import { startTestBot, type TestBot } from '../support/bot.js';
import { articleText, fillerArticles, makeContentDir } from '../support/content.js';
import type { MessageBody } from '../support/fakeDiscord/index.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const dispose of cleanups.splice(0).reverse()) await dispose();
});

/** The ferry article in one of two versions: its answer and its link both say which. */
const ferry = (version: 1 | 2): string =>
  articleText({
    title: 'Island Ferry Timetable',
    lead: `The island ferry leaves the harbour at ${version === 1 ? 'seven' : 'nine'} every morning, the operator said.`,
  }).replace('https://example.com/bridge', `https://example.com/ferry-v${version}`);

const ask = (t: TestBot, question: string) =>
  t.discord.sendInteraction({ type: 'command', name: 'ask', options: { question } });
const textOf = (body: MessageBody | undefined): string => JSON.stringify(body?.embeds ?? []);

describe('the index loads and reloads off the event loop', () => {
  it('answers "still loading" privately before the first index is ready, then answers', async () => {
    const content = await makeContentDir({ 'ferry.md': ferry(1) });
    cleanups.push(content.dispose);
    const knowledge = KnowledgeBase.create(content.dir);
    const t = await startTestBot({ knowledge, env: { RATE_LIMIT: 'off' } });
    cleanups.push(() => t.stop());
    const early = await ask(t, 'when does the ferry leave?').reply();
    expect(early.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(textOf(early.data)).toContain('Still loading the articles: try again in a few seconds.');
    await knowledge.reload();
    expect(textOf((await ask(t, 'when does the ferry leave?').reply()).data)).toContain('seven');
  });

  it('keeps answering within 1 s during a reload that takes seconds, each answer from the old or the new index', async () => {
    const content = await makeContentDir({ 'ferry.md': ferry(1) });
    cleanups.push(content.dispose);
    const t = await startTestBot({ dataDir: content.dir, env: { RATE_LIMIT: 'off' } });
    cleanups.push(() => t.stop());
    // 1,200 more articles: building their index takes several seconds on this machine's 2 cores.
    for (const [name, text] of Object.entries(fillerArticles(1200)))
      await writeFile(path.join(content.articles, name), text);
    await writeFile(path.join(content.articles, 'ferry.md'), ferry(2));

    const reload = t.discord.sendInteraction({ type: 'command', name: 'reload', user: 'moderator' });
    const reloadStarted = performance.now();
    let reloaded = false;
    const report = reload.editReply({ timeoutMs: 120_000 }).then((body) => {
      reloaded = true;
      return body;
    });
    const answers: Array<{ ms: number; version: 1 | 2 | null }> = [];
    const pending: Array<Promise<void>> = [];
    while (!reloaded) {
      const sent = performance.now();
      pending.push(
        ask(t, 'when does the island ferry leave the harbour?')
          .reply({ timeoutMs: 30_000 })
          .then((callback) => {
            const text = textOf(callback.data);
            const old = text.includes('at seven') && text.includes('ferry-v1') && !text.includes('ferry-v2');
            const fresh = text.includes('at nine') && text.includes('ferry-v2') && !text.includes('ferry-v1');
            answers.push({ ms: performance.now() - sent, version: old ? 1 : fresh ? 2 : null });
          }),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await Promise.all(pending);
    const reloadMs = performance.now() - reloadStarted;

    expect((await report).embeds?.[0]?.title).toBe('Content reloaded');
    expect(reloadMs).toBeGreaterThan(2000);
    expect(answers.length).toBeGreaterThan(15);
    expect(answers.filter((a) => a.ms > 1000)).toEqual([]);
    expect(answers.filter((a) => a.version === null)).toEqual([]);
    // The swap is atomic: once the new index answers, the old one never does again.
    const versions = answers.map((a) => a.version);
    expect(versions).toEqual([...versions].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(versions[0]).toBe(1);
    expect(textOf((await ask(t, 'when does the island ferry leave the harbour?').reply()).data)).toContain('at nine');
  }, 180_000);
});
