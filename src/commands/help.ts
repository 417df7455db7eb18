import { defineCommand, commandName, type CommandDefinition, type Surface } from './command.js';
import type { Reply } from './reply.js';

/**
 * What the bot can do where it is asked: every command with exactly the options that front door
 * accepts (in the terminal, a command takes the rest of the line as its first text option), and
 * the front door's own commands.
 */
function helpReply(
  definitions: readonly CommandDefinition[],
  articleTitles: readonly string[],
  surface: Surface,
): Reply {
  const usage = (d: CommandDefinition): string => {
    if (d.kind === 'message') return `Apps › ${d.name} (on any message) — ${d.description}`;
    const typed = d.options.filter((o) => !o.internal);
    const accepted = surface.textOnly ? typed.filter((o) => o.type === 'string').slice(0, 1) : typed;
    const options = accepted.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`)).join(' ');
    return `/${commandName(d)}${options ? ` ${options}` : ''} — ${d.description}`;
  };
  const freeText =
    surface.name === 'terminal'
      ? 'Type a question in your own words'
      : 'Ask me about the article in your own words (/ask, or mention me)';
  return {
    tone: 'info',
    title: 'What I can do',
    body:
      `${freeText}: I answer with the passage that holds the answer, its best sentence highlighted, and the sources. ` +
      `Serving: ${articleTitles.map((t) => `“${t}”`).join(', ') || 'no articles'}.`,
    lists: [{ heading: 'Commands', items: [...definitions.map(usage), ...surface.ownCommands] }],
    ephemeral: true,
  };
}

/** How to ask for this list, for front doors to mention: "/help". */
export function helpCommand(): string {
  return `/${help.data.name}`;
}

export const help = defineCommand({
  data: {
    name: 'help',
    description: 'What this bot can do',
  },
  execute: (context) =>
    helpReply(
      context.commands
        .filter((c) => !c.data.hidden && (c.data.kind !== 'message' || context.surface.name === 'discord'))
        .map((c) => c.data),
      context.knowledge.engine.articles.map((a) => a.title),
      context.surface,
    ),
});
