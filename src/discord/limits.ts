import { escapeMarkdown, type APIEmbed } from 'discord.js';
import { sentenceEnds } from '../search/sentences.js';

/** Discord's message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  customId: 100,
  choiceName: 100,
  choiceValue: 100,
  choices: 25,
} as const;

/**
 * Shortens text to at most `max` characters, at the end of a sentence when one ends in the
 * second half, else at a word, and marks the cut with an ellipsis.
 *
 * @example
 * truncateAtSentence('One. Two three four.', 12) // => 'One. …'
 */
export function truncateAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, Math.max(0, max - 2));
  // The same notion of a sentence as the engine's: "U.S." or "Dr." inside one is no end.
  // A line break ends a sentence too (list items, paragraphs).
  const sentenceEnd = Math.max(sentenceEnds(room).at(-1)?.end ?? -1, room.lastIndexOf('\n'));
  if (sentenceEnd >= room.length / 2) return `${room.slice(0, sentenceEnd).trimEnd()} …`;
  const wordEnd = room.lastIndexOf(' ');
  return `${(wordEnd >= room.length / 2 ? room.slice(0, wordEnd) : room).trimEnd()} …`;
}

/**
 * Makes user text safe to echo: Markdown is escaped, and mentions (`@everyone`, `<@id>`,
 * `<#id>`) and links are broken with a zero-width space, so they show as typed but neither ping
 * nor link, whatever `allowed_mentions` says.
 *
 * @example
 * escapeUserText('@everyone **look** <@123> https://x.io') // => '@\u200beveryone \\*\\*look\\*\\* <\u200b@123> https\u200b://x.io'
 */
export function escapeUserText(text: string): string {
  return escapeMarkdown(text.replace(/[\r\n]+/g, ' '))
    .replace(/@/g, '@\u200b')
    .replace(/<(?=[@#:&/a-z])/gi, '<\u200b')
    .replace(/:\/\//g, '\u200b://')
    .replace(/\]\(/g, ']\u200b(');
}

/**
 * Article text as Discord shows it: as written, but a masked link (`[text](https://…)`, which an
 * imported page's text can hold) is broken so it shows as typed: link text must never disguise
 * where a link goes.
 *
 * @example
 * articleText('see [the report](https://evil.example)') // => 'see [the report]\u200b(https://evil.example)'
 */
export function articleText(text: string): string {
  return text.replace(/\]\(/g, ']\u200b(');
}

/**
 * Text for the label of a link (`[label](url)`): its brackets and parentheses escaped, so a title
 * taken from a web page can neither end the label early nor start a link of its own.
 *
 * @example
 * linkLabel('Read [this](https://evil.example)') // => 'Read \\[this\\]\\(https://evil.example\\)'
 */
export function linkLabel(text: string): string {
  return text.replace(/[[\]()]/g, (c) => `\\${c}`);
}

/** Total characters Discord counts against the 6,000 limit of a message's embeds. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/**
 * Cuts a message's embeds down to Discord's limits: each part to its own limit, at most ten
 * embeds, and the longest descriptions shortened at sentence boundaries until the whole message
 * fits in 6,000 characters.
 */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, DISCORD_LIMITS.embeds).map((embed) => ({
    ...embed,
    ...(embed.title === undefined ? {} : { title: truncateAtSentence(embed.title, DISCORD_LIMITS.title) }),
    ...(embed.description === undefined
      ? {}
      : { description: truncateAtSentence(embed.description, DISCORD_LIMITS.description) }),
    ...(embed.author === undefined
      ? {}
      : { author: { ...embed.author, name: truncateAtSentence(embed.author.name, DISCORD_LIMITS.author) } }),
    ...(embed.footer === undefined
      ? {}
      : { footer: { ...embed.footer, text: truncateAtSentence(embed.footer.text, DISCORD_LIMITS.footer) } }),
    ...(embed.fields === undefined
      ? {}
      : {
          fields: embed.fields.slice(0, DISCORD_LIMITS.fields).map((field) => ({
            ...field,
            name: truncateAtSentence(field.name, DISCORD_LIMITS.fieldName),
            value: truncateAtSentence(field.value, DISCORD_LIMITS.fieldValue),
          })),
        }),
  }));
  let total = fitted.reduce((sum, embed) => sum + embedLength(embed), 0);
  while (total > DISCORD_LIMITS.embedTotal) {
    const longest = fitted.reduce((a, b) => ((b.description?.length ?? 0) > (a.description?.length ?? 0) ? b : a));
    const length = longest.description?.length ?? 0;
    if (length > 100)
      longest.description = truncateAtSentence(
        longest.description ?? '',
        Math.max(100, length - (total - DISCORD_LIMITS.embedTotal) - 10),
      );
    else fitted.pop();
    total = fitted.reduce((sum, embed) => sum + embedLength(embed), 0);
  }
  return fitted;
}
