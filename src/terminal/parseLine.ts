import { commandName, type CommandDefinition, type OptionValues } from '../commands/command.js';

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
  const [, rawName = '', second = '', afterSecond = ''] = /^\/(\S*)\s*(\S*)\s*([\s\S]*)$/.exec(text) ?? [];
  const first = rawName.toLowerCase();
  if (first === 'quit' || first === 'exit') return { kind: 'quit' };
  if (first === 'more' || first === 'next') return { kind: 'step', step: 'next' };
  if (first === 'back' || first === 'previous') return { kind: 'step', step: 'previous' };
  // A subcommand is named by two words: "/article add <url>".
  const sub = `${first} ${second.toLowerCase()}`;
  const definition =
    definitions.find((d) => commandName(d) === sub) ?? definitions.find((d) => commandName(d) === first);
  const name = definition ? commandName(definition) : first;
  const rest = definition && name === sub ? afterSecond : `${second} ${afterSecond}`.trim();
  const textOption = definition?.options.find((o) => o.type === 'string');
  return { kind: 'command', name, options: textOption && rest !== '' ? { [textOption.name]: rest } : {} };
}
