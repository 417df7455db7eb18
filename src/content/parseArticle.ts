import type { Article, Problem, Section } from './article.js';
import { parseFrontMatter } from './frontMatter.js';
import { ARTICLE_LIMITS, formatCount as count } from './limits.js';
import { visibleText } from './normalize.js';

const KEY_INSIGHTS = /^key insights?$/i;
const SOURCES = /^sources?:?$/i;
// `s`: the item runs to the end of the line whatever it holds (without it a line separator inside
// made every white space before it a place to try again).
const LIST_ITEM = /^\s*(?:[-*+•]|\d+[.)])\s+(.*)$/s;

/** A block of the body: a paragraph, a list item or a heading, with its first line number. */
interface Block {
  kind: 'paragraph' | 'item' | 'heading';
  text: string;
  line: number;
  level: number;
  /** Its first line was escaped with a backslash (`\# not a heading`): plain text, whatever it looks like. */
  literal?: boolean;
}

/**
 * A heading line's level and text, or `null` for a line that is no heading: one to six `#`, then
 * the text. A closing run of `#` is dropped only after white space, as CommonMark reads it, so "C#"
 * keeps its `#` and "Key Insights #" is the heading "Key Insights".
 *
 * @example
 * readHeading('## Key Insights ##') // => { level: 2, text: 'Key Insights' }
 * readHeading('## C#') // => { level: 2, text: 'C#' }
 */
export function readHeading(line: string): { level: number; text: string } | null {
  const level = /^#{1,6}/.exec(line)?.[0].length ?? 0;
  if (level === 0) return null;
  const text = line.slice(level).trim();
  const closing = /(?:^|\s)#+$/.exec(text);
  return { level, text: closing ? text.slice(0, closing.index).trim() : text };
}

/**
 * Whether a heading (or a paragraph on its own) names a section the format gives a meaning to:
 * "Key Insights" or "Sources".
 */
export function isReservedHeading(text: string): boolean {
  return KEY_INSIGHTS.test(text) || SOURCES.test(text);
}

/**
 * Parses and validates one article file. Returns the article when the file is usable, and every
 * problem found (a file with problems yields no article, so a half-read article never serves).
 *
 * @example
 * parseArticle('data/articles/x.md', '---\ntitle: X\n---\n\nLead.\n', 'x').article?.lead // => ['Lead.']
 */
