import { getDomain } from 'tldts';

/** A `##` section of an article body: its heading and its paragraphs, in order. */
export interface Section {
  heading: string;
  paragraphs: string[];
}

/** One validated article, as a moderator wrote it in `data/articles/<slug>.md`. */
export interface Article {
  /** File name without `.md`, lowercased: unique across the content directory. */
  slug: string;
  /** Path of the file it was read from, for messages. */
  file: string;
  /** `data`: a moderator's file in DATA_DIR; `imported`: added from Discord or `npm run import` (STATE_DIR/articles). */
  origin: 'data' | 'imported';
  title: string;
  /** The article's own link, when it has one. */
  url: string | null;
  /** Publication date as written (ISO `YYYY-MM-DD`), when known. */
  published: string | null;
  /** Who wrote it, when the article says. */
  author: string | null;
  /** Caption of the article's picture, when it has one. */
  caption: string | null;
  /** Source links, front matter first, then a trailing `## Sources` list, without repeats. */
  sources: string[];
  /** The paragraph(s) before the first heading. */
  lead: string[];
  /** Bullets of the `## Key Insights` section. */
  insights: string[];
  /** Every other section, in order. */
  sections: Section[];
}

/**
 * An article as the engine serves it: everything but its sections, whose text lives on in its
 * passages (keeping both would hold every article's text twice).
 */
export type ArticleInfo = Omit<Article, 'sections'>;

/** Something wrong with a content file, located for the moderator who has to fix it. */
export interface Problem {
  file: string;
  /** 1-based line, or 0 when the problem is with the file (or directory) as a whole. */
  line: number;
  message: string;
}

/**
 * The site a link is on, as a source is named: its host without `www.` (the link itself if it is
 * not a URL).
 *
 * @example
 * hostOf('https://www.reuters.com/world/x') // => 'reuters.com'
 */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}

/**
 * The site a link belongs to: its registrable domain by the Public Suffix List, private suffixes
 * included (`bbc.co.uk` for `news.bbc.co.uk`, `alice.github.io` apart from `bob.github.io`); an
 * IP address or a bare host name stands for itself. `null` when `url` is not a URL.
 *
 * @example
 * siteOf('https://news.bbc.co.uk/a') // => 'bbc.co.uk'
 * siteOf('http://127.0.0.1:8080/a') // => '127.0.0.1'
 */
export function siteOf(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return null;
  }
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

/** Problems in file and line order (a whole file's first), as an editor lists them; the order found is kept within a line. */
export function byFileAndLine(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}

/** `file:line: problem` (or `file: problem` for a whole file), the form editors and terminals link to. */
export function formatProblem(problem: Problem): string {
  return problem.line > 0
    ? `${problem.file}:${problem.line}: ${problem.message}`
    : `${problem.file}: ${problem.message}`;
}
