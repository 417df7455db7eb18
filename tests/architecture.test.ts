import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandName } from '../src/commands/command.js';
import { commands } from '../src/commands/index.js';
import { ROOT } from './support/content.js';

/** The TypeScript sources of a folder of src/, comments removed. */
function sources(folder: string): Array<{ file: string; code: string }> {
  const dir = path.join(ROOT, 'src', folder);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({
      file: path.join(folder, file),
      code: readFileSync(path.join(dir, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1'),
    }));
}

describe('the layering the README promises', () => {
  it('front doors name no command: what a command is and does lives in src/commands', () => {
    const names = [
      ...new Set(
        commands.flatMap((command) => [commandName(command.data), command.data.group?.name ?? command.data.name]),
      ),
    ];
    // Import lines are left out: their paths name modules, not commands.
    const found = [...sources('discord'), ...sources('terminal')].flatMap(({ file, code }) =>
      names
        .filter((name) => new RegExp(`['"\`/]${name}\\b`).test(code.replace(/^import .*$/gm, '')))
        .map((name) => `${file}: ${name}`),
    );
    expect(found).toEqual([]);
  });

  it('the engine is a pure library: no file system, processes, threads or environment', () => {
    const found = sources('search').filter(({ code }) =>
      /from 'node:(?:fs|child_process|worker_threads|process)|from '(?:fs|child_process|worker_threads)'|\bprocess\.|require\(/.test(
        code,
      ),
    );
    expect(found.map(({ file }) => file)).toEqual([]);
  });
});
