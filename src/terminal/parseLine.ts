import type { CommandDefinition, OptionValues } from '../commands/command.js';

/** What a line typed in the terminal asks for. */
export type ParsedLine =
  | { kind: 'command'; name: string; options: OptionValues }
  | { kind: 'more' }
  | { kind: 'quit' }
  | { kind: 'blank' };

/**
 * Reads one terminal line the way Discord reads a slash command: `/name rest` gives `rest` to
 * the command's first text option; a line without a slash is a question for /ask.
 *
 * @example
 * parseLine('/ask who is Tom Homan?', definitions)
 * // => { kind: 'command', name: 'ask', options: { question: 'who is Tom Homan?' } }
 */
export function parseLine(line: string, definitions: readonly CommandDefinition[]): ParsedLine {
  const text = line.trim();
  if (text === '') return { kind: 'blank' };
  if (!text.startsWith('/')) return { kind: 'command', name: 'ask', options: { question: text } };
  const [, rawName = '', rest = ''] = /^\/(\S*)\s*([\s\S]*)$/.exec(text) ?? [];
  const name = rawName.toLowerCase();
  if (name === 'quit' || name === 'exit') return { kind: 'quit' };
  if (name === 'more' || name === 'next') return { kind: 'more' };
  const textOption = definitions.find((d) => d.name === name)?.options.find((o) => o.type === 'string');
  return { kind: 'command', name, options: textOption && rest !== '' ? { [textOption.name]: rest } : {} };
}
