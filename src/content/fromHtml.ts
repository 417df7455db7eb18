import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { siteOf } from './article.js';
import { draftLength, type ArticleDraft, type DraftBlock } from './draft.js';
import { formatCount } from './limits.js';

/**
 * When a page holds no article, measured on what Readability extracts: `minChars` is Readability's
 * own default `charThreshold` (500), under which it deems a candidate no article; `maxLinkDensity`
 * is the share of text inside links above which the extract is a list of links (a home page, an
 * index), the cut Readability uses for its own link-density checks.
 */
export const NO_ARTICLE = { minChars: 500, maxLinkDensity: 0.5 } as const;

/**
 * How much of a page is read: real news pages have at most about 2,100 elements nested at most 30
 * deep (the 16 pages of the test data). Readability's time grows with the square of the nesting
 * (2.8 s at 800 levels), so elements nested deeper than `depth` are unwrapped into the one above,
 * their text kept; a page of more than `elements` is refused (300,000 took Readability 8 s and
 * 650 MB), with the reason.
 */
export const PAGE_LIMITS = { elements: 30_000, depth: 48 } as const;

/** A page too large to read, with the reason for the moderator. */
export class PageTooLarge extends Error {
  override readonly name = 'PageTooLarge';
}

/** The few DOM members this file reads; linkedom's nodes have them (as browsers' do). */
interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  parentNode: DomNode | null;
  getAttribute?(name: string): string | null;
  insertBefore(node: DomNode, before: DomNode): void;
  removeChild(node: DomNode): void;
}
interface DomDocument {
  documentElement: DomNode | null;
  body: DomNode;
  querySelector(selector: string): DomNode | null;
  querySelectorAll(selector: string): ArrayLike<DomNode>;
}

/** linkedom's HTML parser, typed with the members this file reads (its own types need the DOM library). */
const parse = (html: string): DomDocument =>
  (parseHTML as unknown as (html: string) => { document: DomDocument })(html).document;

/** The page as a document with a body: text with no tags at all is read as the body of one. */
function parseDocument(html: string): DomDocument {
  const document = parse(html);
  return document.documentElement ? document : parse(`<!doctype html><html><body>${html}</body></html>`);
}

/**
 * Holds a document to {@link PAGE_LIMITS}: counts its elements, refusing too many, and unwraps those
 * nested too deep (their text kept, run together; scripts, styles and the like dropped). One pass,
 * each node visited once.
 *
 * @throws {PageTooLarge} when it has more elements than the limit.
 */
function tame(document: DomDocument): void {
  const root = document.documentElement;
  if (!root) return;
  const stack: Array<{ node: DomNode; depth: number }> = [{ node: root, depth: 1 }];
  let elements = 0;
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { node, depth } = next;
    if (++elements > PAGE_LIMITS.elements)
      throw new PageTooLarge(
        `the page has more than ${formatCount(PAGE_LIMITS.elements)} elements, far more than any article`,
      );
    const children = Array.from(node.childNodes).filter((child) => child.nodeType === ELEMENT);
    const parent = node.parentNode;
    if (depth > PAGE_LIMITS.depth && parent) {
      // What holds no article text goes whole: unwrapped, a script's code would read as text.
      if (SKIPPED.has(node.nodeName.toUpperCase())) {
        parent.removeChild(node);
        continue;
      }
      for (const child of Array.from(node.childNodes)) parent.insertBefore(child, node);
      parent.removeChild(node);
      for (const child of children) stack.push({ node: child, depth });
    } else for (const child of children) stack.push({ node: child, depth: depth + 1 });
  }
}

const ELEMENT = 1;
const TEXT = 3;

/** Elements whose text runs on inside a paragraph. */
const INLINE = new Set(
  'A ABBR B BDI BDO BR CITE CODE DATA DEL DFN EM FONT I INS KBD LABEL MARK Q S SAMP SMALL SPAN STRONG SUB SUP TIME U VAR WBR'.split(
    ' ',
  ),
);
/** Elements that hold no article text. */
const SKIPPED = new Set(
  'SCRIPT STYLE NOSCRIPT TEMPLATE IFRAME SVG CANVAS IMG PICTURE SOURCE VIDEO AUDIO OBJECT EMBED BUTTON FORM INPUT SELECT TEXTAREA HR NAV ASIDE'.split(
    ' ',
  ),
);
const HEADING = /^H[1-6]$/;

/**
 * The article of a web page as a draft, with Mozilla's Readability (the engine of Firefox Reader
 * View) over linkedom's DOM: its title; `published` and `author` from the page's JSON-LD, its
 * `article:published_time`, a `<time datetime>` or Readability's byline; `url` and `sources` the
 * page's canonical link (resolved against `pageUrl`, where it was fetched from) when it is on the
 * same site (see `siteOf`), else `pageUrl` itself (`null` for a file); the picture's
 * caption; paragraphs as paragraphs, sub-headings as sections, lists as lists; no markup. `null` when
 * the page holds no article (see {@link NO_ARTICLE}): a home page, a login wall, an empty body.
 * A page beyond {@link PAGE_LIMITS} is read only as deep as they allow, or refused.
 *
 * @example
 * htmlToDraft(await (await fetch(url)).text(), url)?.title
 * @throws {PageTooLarge} when the page has more elements than {@link PAGE_LIMITS} allows.
 */
