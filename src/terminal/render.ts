import { highlightAnswer, shortLabel, type ArticleRef, type Reply, type ReplyPassage } from '../commands/reply.js';
import { visibleText as shown } from '../content/normalize.js';

/** How to style terminal text: ANSI bold on a terminal, plain in pipes and files (no markers); wrapped at `width` when given. */
export interface TextStyle {
  ansi: boolean;
  width: number | null;
}

/**
 * Renders a reply as text for the terminal: each passage numbered (on from the last page) with
 * its section, the best sentence highlighted, then the source links. Lines wrap at the width at
 * word boundaries, each continuation indented under its text. The article's title is said once
 * when every passage is from the same article.
 *
 * @example
 * process.stdout.write(renderReply(reply, { ansi: process.stdout.isTTY, width: process.stdout.columns }));
 */
export function renderReply(reply: Reply, style: TextStyle): string {
  const bold = (text: string): string => (style.ansi ? `\u001b[1m${text}\u001b[22m` : text);
  const dim = (text: string): string => (style.ansi ? `\u001b[2m${text}\u001b[22m` : text);
  const lines: string[] = [];
  const add = (text: string, indent = ''): void => {
    lines.push(...wrap(text, style.width, indent));
  };
  // Every text is shown without control characters (a stored question, an imported title could
  // hold an escape sequence that drives the terminal); the styling is added after.
  add(bold(reply.query ? `${shown(reply.title)}: ${oneLine(reply.query)}` : shown(reply.title)));
  if (reply.body) add(shown(reply.body));
  const oneArticle = reply.articles?.length === 1 ? reply.articles[0] : undefined;
  const first = reply.page?.first ?? 1;
  reply.passages?.forEach((passage, i) => {
    const number = `${first + i}. `;
    lines.push('');
    add(`${number}${dim(shown(passageLabel(passage, oneArticle !== undefined)))}`, ' '.repeat(number.length));
    const short = passage.short ? `${bold(shown(shortLabel(passage.short)))} — ` : '';
    const text = highlightAnswer(passage, (sentence) => bold(shown(sentence)), shown);
    add(`${' '.repeat(number.length)}${short}${text}`, ' '.repeat(number.length));
  });
  for (const list of reply.lists ?? []) {
    lines.push('');
    if (list.heading) add(bold(shown(list.heading)));
    for (const item of list.items) add(`  • ${shown(item)}`, '    ');
  }
  if (reply.articles && reply.articles.length > 0) {
    lines.push('');
    for (const article of reply.articles) for (const line of sourceLines(article)) add(shown(line), '    ');
  }
  if (reply.page && reply.page.pageCount > 1) {
    const moves = [
      reply.page.page < reply.page.pageCount ? '/more for the next page' : '',
      reply.page.page > 1 ? '/back for the previous one' : '',
    ].filter((m) => m !== '');
    lines.push('');
    add(
      dim(`Page ${reply.page.page} of ${reply.page.pageCount}${moves.length > 0 ? ` (type ${moves.join(', ')})` : ''}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** "Section · Article title", or just the section when the reply names its one article elsewhere. */
function passageLabel(passage: ReplyPassage, titleShownOnce: boolean): string {
  const section = passage.section ?? 'Lead';
  return titleShownOnce ? section : `${section} · ${passage.article.title}`;
}

function sourceLines(article: ArticleRef): string[] {
  const details = [article.url, article.published ? `published ${article.published}` : ''].filter(Boolean).join(', ');
  const lines = [`Sources for “${article.title}”${details ? ` (${details})` : ''}:`];
  if (article.sources.length === 0) lines.push('  (none listed)');
  for (const source of article.sources) lines.push(`  - ${source}`);
  return lines;
}

/** User text shown on one line without control characters, so it cannot break the layout or drive the terminal. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
  const flat = text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ');
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}

/** Visible length: ANSI styling takes no room. */
function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex -- ANSI styling starts with the escape character
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/**
 * One line of text wrapped at `width` on spaces, the continuation lines indented by `indent`.
 * A word longer than the line (a link) stays whole, and stays beside its bullet.
 *
 * @example
 * wrap('one two three', 8, '  ') // => ['one two', '  three']
 */
export function wrap(text: string, width: number | null, indent = ''): string[] {
  if (width === null || visibleLength(text) <= width) return [text];
  const leading = /^ */.exec(text)?.[0] ?? '';
  const words = text.slice(leading.length).split(' ');
  const lines: string[] = [];
  let line = leading;
  for (const word of words) {
    const start = line.trim() === '';
    const bulletOnly = /^\s*(?:[-•]|\d+\.)$/.test(line);
    if (!start && !bulletOnly && visibleLength(line) + 1 + visibleLength(word) > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (start ? '' : ' ') + word;
    }
  }
  lines.push(line);
  return lines;
}
