import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.js';
import { parseLine } from '../../src/terminal/parseLine.js';

const definitions = commands.map((command) => command.data);

describe('parseLine', () => {
  it('gives the rest of the line to the first text option, of a command or of a subcommand', () => {
    expect(parseLine('/insights ferry', definitions)).toEqual({
      kind: 'command',
      name: 'insights',
      options: { article: 'ferry' },
    });
    expect(parseLine('/article add https://example.com/story?id=1', definitions)).toEqual({
      kind: 'command',
      name: 'article add',
      options: { url: 'https://example.com/story?id=1' },
    });
    expect(parseLine('/Article Remove Harbour bridge', definitions)).toEqual({
      kind: 'command',
      name: 'article remove',
      options: { article: 'Harbour bridge' },
    });
    expect(parseLine('/article list', definitions)).toEqual({ kind: 'command', name: 'article list', options: {} });
  });

  it('reads a line without a slash as a question, and the terminal’s own commands', () => {
    expect(parseLine('who is Tom Homan?', definitions)).toEqual({ kind: 'question', text: 'who is Tom Homan?' });
    expect(parseLine('/more', definitions)).toEqual({ kind: 'step', step: 'next' });
    expect(parseLine('/quit', definitions)).toEqual({ kind: 'quit' });
    expect(parseLine('/article', definitions)).toEqual({ kind: 'command', name: 'article', options: {} });
  });
});
