import type { Article } from './article.js';
import { ARTICLE_LIMITS, cutAtWord } from './limits.js';
import { normalizeText } from './normalize.js';
import { isReservedHeading, readHeading } from './parseArticle.js';

/** A block of an article's text: a paragraph, or a list of items. */
export type DraftBlock = { kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] };

/**
 * An article taken from another format (a web page, a text file) before it is written in the
 * project's own Markdown format: what the page said, as plain text, nothing of its markup.
 */
export interface ArticleDraft extends Pick<Article, 'title' | 'url' | 'published' | 'author' | 'caption' | 'sources'> {
  /** The blocks before the first heading. */
  lead: DraftBlock[];
  sections: Array<{ heading: string; blocks: DraftBlock[] }>;
}

/** How many characters of text a draft holds, headings and lists included. */
export function draftLength(draft: ArticleDraft): number {
  const blocks = [...draft.lead, ...draft.sections.flatMap((section) => section.blocks)];
  return blocks.reduce(
    (sum, block) => sum + (block.kind === 'paragraph' ? block.text.length : block.items.join(' ').length),
    0,
  );
}

/**
 * The draft in the project's article format (see README, "Content format"): front matter with
 * quoted values, the lead, then `## ` sections of paragraphs and `- ` lists. Every line of text is
 * one line of plain text; one that would read as Markdown syntax (a heading, a list item) is
 * escaped with a backslash, and a heading the format reserves ("Key Insights", "Sources", also
 * with a closing "#") is renamed, so what the page said comes back exactly as text. Empty sections
 * are left out. What {@link ARTICLE_LIMITS} bounds is fitted to it: the title, author and caption
 * cut at a word, a heading too long to be one (or empty as read) kept as a paragraph.
 *
 * @example
 * draftToMarkdown({ title: 'Harbour Bridge Reopens', lead: [{ kind: 'paragraph', text: 'It reopened.' }], … })
 * // => '---\ntitle: "Harbour Bridge Reopens"\n---\n\nIt reopened.\n'
 */
export function draftToMarkdown(draft: ArticleDraft): string {
  const lines = ['---', `title: ${quote(draft.title, ARTICLE_LIMITS.titleChars)}`];
  if (draft.url) lines.push(`url: ${quote(draft.url)}`);
  if (draft.published) lines.push(`published: ${draft.published}`);
  if (draft.author) lines.push(`author: ${quote(draft.author, ARTICLE_LIMITS.authorChars)}`);
  if (draft.caption) lines.push(`caption: ${quote(draft.caption, ARTICLE_LIMITS.captionChars)}`);
  if (draft.sources.length > 0) lines.push('sources:', ...draft.sources.map((url) => `  - ${quote(url)}`));
  lines.push('---');
  const blocks = (list: readonly DraftBlock[]): void => {
    for (const block of list) {
      if (block.kind === 'paragraph') {
        const text = plainLine(block.text);
        if (text !== '') lines.push('', escapeLine(text));
      } else {
        const items = block.items.map(plainLine).filter((item) => item !== '');
        if (items.length > 0) lines.push('', ...items.map((item) => `- ${item}`));
      }
    }
  };
  blocks(draft.lead);
  for (const section of draft.sections) {
    if (!section.blocks.some(hasText)) continue;
    // The heading as the article's parser will read it back.
    const heading = plainLine(section.heading);
    const read = readHeading(`## ${heading}`)?.text ?? '';
    if (read === '' || read.length > ARTICLE_LIMITS.headingChars) {
      blocks([{ kind: 'paragraph', text: heading }, ...section.blocks]);
      continue;
    }
    lines.push('', `## ${isReservedHeading(read) ? `${heading} (from the article)` : heading}`);
    blocks(section.blocks);
  }
  return `${lines.join('\n')}\n`;
}

function hasText(block: DraftBlock): boolean {
  return block.kind === 'paragraph' ? plainLine(block.text) !== '' : block.items.some((item) => plainLine(item) !== '');
}

/** Text on one line, its typography folded the way articles' text is. */
function plainLine(text: string): string {
  return normalizeText(text).replace(/\s+/g, ' ').trim();
}

/** A front matter value, quoted so that a colon, a `#` or quotes inside it are read as text; cut to `max` characters. */
function quote(value: string, max = Infinity): string {
  return `"${cutAtWord(plainLine(value), max)}"`;
}

/** A paragraph line that would otherwise be read as a heading, a list item or a section marker, escaped. */
function escapeLine(text: string): string {
  return /^(?:#|[-*+•]\s|\d+[.)]\s|\\)/.test(text) || isReservedHeading(text) ? `\\${text}` : text;
}
