import type { CommandDefinition, OptionValues } from '../commands/command.js';

/** What a line typed in the terminal asks for. */
export type ParsedLine =
  | { kind: 'command'; name: string; options: OptionValues }
  | { kind: 'question'; text: string }
  | { kind: 'step'; step: 'previous' | 'next' }
  | { kind: 'quit' }
  | { kind: 'blank' };

/** The terminal's own commands, as /help lists them. */
export const TERMINAL_COMMANDS = [
  '/more — the next page of results',
  '/back — the previous page of results',
  '/quit — leave (so does Ctrl-D)',
];

/**
 * Reads one terminal line the way Discord reads a slash command: `/name rest` gives `rest` to the
 * command's first text option; a line without a slash is a question in plain words.
 *
 * @example
 * parseLine('/insights ferry', definitions)
 * // => { kind: 'command', name: 'insights', options: { article: 'ferry' } }
 */
export function parseLine(line: string, definitions: readonly CommandDefinition[]): ParsedLine {
  const text = line.trim();
  if (text === '') return { kind: 'blank' };
  if (!text.startsWith('/')) return { kind: 'question', text };
  const [, rawName = '', rest = ''] = /^\/(\S*)\s*([\s\S]*)$/.exec(text) ?? [];
  const name = rawName.toLowerCase();
  if (name === 'quit' || name === 'exit') return { kind: 'quit' };
  if (name === 'more' || name === 'next') return { kind: 'step', step: 'next' };
  if (name === 'back' || name === 'previous') return { kind: 'step', step: 'previous' };
  const textOption = definitions.find((d) => d.name === name)?.options.find((o) => o.type === 'string');
  return { kind: 'command', name, options: textOption && rest !== '' ? { [textOption.name]: rest } : {} };
}
