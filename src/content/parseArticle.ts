import type { Article, Problem, Section } from './article.js';
import { parseFrontMatter } from './frontMatter.js';

const KEY_INSIGHTS = /^key insights?$/i;
const SOURCES = /^sources?:?$/i;
const LIST_ITEM = /^\s*(?:[-*+•]|\d+[.)])\s+(.*)$/;
const HEADING = /^(#{1,6})\s*(.*?)\s*#*\s*$/;

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

  const lines = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const { frontMatter, errors } = parseFrontMatter(lines);
  for (const error of errors) report(error.line, error.message);

  const title = frontMatter.values.title?.value ?? '';
  if (title === '' && errors.length === 0)
    report(frontMatter.values.title?.line ?? 1, 'missing title: add "title: …" to the front matter');
  const url = frontMatter.values.url;
  if (url && !isHttpUrl(url.value)) report(url.line, `url is not an http(s) URL: "${url.value}"`);
  const published = frontMatter.values.published;
  if (published && !isIsoDate(published.value))
    report(published.line, `published is not a date in the form YYYY-MM-DD: "${published.value}"`);

  const sources: string[] = [];
  const addSource = (value: string, line: number): void => {
    if (!isHttpUrl(value)) report(line, `source is not an http(s) URL: "${value.slice(0, 100)}"`);
    else if (!sources.includes(value)) sources.push(value);
  };
  for (const source of frontMatter.sources) addSource(source.value, source.line);

  const lead: string[] = [];
  const insights: string[] = [];
  const sections: Section[] = [];
  let current: 'lead' | 'insights' | 'sources' | Section = 'lead';
  const blocks = errors.length === 0 ? readBlocks(lines, frontMatter.bodyStart) : [];
  for (const block of blocks) {
    if (block.kind === 'heading') {
      if (block.level === 1)
        report(block.line, 'a "# " heading in the body: put the title in the front matter and use "## " for sections');
      else if (block.text === '') report(block.line, 'empty heading');
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
      author: frontMatter.values.author?.value || null,
      caption: frontMatter.values.caption?.value || null,
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
    const heading = HEADING.exec(line);
    const item = LIST_ITEM.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', text: (heading[2] ?? '').trim(), line: lineNo, level: heading[1]?.length ?? 1 });
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

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
