import type { Command, CommandDefinition } from './command.js';
import type { Reply } from './reply.js';

/** What the bot can do: every command with its options, from the commands' own definitions. */
export function helpReply(definitions: readonly CommandDefinition[], articleTitles: readonly string[]): Reply {
  const usage = (d: CommandDefinition): string => {
    const options = d.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`)).join(' ');
    return `/${d.name}${options ? ` ${options}` : ''} — ${d.description}`;
  };
  return {
    tone: 'info',
    title: 'What I can do',
    body:
      'Ask me about the article in your own words: I answer with the passage that holds the answer, its best sentence highlighted, and the sources. ' +
      `Serving: ${articleTitles.map((t) => `“${t}”`).join(', ') || 'no articles'}.`,
    lists: [{ heading: 'Commands', items: definitions.map(usage) }],
    ephemeral: true,
  };
}

export const help = {
  data: { name: 'help', description: 'What this bot can do', options: [], moderatorOnly: false },
  execute: (context) =>
    helpReply(
      context.commands.map((c) => c.data),
      context.knowledge.engine.articles.map((a) => a.title),
    ),
} satisfies Command;