export function parseArticle(
  file: string,
  source: string,
  slug: string,
  origin: Article['origin'] = 'data',
): { article: Article | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const report = (line: number, message: string): void => {
    problems.push({ file, line, message });
  };
  if (source.includes('\u0000')) {
    report(1, 'not a text file (it holds NUL bytes)');
    return { article: null, problems };
  }

  // Read as it is seen: no invisible or control characters (see visibleText).
  const lines = visibleText(source).split(/\r\n|\r|\n/);
  const { frontMatter, errors } = parseFrontMatter(lines);
  for (const error of errors) report(error.line, error.message);
  const value = (key: 'title' | 'author' | 'caption'): string => oneLine(frontMatter.values[key]?.value ?? '');
  const tooLong = (key: 'title' | 'author' | 'caption', max: number): void => {
    const length = value(key).length;
    if (length > max)
      report(
        frontMatter.values[key]?.line ?? 1,
        `${key} is too long (${count(length)} characters; at most ${count(max)}): shorten it`,
      );
  };

  const title = value('title');
  tooLong('title', ARTICLE_LIMITS.titleChars);
  tooLong('caption', ARTICLE_LIMITS.captionChars);
  tooLong('author', ARTICLE_LIMITS.authorChars);
  if (title === '' && errors.length === 0)
    report(frontMatter.values.title?.line ?? 1, 'missing title: add "title: …" to the front matter');
  const url = frontMatter.values.url;
  if (url && !isHttpUrl(url.value)) report(url.line, `url is not an http(s) URL: "${url.value.slice(0, 100)}"`);
  const published = frontMatter.values.published;
  if (published && !isIsoDate(published.value))
    report(published.line, `published is not a date in the form YYYY-MM-DD: "${published.value}"`);

  const sources: string[] = [];
  let tooManySources = false;
  const addSource = (value: string, line: number): void => {
    if (!isHttpUrl(value)) report(line, `source is not an http(s) URL: "${value.slice(0, 100)}"`);
    else if (sources.includes(value)) return;
    else if (sources.length < ARTICLE_LIMITS.sources) sources.push(value);
    else if (!tooManySources) {
      tooManySources = true;
      report(line, `more than ${ARTICLE_LIMITS.sources} sources: keep the main ones`);
    }
  };
  for (const source of frontMatter.sources) addSource(source.value, source.line);

  const lead: string[] = [];
  const insights: string[] = [];
  const sections: Section[] = [];
  let current: 'lead' | 'insights' | 'sources' | Section = 'lead';
  const blocks = errors.length === 0 ? readBlocks(lines, frontMatter.bodyStart) : [];
  const extra = blocks[ARTICLE_LIMITS.blocks];
  if (extra)
    report(
      extra.line,
      `more than ${count(ARTICLE_LIMITS.blocks)} paragraphs, list items and headings: split the article in two`,
    );
  for (const block of blocks.slice(0, ARTICLE_LIMITS.blocks)) {
    if (block.kind === 'heading') {
      if (block.level === 1)
        report(block.line, 'a "# " heading in the body: put the title in the front matter and use "## " for sections');
      else if (block.text === '') report(block.line, 'empty heading');
      else if (block.text.length > ARTICLE_LIMITS.headingChars)
        report(
          block.line,
          `heading is too long (${count(block.text.length)} characters; at most ${count(ARTICLE_LIMITS.headingChars)}): shorten it, or make it a paragraph`,
        );
      else if (KEY_INSIGHTS.test(block.text)) current = 'insights';
      else if (SOURCES.test(block.text)) current = 'sources';
      else {
        current = { heading: block.text, paragraphs: [] };
        sections.push(current);
      }
      continue;
    }
    if (block.kind === 'paragraph' && !block.literal && SOURCES.test(block.text) && current !== 'insights') {
      current = 'sources';
      continue;
    }
    if (current === 'sources') {
      const link = block.kind === 'item' ? extractUrl(block.text) : null;
      if (link === null) report(block.line, 'the Sources section takes only a list of links ("- https://…")');
      else addSource(link, block.line);
    } else if (current === 'insights') {
      if (block.kind === 'item') insights.push(block.text);
      else report(block.line, 'Key Insights takes only a bullet list ("- insight"), not paragraphs');
    } else if (current === 'lead') {
      lead.push(block.text);
    } else {
      current.paragraphs.push(block.text);
    }
  }

  const hasText = lead.length + insights.length + sections.reduce((n, s) => n + s.paragraphs.length, 0) > 0;
  if (errors.length === 0 && !hasText)
    report(frontMatter.bodyStart, 'empty body: add a lead paragraph after the front matter');
  for (const section of sections) {
    if (section.paragraphs.length === 0)
      report(lineOfHeading(blocks, section.heading), `section "${section.heading}" has no text`);
  }

  if (problems.length > 0) return { article: null, problems };
  return {
    article: {
      slug,
      file,
      origin,
      title,
      url: url?.value ?? null,
      published: published?.value ?? null,
      author: value('author') || null,
      caption: value('caption') || null,
      sources,
      lead,
      insights,
      sections,
    },
    problems,
  };
}

/** Groups body lines into paragraphs (consecutive text lines), list items and headings. */
function readBlocks(lines: readonly string[], bodyStart: number): Block[] {
  const blocks: Block[] = [];
  let open: Block | null = null;
  for (let i = bodyStart - 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const lineNo = i + 1;
    if (line.trim() === '') {
      open = null;
      continue;
    }
    // A backslash first escapes the line: "\# 1 in sales" is text, not a heading.
    const escaped = /^\s*\\(?=\S)/.exec(line);
    if (escaped) {
      const text = line.slice(escaped[0].length).trim();
      if (open) open.text += ` ${text}`;
      else {
        open = { kind: 'paragraph', text, line: lineNo, level: 0, literal: true };
        blocks.push(open);
      }
      continue;
    }
    const heading = readHeading(line);
    const item = LIST_ITEM.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', text: heading.text, line: lineNo, level: heading.level });
      open = null;
    } else if (item) {
      open = { kind: 'item', text: (item[1] ?? '').trim(), line: lineNo, level: 0 };
      blocks.push(open);
    } else if (open) {
      open.text += ` ${line.trim()}`;
    } else {
      open = { kind: 'paragraph', text: line.trim(), line: lineNo, level: 0 };
      blocks.push(open);
    }
  }
  return blocks;
}

function lineOfHeading(blocks: readonly Block[], heading: string): number {
  return blocks.find((block) => block.kind === 'heading' && block.text === heading)?.line ?? 1;
}

/** The URL of a list item holding a bare link, `<link>` or `[label](link)`. */
function extractUrl(text: string): string | null {
  const markdown = /\((https?:\/\/[^)\s]+)\)/.exec(text);
  const bare = /(?:^|\s|<)(https?:\/\/[^\s>]+)/.exec(text);
  return markdown?.[1] ?? bare?.[1] ?? null;
}

/** An absolute http(s) URL with a host and no user name or password (a link that shows one host and goes to another). */
function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** A front matter value on one line, its characters in Unicode's composed form (NFC). */
function oneLine(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