export function htmlToDraft(html: string, pageUrl: string | null): ArticleDraft | null {
  const page = parseDocument(html);
  tame(page);
  // Read before Readability, which rewrites the document as it goes.
  const meta = pageMetadata(page, pageUrl);
  // Readability's types name the DOM's Document, which this Node project's types leave untyped.
  const article = new Readability(page, {
    charThreshold: NO_ARTICLE.minChars,
  }).parse();
  if (!article?.content) return null;
  const content = parseDocument(`<!doctype html><html><body>${article.content}</body></html>`);
  const body = content.body;
  const text = collapse(body.textContent ?? '');
  const linked = Array.from(content.querySelectorAll('a')).reduce(
    (sum, link) => sum + collapse(link.textContent ?? '').length,
    0,
  );
  if (text.length === 0 || linked / text.length > NO_ARTICLE.maxLinkDensity) return null;

  const title = collapse(article.title ?? '') || meta.headline || '';
  const { lead, sections, caption } = readBlocks(body, title);
  const draft: ArticleDraft = {
    title,
    url: meta.url,
    published: meta.published ?? isoDate(article.publishedTime ?? null),
    author: meta.author ?? cleanByline(article.byline ?? null),
    caption,
    sources: meta.url ? [meta.url] : [],
    lead,
    sections,
  };
  return draftLength(draft) < NO_ARTICLE.minChars ? null : draft;
}

/** What the page says of itself outside its text: canonical link, date, author, headline. */
function pageMetadata(
  page: DomDocument,
  pageUrl: string | null,
): { url: string | null; published: string | null; author: string | null; headline: string | null } {
  const attribute = (selector: string, name: string): string | null =>
    page.querySelector(selector)?.getAttribute?.(name)?.trim() || null;
  const ld = jsonLdArticle(page);
  // A page speaks only for its own site: a canonical link elsewhere would put its text under another
  // site's story (and replace that story's import), so it is not believed.
  const ownSite = (url: string | null): string | null =>
    url !== null && pageUrl !== null && siteOf(url) === siteOf(pageUrl) ? url : null;
  const url =
    ownSite(absoluteUrl(attribute('link[rel="canonical"]', 'href'), pageUrl)) ??
    ownSite(absoluteUrl(attribute('meta[property="og:url"]', 'content'), pageUrl)) ??
    (pageUrl !== null && /^https?:/.test(pageUrl) ? pageUrl : null);
  const published =
    isoDate(ld.datePublished) ??
    isoDate(attribute('meta[property="article:published_time"]', 'content')) ??
    isoDate(attribute('meta[name="article:published_time"]', 'content')) ??
    isoDate(attribute('meta[itemprop="datePublished"]', 'content')) ??
    isoDate(attribute('time[itemprop="datePublished"]', 'datetime')) ??
    isoDate(attribute('time[datetime]', 'datetime'));
  const author = cleanByline(ld.author) ?? cleanByline(attribute('meta[name="author"]', 'content'));
  return { url, published, author, headline: collapse(ld.headline ?? '') || null };
}

/** The page's JSON-LD description of itself as an article (`NewsArticle`, `BlogPosting`, …), when it has one. */
function jsonLdArticle(page: DomDocument): {
  datePublished: string | null;
  author: string | null;
  headline: string | null;
} {
  const items: Array<Record<string, unknown>> = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null) {
      const item = value as Record<string, unknown>;
      items.push(item);
      if (item['@graph'] !== undefined) collect(item['@graph']);
    }
  };
  for (const script of Array.from(page.querySelectorAll('script[type="application/ld+json"]'))) {
    try {
      collect(JSON.parse(script.textContent ?? ''));
    } catch {
      // A page's broken JSON-LD is no reason to refuse its article.
    }
  }
  const types = (item: Record<string, unknown>): string[] =>
    ([] as unknown[]).concat(item['@type'] ?? []).filter((t): t is string => typeof t === 'string');
  const article =
    items.find((item) => types(item).some((t) => /Article|Posting|Report|Review/i.test(t)) && item.datePublished) ??
    items.find((item) => types(item).some((t) => /Article|Posting|Report|Review/i.test(t)));
  if (!article) return { datePublished: null, author: null, headline: null };
  const names = ([] as unknown[])
    .concat(article.author ?? [])
    .map((a) =>
      typeof a === 'string' ? a : typeof a === 'object' && a !== null ? (a as { name?: unknown }).name : null,
    )
    .filter((name): name is string => typeof name === 'string' && name.trim() !== '');
  return {
    datePublished: typeof article.datePublished === 'string' ? article.datePublished : null,
    author: names.length > 0 ? names.join(', ') : null,
    headline: typeof article.headline === 'string' ? article.headline : null,
  };
}

