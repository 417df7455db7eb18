import { highlightAnswer, type ArticleRef, type Reply, type ReplyPassage } from '../commands/reply.js';

/** How to style terminal text: ANSI bold on a terminal, Markdown-style `**bold**` in pipes and files. */
export interface TextStyle {
  ansi: boolean;
}

/**
 * Renders a reply as plain text for the terminal: each passage with its section and article,
 * the best sentence highlighted, then the source links.
 *
 * @example
 * process.stdout.write(renderReply(reply, { ansi: process.stdout.isTTY }));
 */
export function renderReply(reply: Reply, style: TextStyle): string {
  const bold = (text: string): string => (style.ansi ? `\u001b[1m${text}\u001b[22m` : `**${text}**`);
  const dim = (text: string): string => (style.ansi ? `\u001b[2m${text}\u001b[22m` : text);
  const lines: string[] = [bold(reply.query ? `${reply.title}: ${oneLine(reply.query)}` : reply.title)];
  if (reply.body) lines.push(reply.body);
  reply.passages?.forEach((passage, i) => {
    lines.push('', `${i + 1}. ${dim(passageLabel(passage))}`, `   ${highlightAnswer(passage, bold)}`);
  });
  for (const list of reply.lists ?? []) {
    lines.push('');
    if (list.heading) lines.push(bold(list.heading));
    for (const item of list.items) lines.push(`  • ${item}`);
  }
  if (reply.articles && reply.articles.length > 0) {
    lines.push('');
    for (const article of reply.articles) lines.push(...sourceLines(article, reply.articles.length > 1 || !reply.passages));
  }
  if (reply.page && reply.page.pageCount > 1) {
    const more = reply.page.page < reply.page.pageCount ? ' (type /more for the next page)' : '';
    lines.push('', dim(`Page ${reply.page.page} of ${reply.page.pageCount}${more}`));
  }
  return `${lines.join('\n')}\n`;
}

/** "Section · Article title" (or just the title for the lead). */
function passageLabel(passage: ReplyPassage): string {
  return passage.section ? `${passage.section} · ${passage.article.title}` : passage.article.title;
}

function sourceLines(article: ArticleRef, named: boolean): string[] {
  const published = article.published ? `, published ${article.published}` : '';
  const lines = named ? [`Sources for “${article.title}”${article.url ? ` (${article.url}${published})` : published ? ` (${published.slice(2)})` : ''}:`] : ['Sources:'];
  if (article.sources.length === 0) lines.push('  (none listed)');
  for (const source of article.sources) lines.push(`  - ${source}`);
  return lines;
}

/** User text shown on one line without control characters, so it cannot break the layout or drive the terminal. */
function oneLine(text: string): string {
  const flat = text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ');
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}
