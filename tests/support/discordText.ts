import type { MessageBody } from './fakeDiscord/index.js';

/**
 * Text as Discord shows it: what a backslash escapes stands as itself, and the zero-width spaces
 * that break links and mentions are invisible. For assertions on what a user reads in a reply.
 *
 * @example
 * shown('imported by mona\\_mod from http\u200b://x') // => 'imported by mona_mod from http://x'
 */
export function shown(text: string): string {
  return text.replace(/\u200b/g, '').replace(/\\([^\p{L}\p{N}\s])/gu, '$1');
}

/**
 * Every link Discord makes of Markdown text: masked links (`[label](https://…)`), bare links and
 * `<https://…>`. A link broken by a zero-width space, or escaped, is none.
 */
export function linksIn(text: string): string[] {
  const links: string[] = [];
  const masked = /(?<!\\)\[((?:\\.|[^\]\\])*)\]\((https?:\/\/[^\s)]+)\)/g;
  const rest = text.replace(masked, (_all, _label: string, url: string) => {
    links.push(url);
    return ' ';
  });
  for (const match of rest.matchAll(/https?:\/\/[^\s<>]+/g)) links.push(match[0]);
  return links;
}

/** Everything a reply says, its embeds' descriptions in order (where an answer's passage is), as Discord shows it. */
export function answerText(body: MessageBody | undefined): string {
  return shown((body?.embeds ?? []).map((embed) => embed.description ?? '').join('\n'));
}

/** A reply's embeds' titles and descriptions, as Discord shows them. */
export function textOf(body: MessageBody | undefined): string {
  return shown((body?.embeds ?? []).map((e) => `${e.title ?? ''}\n${e.description ?? ''}`).join('\n'));
}
