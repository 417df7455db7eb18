import type { APIEmbed } from 'discord.js';
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
 * Text shown in Discord exactly as written: Markdown is escaped (`\\ * _ ~ \` |` everywhere, and
 * headings, quotes and list markers at the start of a line), and links and mentions are broken with
 * a zero-width space (`https\u200b://`, `discord.gg\u200b/`, `@\u200beveryone`, `<\u200b@123>`), so
 * they show as typed but neither link nor ping. The one escape of every text the bot did not write
 * itself: questions, titles, headings, captions, passages and list items. One pass over the text,
 * so its cost grows linearly with its length (discord.js's `escapeMarkdown` does not).
 *
 * @example
 * plainText('@everyone **look** <@123> https://x.io') // => '@\u200beveryone \\*\\*look\\*\\* <\u200b@123> https\u200b://x.io'
 * plainText('[Log in](https://phish.example)') // => '[Log in](https\u200b://phish.example)': no link
 */
export function plainText(text: string): string {
  return text
    .replace(INLINE_MARKUP, broken)
    .replace(LINE_MARKUP, (_line, indent: string, mark: string | undefined, number: string | undefined) =>
      mark === undefined ? `${indent}${number}\\.` : `${indent}\\${mark}`,
    );
}

/**
 * Characters Discord reads as formatting anywhere (brackets too: no masked link can start), and the
 * starts of links, invites and mentions.
 */
const INLINE_MARKUP = /[\\*_~`|[\]]|:\/\/|discord(?:app)?\.(?:gg|com\/invite)\/|@(?=everyone|here)|<(?=[@#:&/a-z])/gi;
/** Headings, quotes and list items: only at the start of a line (after spaces, never across lines). */
const LINE_MARKUP = /^([ \t]*)(?:([#>+-])|(\d+)\.)/gm;

/** What {@link INLINE_MARKUP} found, made inert: formatting escaped, a link or mention broken by a zero-width space. */
function broken(found: string): string {
  if (found === '://') return '\u200b://';
  if (found.length > 3) return `${found.slice(0, -1)}\u200b/`;
  return found === '@' || found === '<' ? `${found}\u200b` : `\\${found}`;
}

/**
 * User text echoed back (a question, a search): on one line, as {@link plainText} shows it, cut to
 * `max` characters before it is escaped, so a long message costs no more than what is shown.
 *
 * @example
 * echoText('**who** is\nTom Homan?', 200) // => '\\*\\*who\\*\\* is Tom Homan?'
 */
export function echoText(text: string, max: number): string {
  const flat = text.slice(0, max + 1).replace(/\s+/g, ' ');
  if (flat.length <= max) return plainText(flat);
  // Cut before a character, not inside one written as two (an emoji).
  const cut = /[\uD800-\uDBFF]/.test(flat.charAt(max - 2)) ? max - 2 : max - 1;
  return `${plainText(flat.slice(0, cut))}…`;
}

/**
 * The link target of an article's `url` or source as Discord is given it: an absolute http(s) URL
 * written afresh from its parts (scheme, host, port, path, query, fragment), with the characters
 * that would end or escape a Markdown link early (`( ) [ ] < > \\`, white space) percent-encoded, so
 * it is one link to exactly that address; `null` for anything else, and for a URL holding a user
 * name or password (`https://phish.example)@news.example/` is a way to show one host and link another).
 *
 * @example
 * linkTarget('https://news.example/a)[Log in](https://phish.example)') // => 'https://news.example/a%29%5BLog%20in%5D%28https://phish.example%29'
 * linkTarget('javascript:alert(1)') // => null
 */
export function linkTarget(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  const rest = parsed.pathname + parsed.search + parsed.hash;
  return `${parsed.protocol}//${parsed.host}${rest.replace(/[()[\]<>\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}`;
}

/**
 * A link Discord shows as `label` going to `url`, the label escaped so it can neither end early
 * nor start a link of its own; just the label when `url` is no http(s) address.
 *
 * @example
 * markdownLink('Cheap [flights]', 'https://news.example/story') // => '[Cheap \\[flights\\]](https://news.example/story)'
 */
export function markdownLink(label: string, url: string | null): string {
  const target = url === null ? null : linkTarget(url);
  const text = plainText(label);
  // plainText escapes brackets already; parentheses too, inside a link's label.
  return target === null ? text : `[${text.replace(/[()]/g, (c) => `\\${c}`)}](${target})`;
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