/** The article's blocks: the lead (before the first heading), the sections, and the first picture caption. */
function readBlocks(
  body: DomNode,
  title: string,
): { lead: DraftBlock[]; sections: ArticleDraft['sections']; caption: string | null } {
  const lead: DraftBlock[] = [];
  const sections: ArticleDraft['sections'] = [];
  let caption: string | null = null;
  let target = lead;
  let run: string[] = [];
  // A lone word is a page's furniture ("Photo", "Advertisement"), not a paragraph of the article.
  const paragraph = (text: string): void => {
    const flat = collapse(text);
    if (/[\p{L}\p{N}]/u.test(flat) && flat.includes(' ')) target.push({ kind: 'paragraph', text: flat });
  };
  const flush = (): void => {
    if (run.length > 0) paragraph(run.join(''));
    run = [];
  };
  const visit = (node: DomNode): void => {
    if (node.nodeType === TEXT) {
      run.push(node.textContent ?? '');
      return;
    }
    if (node.nodeType !== ELEMENT) return;
    const name = node.nodeName.toUpperCase();
    if (INLINE.has(name)) {
      run.push(inlineText(node));
      return;
    }
    flush();
    if (SKIPPED.has(name)) return;
    if (name === 'FIGCAPTION') {
      caption ??= collapse(node.textContent ?? '') || null;
    } else if (HEADING.test(name)) {
      const heading = collapse(node.textContent ?? '');
      if (heading !== '' && heading.toLowerCase() !== title.toLowerCase()) {
        target = [];
        sections.push({ heading, blocks: target });
      }
    } else if (name === 'P' || name === 'PRE' || name === 'DT' || name === 'DD') {
      paragraph(inlineText(node));
    } else if (name === 'UL' || name === 'OL') {
      const items = Array.from(node.childNodes)
        .filter((child) => child.nodeName.toUpperCase() === 'LI')
        .map((item) => collapse(inlineText(item)))
        .filter((item) => /[\p{L}\p{N}]/u.test(item));
      if (items.length > 0) target.push({ kind: 'list', items });
    } else if (name === 'TR') {
      paragraph(
        Array.from(node.childNodes)
          .map((cell) => collapse(inlineText(cell)))
          .filter(Boolean)
          .join(' · '),
      );
    } else {
      for (const child of Array.from(node.childNodes)) visit(child);
      flush();
    }
  };
  for (const child of Array.from(body.childNodes)) visit(child);
  flush();
  return { lead, sections, caption };
}

/** An element's text with line breaks as spaces and scripts, styles and pictures left out. */
function inlineText(node: DomNode): string {
  if (node.nodeType === TEXT) return node.textContent ?? '';
  if (node.nodeType !== ELEMENT) return '';
  const name = node.nodeName.toUpperCase();
  if (name === 'BR') return ' ';
  if (SKIPPED.has(name) || name === 'FIGCAPTION') return '';
  const inner = Array.from(node.childNodes).map(inlineText).join('');
  return INLINE.has(name) ? inner : ` ${inner} `;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** An http(s) link resolved against the page's own address, without its fragment; none with a user name or password. */
function absoluteUrl(href: string | null, base: string | null): string | null {
  if (href === null) return null;
  try {
    const url = new URL(href, base ?? undefined);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username !== '' || url.password !== '') return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}

/** A date as the article format writes it (YYYY-MM-DD), from an ISO timestamp or a date a browser can read. */
export function isoDate(text: string | null): string | null {
  if (text === null) return null;
  const iso = /^\s*(\d{4})-(\d{2})-(\d{2})/.exec(text);
  const date = iso ? new Date(`${iso[1]}-${iso[2]}-${iso[3]}T00:00:00Z`) : new Date(text);
  if (Number.isNaN(date.getTime())) return null;
  const value = iso ? `${iso[1]}-${iso[2]}-${iso[3]}` : date.toISOString().slice(0, 10);
  return date.toISOString().startsWith(value) && value >= '1900' ? value : null;
}

const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
/** A date (and anything after it) at the end of a byline: "March 11, 2015 3:46 PM", "11 March 2015". */
const TRAILING_DATE = new RegExp(
  `\\s*(?:[|,·•-]\\s*)?(?:(?:updated|published|posted)\\s*:?\\s*)?(?:${MONTH}\\s+\\d{1,2},?\\s+\\d{4}|\\d{1,2}\\s+${MONTH}\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2}).*$`,
  'i',
);

/** Who wrote it, from a byline: "By Jane Doe" → "Jane Doe"; a byline that is only a date or a paragraph is none. */
function cleanByline(text: string | null): string | null {
  if (text === null) return null;
  const name = collapse(text)
    .replace(TRAILING_DATE, '')
    .replace(/^by\s+/i, '')
    .trim();
  return /\p{L}/u.test(name) && name.length <= 120 ? name : null;
}
