import { describe, expect, it } from 'vitest';
import { createHandler } from '../../src/commands/handler.js';
import { commands } from '../../src/commands/index.js';
import { articleText, makeContentDir } from '../support/content.js';
import { captureLogger } from '../support/logger.js';
import { servedContent } from '../support/served.js';

describe('/article list', () => {
  it('pages every article served, newest first, with buttons to the next and previous pages', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [
        `story-${i}.md`,
        articleText({ title: `Story ${i}` }).replace(
          'published: 2025-03-01',
          `published: 2025-03-${String(i + 1).padStart(2, '0')}`,
        ),
      ]),
    );
    const content = await makeContentDir(files);
    try {
      const { knowledge, reloadContent } = await servedContent(content.dir);
      const handler = createHandler({
        knowledge,
        reloadContent,
        logger: captureLogger().logger,
        commands,
        surface: { name: 'discord', textOnly: false, localFiles: false, ownCommands: [] },
      });
      const moderator = { id: '2', name: 'mod', isModerator: true, guildId: null };
      const first = await handler.run('article list', {}, moderator);
      expect(first).toMatchObject({ title: 'Articles served (12)', ephemeral: true, page: { page: 1, pageCount: 2 } });
      expect(first.lists?.[0]?.items[0]).toBe('Story 11 — 2025-03-12 · 4 passages · from the content directory');
      expect(first.lists?.[0]?.items).toHaveLength(10);
      const next = first.buttons?.find((button) => button.step === 'next');
      const second = await handler.press(next?.id ?? '', moderator);
      expect(second).toMatchObject({ replacesMessage: true, page: { page: 2, pageCount: 2, first: 11 } });
      expect(second?.lists?.[0]?.items).toEqual([
        'Story 1 — 2025-03-02 · 4 passages · from the content directory',
        'Story 0 — 2025-03-01 · 4 passages · from the content directory',
      ]);
      expect((await handler.run('article list', {}, { ...moderator, isModerator: false })).body).toContain(
        'Only moderators can run /article list',
      );
    } finally {
      await content.dispose();
    }
  });
});
