import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { articleText, makeContentDir, ROOT, SEED_DIR } from '../support/content.js';
import { runEntry, startEntry } from '../support/run.js';
import { replyBlocks } from '../support/terminalOutput.js';

describe('npm start without DISCORD_TOKEN (terminal mode, piped)', () => {
  it('answers every line in order, serves every command, and exits 0 at end of input', async () => {
    const input = [
      'what did Hegseth say about the cartels?',
      '/insights',
      '/sources',
      '/search sovereignty',
      '/more',
      '/help',
      '/ask how do I bake bread?',
      '/nonsense',
      '',
    ].join('\n');
    const { stdout, stderr, code } = await runEntry('src/index.ts', [], { input });
    expect(code).toBe(0);

    // Piped: plain text, no Markdown or ANSI markers.
    expect(stdout).not.toContain('**');
    expect(stdout).not.toContain('\u001b[');
    const blocks = replyBlocks(stdout, [
      'Answer: what did Hegseth say about the cartels?',
      'Key insights',
      'Mexico’s Assertive Stance Shakes Up U.S. Relations Over Crime And Gun Issues',
      'Sources',
      'Search results: sovereignty',
      'Search results: sovereignty',
      'What I can do',
      'Commands',
      'Not covered: how do I bake bread?',
      "Can't do that",
    ]);
    expect(blocks[0]).toContain('1. Key Insights\n');
    expect(blocks[0]).toContain('all options are on the table');
    expect(blocks[0]).toContain(
      'https://www.reuters.com/world/americas/mexico-was-not-consulted-us-designation-cartels-terrorist-organizations-2025-02-20/',
    );
    expect(blocks[2]).toContain(
      '  • Sheinbaum proposed a constitutional amendment to reject foreign interventions in Mexico.',
    );
    expect(blocks[4]).toContain('Page 1 of 2 (type /more for the next page)');
    expect(blocks[5]).toContain('Page 2 of 2 (type /back for the previous one)');
    expect(blocks[8]).toContain("The article doesn't cover that. Try /insights");
    expect(blocks[9]).toContain('There is no /nonsense command. Try /help.');

    expect(stderr.match(/Running without Discord/g)).toHaveLength(1);
    expect(stderr).toContain('set DISCORD_TOKEN');
    expect(stdout + stderr).not.toMatch(/injected env|dotenv|\[dotenv/i);
  });

  it('reads well at 80 columns: wrapped at word boundaries with a hanging indent, the title once, numbers going on across pages', async () => {
    const input = [
      'what did Hegseth say about the cartels?',
      '/search Mexico',
      '/more',
      '/back',
      '/back',
      '/help',
      '',
    ].join('\n');
    const { stdout, code } = await runEntry('src/index.ts', [], { input, env: { COLUMNS: '80' } });
    expect(code).toBe(0);
    // Every line fits, but for a link too long for any line, which stays whole beside its bullet.
    const lines = stdout.split('\n').filter((line) => !/^ {2}- https:\/\/\S+$/.test(line));
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
    const [answer = '', page1 = '', page2 = '', back = '', noPrevious = '', help = ''] = stdout.split(
      /\n(?=(?:Answer|Search results|What I can do)|No previous page)/,
    );
    // A passage's text is indented under its number, and so is every line it wraps onto.
    const passage = answer.slice(answer.indexOf('\n1. '));
    expect(passage).toMatch(/^\n1\. Key Insights\n {3}U\.S\. officials,[^\n]*\n {3}[^ ]/);
    // One article: its title is said once, with the sources, not on every passage.
    expect(answer.match(/Mexico’s Assertive Stance/g)).toHaveLength(1);
    expect(answer).toContain('Sources for “Mexico’s Assertive Stance Shakes Up U.S. Relations Over Crime');
    expect(page1).toMatch(/\n1\. /);
    expect(page2).toMatch(/\n4\. /);
    expect(page2).not.toMatch(/\n1\. /);
    expect(back).toMatch(/\n1\. /);
    expect(noPrevious).toContain('No previous page.');
    expect(help).toContain('/search <query> — List the passages matching some words, a page at a time');
    expect(help).toContain('/more — the next page of results');
    expect(help).not.toContain('[page]');
  });

  it('reloads edited content on /reload, and keeps serving the old content when a file breaks', async () => {
    const { dir, articles, dispose } = await makeContentDir({ 'bridge.md': articleText() });
    const session = startEntry('src/index.ts', [], { env: { DATA_DIR: dir } });
    try {
      session.send('when does the night ferry return?');
      await session.waitFor(/Not covered/);

      await writeFile(
        path.join(articles, 'ferry.md'),
        articleText({ title: 'Night Ferry Returns', lead: 'The night ferry to the islands returns in May.' }),
      );
      session.send('/reload');
      await session.waitFor(
        /Content reloaded\nArticles added: ferry; passages: 4 added, 0 removed, 0 changed\. Now serving 2 articles, 8 passages\./,
      );
      session.send('when does the night ferry return?');
      await session.waitFor(/The night ferry to the islands returns in May\./);

      await writeFile(
        path.join(articles, 'ferry.md'),
        '---\ntitle: Night Ferry Returns\nurl: not a url\n---\n\nThe ferry is cancelled.\n',
      );
      session.send('/reload');
      await session.waitFor(/Reload refused: the previous content is still serving/);
      expect(session.output().stdout).toContain(`${articles}/ferry.md:3: url is not an http(s) URL: "not a url"`);
      session.send('when does the night ferry return?');
      const { stdout, code } = await session.finish();
      expect(code).toBe(0);
      expect(stdout.split('Answer: when does the night ferry return?\n')).toHaveLength(3);
      expect(stdout).not.toContain('cancelled');
      // The reload is logged on stderr as readable lines, never JSON between the answers.
      expect(session.output().stderr).toContain('content.reload');
      expect(session.output().stderr).not.toMatch(/^\{/m);
    } finally {
      session.child.kill();
      await dispose();
    }
  });

  it('fails loudly at start-up on bad content, naming file and line', async () => {
    const { dir, articles, dispose } = await makeContentDir({
      'broken.md': '---\ntitle: Broken\nurl: not a url\n---\n\nText.\n',
    });
    try {
      const { stderr, code } = await runEntry('src/index.ts', [], { env: { DATA_DIR: dir } });
      expect(code).toBe(1);
      expect(stderr).toContain(`${articles}/broken.md:3: url is not an http(s) URL: "not a url"`);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      await dispose();
    }
  });

  it('reports invalid configuration by key, with no stack trace', async () => {
    const { stderr, code } = await runEntry('src/index.ts', [], { env: { LOG_LEVEL: 'loud', RATE_LIMIT: 'lots' } });
    expect(code).toBe(1);
    expect(stderr).toContain('RATE_LIMIT: expected');
    expect(stderr).toContain('LOG_LEVEL: expected one of debug, info, warn, error');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

/** The environment of a bot started without Discord over the seed article, with a state directory of its own. */
async function terminalEnv(): Promise<Record<string, string>> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DISCORD_TOKEN: '',
    DATA_DIR: SEED_DIR,
    INDEX_CACHE: 'off',
    STATE_DIR: await mkdtemp(path.join(tmpdir(), 'article-bot-terminal-')),
  };
}

describe('npm start without DISCORD_TOKEN, at a terminal', () => {
  it('shows the best sentence in ANSI bold, with no Markdown markers', async () => {
    // `script` gives the bot a pseudo-terminal, as a person at a terminal has.
    const command = [process.execPath, '--import', 'tsx', path.join(ROOT, 'src/index.ts')].join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: ROOT,
      env: await terminalEnv(),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('> ') && !output.includes('Tom Homan?')) child.stdin.write('who is Tom Homan?\r');
      if (/Sources for/.test(output)) child.stdin.write('/quit\r');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(output).toContain('\u001b[1mAnswer: who is Tom Homan?\u001b[22m');
    expect(output).toContain('\u001b[1mAdding to the tension, Trump’s former border czar, Tom Homan,');
    expect(output).not.toContain('**');
  });
});

describe('npm start (the compiled JavaScript in dist/, built by npm install)', () => {
  it('answers a piped question and exits 0, with no TypeScript loader', async () => {
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: await terminalEnv(),
    });
    child.stdin.end('who is Tom Homan?\n');
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toContain('Answer: who is Tom Homan?\n');
    expect(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).toMatch(/"start": "node [^"]*dist\/index\.js"/);
  });
});
