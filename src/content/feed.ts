import { createHash } from 'node:crypto';
import {
  DetectError,
  MalformedError,
  ParseError,
  parseFeed,
  parseJsonFeed,
  type AtomFeed,
  type JsonFeed,
  type RdfFeed,
  type RssFeed,
  type XmlNs,
} from 'feedsmith';
import { cutAtWord } from './limits.js';
import { normalizeText } from './normalize.js';

/** One item of a feed, normalised across RSS 0.9x/1.0/2.0, Atom and JSON Feed. */
export interface FeedItem {
  /**
   * guid, else Atom id, else JSON Feed id, else the normalised link; an id repeated within the feed
   * gets `|link` appended (and, when that still repeats, `|hash:…` of title and content). Items with
   * none of these get 'hash:' + the first 32 hex digits of sha256(title + '\n' + content, else summary).
   */
  id: string;
  /**
   * The story's link: RSS `<link>` (or the guid when it is a permalink and there is no link), Atom
   * `<link rel="alternate">` or a link with no rel (never rel=replies/edit/self…), JSON Feed `url`;
   * resolved against `xml:base` and the feed's URL; only absolute http(s) URLs, else null.
   */
  link: string | null;
  /** Plain text title (HTML tags stripped, entities decoded, whitespace collapsed), '' when none. */
  title: string;
  /** Plain text summary: RSS description / Atom summary / JSON summary (or content_text), tags stripped, at most {@link FEED_LIMITS}.summaryChars. */
  summary: string;
  /** The item's own full content as HTML: content:encoded, Atom content, JSON Feed content_html (or content_text escaped); null when none. */
  content: string | null;
  /** Publication (else update) date in ms since epoch, null when absent or unparseable. */
  published: number | null;
}

/** A feed document read into its title, its site and its items. */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  /** Plain-text title, '' when none. */
  title: string;
  /** The site's own link (RSS channel link, Atom link rel=alternate, JSON home_page_url), absolute http(s) or null. */
  siteUrl: string | null;
  /** RSS `<ttl>` in minutes, null when absent/invalid. */
  ttlMinutes: number | null;
  /** Items in document order (feeds usually list newest first). */
  items: FeedItem[];
}

/** A document refused as a feed: the message is one line saying why. */
export class FeedProblem extends Error {
  override readonly name = 'FeedProblem';
}

/**
 * How much of a feed is read. The sizes seen, for scale, across the 30 real feeds of the test data
 * (/work/shared/feeds, 1,115 items): the most items in one feed are 730 (a podcast's whole back
 * catalogue), the longest title has 282 characters (Reddit), and summaries as plain text have a
 * median of 222 characters, 261 at the 90th percentile, while 38 run past 1,000: whole articles
 * put in the description (7,662 at most).
 */
export const FEED_LIMITS = {
  /** Items read from one document: the 730-item podcast feed fits whole, a runaway archive is cut. */
  maxItems: 1000,
  /** Characters of an item's summary: four times a typical teaser; the full text is the item's `content`. */
  summaryChars: 1000,
  /** Characters of a title: an item's title becomes its article's (ARTICLE_LIMITS.titleChars, 300); Reddit's longest fit. */
  titleChars: 300,
  /**
   * Characters of an item's id as stored: longer ones (a guid of any length, built to break the
   * database's key) are kept as `sha256:` and their hash. Real guids and links are well under it.
   */
  idChars: 256,
} as const;

/** The most characters of a {@link FeedProblem}'s message. */
const PROBLEM_CHARS = 200;

/**
 * Parses `text` (already decoded to a string) fetched from `url`: RSS 0.9x/2.0, RDF (RSS 1.0), Atom
 * or JSON Feed.
 *
 * @throws {FeedProblem} when it is not a feed (an HTML page, JSON that is no JSON Feed), when it is
 * malformed XML or JSON (with the parser's reason), and when its DOCTYPE declares an entity: billion
 * laughs and external entities are refused before any parsing.
 */
export function parseFeedText(text: string, url: string): ParsedFeed {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('{')) return fromJson(body, url);
  if (declaresEntities(body))
    throw new FeedProblem('the feed declares XML entities (refused: entity expansion and external entities)');
  const html = htmlPage(body);
  if (html !== null) throw new FeedProblem(problem('not a feed', html));
  try {
    const parsed = parseFeed(body, { maxItems: FEED_LIMITS.maxItems });
    switch (parsed.format) {
      case 'rss':
      case 'rdf':
        return fromRss(parsed.format, parsed.feed, url);
      case 'atom':
        return fromAtom(parsed.feed, url);
      case 'json':
        return fromJsonFeed(parsed.feed, url);
    }
  } catch (error) {
    throw asProblem(error, body);
  }
}

/**
 * The charset an XML document declares in its `<?xml … encoding="…"?>` (within its first 1,024
 * bytes), lower-cased as declared, or null. Whether `TextDecoder` knows it is the caller's to check.
 *
 * @example
 * xmlDeclaredCharset(new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?><rss/>')) // => 'iso-8859-1'
 */
export function xmlDeclaredCharset(bytes: Uint8Array): string | null {
  // The declaration is ASCII in every charset that can declare one; latin1 reads any byte.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const match = /^(?:\xEF\xBB\xBF)?\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/.exec(head);
  return match?.[1]?.toLowerCase() ?? null;
}

/** Media types a feed comes as; text/html is not one. */
export const FEED_MEDIA_TYPES: readonly string[] = [
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
  'application/json',
  'application/xml',
  'text/xml',
];

/** The `type`s of a page's `<link rel="alternate">` that name a feed. */
const FEED_LINK_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
  'application/json',
]);

/**
 * The feeds an HTML page declares: its `<link rel="alternate">` elements with an RSS, Atom, RDF or
 * JSON Feed type, resolved against its `<base href>` (itself resolved against `pageUrl`) else
 * `pageUrl`; only http(s), none under `/wp-json/` (WordPress's API, not a feed), each once, in
 * document order. A scan of the `<link>` and `<base>` tags, not a parse: its cost grows linearly with
 * the page, whatever the page holds.
 *
 * @example
 * feedLinksInPage('<link type="application/rss+xml" rel="alternate" href="/feed">', 'https://news.test/a') // => ['https://news.test/feed']
 */
export function feedLinksInPage(html: string, pageUrl: string): string[] {
  const hrefs: string[] = [];
  let base: string | null = null;
  const start = /<(link|base)(?=[\s/>])/gi;
  for (let match = start.exec(html); match; match = start.exec(html)) {
    const tag = readAttributes(html, start.lastIndex);
    // A tag left open (or a quote never closed) runs to the end of the page: no tag follows it.
    if (!tag) break;
    start.lastIndex = tag.end;
    const href = tag.attributes.get('href');
    if (href === undefined) continue;
    if (match[1]?.toLowerCase() === 'base') base ??= href;
    else if (isFeedLink(tag.attributes)) hrefs.push(href);
  }
  const resolvedBase = base === null ? pageUrl : (httpUrl(base, pageUrl) ?? pageUrl);
  const links = hrefs.map((href) => httpUrl(href, resolvedBase));
  return [...new Set(links.filter((link): link is string => link !== null && !link.includes('/wp-json/')))];
}

/**
 * The usual addresses of a site's feed, to try when a page declares none: at the site's root, in
 * this order. None when `pageUrl` is not an http(s) URL.
 *
 * @example
 * usualFeedUrls('https://news.test/world/story') // => ['https://news.test/feed', 'https://news.test/rss', …]
 */
export function usualFeedUrls(pageUrl: string): string[] {
  const paths = ['/feed', '/rss', '/rss.xml', '/atom.xml', '/feed.xml', '/index.xml'];
  if (httpUrl(pageUrl, undefined) === null) return [];
  return paths.map((path) => new URL(path, pageUrl).href);
}

/**
 * Whether an item is about any of `keywords` (lower-cased plain words or phrases): each matched
 * case-insensitively as whole words (words of Unicode letters and digits, so 'war' is not in 'warm'
 * nor 'café' in 'cafés'), in the title or the summary. Curly and straight quotes compare equal. No
 * keywords (or only blank ones) match every item.
 *
 * @example
 * matchesKeywords({ ...item, title: 'A warm winter' }, ['war']) // => false
 */
export function matchesKeywords(item: FeedItem, keywords: readonly string[]): boolean {
  const words = keywords.map((keyword) => normalizeText(keyword).trim()).filter((keyword) => keyword !== '');
  if (words.length === 0) return true;
  const text = normalizeText(`${item.title}\n${item.summary}`);
  return words.some((word) => {
    const phrase = word.split(/\s+/).map(escapeRegExp).join('\\s+');
    return new RegExp(`(?<![\\p{L}\\p{M}\\p{N}_])${phrase}(?![\\p{L}\\p{M}\\p{N}_])`, 'iu').test(text);
  });
}

// Reading each format.

/** An item as read, before its id is made unique within the feed. */
type Draft = Omit<FeedItem, 'id'> & { id: string | null };

function fromRss(format: 'rss' | 'rdf', feed: RssFeed.Feed<string> | RdfFeed.Feed<string>, url: string): ParsedFeed {
  const base = baseUrl(feed.xml, url);
  const ttl = 'ttl' in feed ? feed.ttl : undefined;
  return {
    format,
    title: title(htmlText(feed.title)),
    siteUrl: httpUrl(feed.link, base),
    ttlMinutes: ttl !== undefined && Number.isInteger(ttl) && ttl > 0 ? ttl : null,
    items: withIds((feed.items ?? []).map((item: RssFeed.Item<string>) => rssItem(item, base))),
  };
}

function rssItem(item: RssFeed.Item<string>, feedBase: string | null): Draft {
  const base = baseUrl(item.xml, feedBase);
  const permalink = item.guid?.isPermaLink === false ? undefined : item.guid?.value;
  return {
    id: nonEmpty(item.guid?.value),
    link: httpUrl(item.link, base) ?? httpUrl(alternateLink(item.atom?.links), base) ?? httpUrl(permalink, base),
    title: title(htmlText(item.title ?? item.dc?.titles?.[0])),
    summary: summary(htmlText(item.description)),
    content: nonEmpty(item.content?.encoded),
    published: date(item.pubDate) ?? date(item.dc?.dates?.[0]),
  };
}

function fromAtom(feed: AtomFeed.Feed<string>, url: string): ParsedFeed {
  const base = baseUrl(feed.xml, url);
  return {
    format: 'atom',
    title: title(atomText(feed.title)),
    siteUrl: httpUrl(alternateLink(feed.links), base),
    ttlMinutes: null,
    items: withIds(
      (feed.entries ?? []).map((entry) => {
        const entryBase = baseUrl(entry.xml, base);
        return {
          id: nonEmpty(entry.id),
          link: httpUrl(alternateLink(entry.links), entryBase),
          title: title(atomText(entry.title)),
          summary: summary(atomText(entry.summary)),
          content: atomContent(entry.content),
          published: date(entry.published) ?? date(entry.updated),
        };
      }),
    ),
  };
}

/** A JSON document: a JSON Feed (its `version` says so), else refused. */
function fromJson(body: string, url: string): ParsedFeed {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new FeedProblem(problem('malformed JSON', error instanceof Error ? error.message : String(error)));
  }
  const version = typeof json === 'object' && json !== null && 'version' in json ? json.version : undefined;
  if (typeof version !== 'string' || !/^https?:\/\/jsonfeed\.org\/version\//.test(version))
    throw new FeedProblem('not a feed (JSON, but no JSON Feed "version")');
  try {
    return fromJsonFeed(parseJsonFeed(json, { maxItems: FEED_LIMITS.maxItems }), url);
  } catch (error) {
    throw asProblem(error, body);
  }
}

function fromJsonFeed(feed: JsonFeed.Feed<string>, url: string): ParsedFeed {
  return {
    format: 'json',
    title: title(plainText(feed.title)),
    siteUrl: httpUrl(feed.home_page_url, url),
    ttlMinutes: null,
    items: withIds(
      (feed.items ?? []).map((item) => ({
        id: nonEmpty(item.id),
        link: httpUrl(item.url, url),
        title: title(plainText(item.title)),
        summary: summary(plainText(item.summary ?? item.content_text)),
        content: nonEmpty(item.content_html) ?? textAsHtml(item.content_text),
        published: date(item.date_published) ?? date(item.date_modified),
      })),
    ),
  };
}

/**
 * Each item's id made unique within the feed: a repeated id gets `|link`, one that still repeats
 * `|hash:…` of its title and content. An item that repeats an earlier one in id, link, title and
 * content is the same story listed twice: only its first listing is kept.
 */
function withIds(drafts: Draft[]): FeedItem[] {
  const listed = new Set<string>();
  const stories = drafts
    .map((draft) => ({ draft, id: draft.id ?? draft.link ?? contentHash(draft), hash: contentHash(draft) }))
    .filter(({ draft, id, hash }) => {
      const story = `${id}\n${draft.link ?? ''}\n${hash}`;
      if (listed.has(story)) return false;
      listed.add(story);
      return true;
    });
  const byLink = disambiguate(
    stories.map(({ id }) => id),
    (i) => stories[i]?.draft.link ?? '',
  );
  const ids = disambiguate(byLink, (i) => stories[i]?.hash ?? '');
  // Only ids built to look like others' ("a|b" beside "a" with link "b") can still meet: the first keeps it.
  const taken = new Set<string>();
  return stories.flatMap(({ draft }, i) => {
    const whole = ids[i] ?? '';
    const id =
      whole.length <= FEED_LIMITS.idChars ? whole : `sha256:${createHash('sha256').update(whole).digest('hex')}`;
    if (taken.has(id)) return [];
    taken.add(id);
    return [{ ...draft, id }];
  });
}

/** `ids` with `|suffix(i)` appended to each that occurs more than once. */
function disambiguate(ids: string[], suffix: (i: number) => string): string[] {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return ids.map((id, i) => ((counts.get(id) ?? 0) > 1 ? `${id}|${suffix(i)}` : id));
}

/** 'hash:' and the first 32 hex digits of the SHA-256 of an item's title and content (else summary). */
function contentHash(draft: Draft): string {
  const text = `${draft.title}\n${draft.content ?? draft.summary}`;
  return `hash:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

// Refusals.

/**
 * Whether the document declares an entity: `<!ENTITY` after a `<!DOCTYPE`. Real feeds declare none,
 * so refusing them all removes entity expansion (billion laughs) and external entities whatever the
 * parser does with them.
 */
function declaresEntities(body: string): boolean {
  const doctype = body.search(/<!DOCTYPE/i);
  return doctype >= 0 && /<!ENTITY/i.test(body.slice(doctype));
}

/**
 * Why the document is an HTML page (its title, when it has one), or null when it is not one: its
 * first element, after the XML declaration and comments, is `html`, `head` or `body`, or its DOCTYPE
 * says html.
 */
function htmlPage(body: string): string | null {
  let at = 0;
  for (;;) {
    while (/\s/.test(body[at] ?? '')) at++;
    const close = body.startsWith('<?', at) ? '?>' : body.startsWith('<!--', at) ? '-->' : null;
    if (close === null) break;
    const end = body.indexOf(close, at);
    if (end < 0) return null;
    at = end + close.length;
  }
  const start = /<(?:!doctype\s+html|html|head|body)\b/iy;
  start.lastIndex = at;
  if (!start.test(body)) return null;
  const pageTitle = /<title\b[^<>]*>([^<]{0,200})/i.exec(body)?.[1];
  const shown = pageTitle === undefined ? '' : cutAtWord(plainText(decodeEntities(pageTitle)), 80);
  return shown === '' ? 'an HTML page' : `an HTML page: “${shown}”`;
}

/** A parser's error as a {@link FeedProblem}; other errors are bugs, and pass through. */
function asProblem(error: unknown, body: string): unknown {
  if (error instanceof DetectError)
    return new FeedProblem(
      problem('not a feed', body === '' ? 'the document is empty' : 'no RSS, Atom, RDF or JSON Feed document'),
    );
  if (error instanceof MalformedError) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return new FeedProblem(problem('malformed XML', cause));
  }
  // feedsmith's own message, "Invalid feed format", says less than this.
  if (error instanceof ParseError) return new FeedProblem(problem('not a feed', 'it holds no channel, title or items'));
  return error;
}

/** A refusal's message: what, with why in brackets, on one line of at most {@link PROBLEM_CHARS}. */
function problem(what: string, why: string): string {
  const reason = plainText(why);
  const room = PROBLEM_CHARS - what.length - 3;
  return `${what} (${reason.length > room ? `${reason.slice(0, room - 1)}…` : reason})`;
}

// Values.

/** `xml:base` resolved against the base around it, else that base. */
function baseUrl(xml: XmlNs.ItemOrFeed | undefined, outer: string | null): string | null {
  if (xml?.base === undefined) return outer;
  try {
    return new URL(xml.base, outer ?? undefined).href;
  } catch {
    return outer;
  }
}

/** An http(s) link resolved against `base`, or null; none with a user name or password. */
function httpUrl(href: string | undefined, base: string | null | undefined): string | null {
  const trimmed = href?.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed, base ?? undefined);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username !== '' || url.password !== '') return null;
    return url.href;
  } catch {
    return null;
  }
}

/** The href of the first Atom link to the story itself: rel="alternate", or no rel. */
function alternateLink(links: ReadonlyArray<AtomFeed.Link<string>> | undefined): string | undefined {
  return links?.find((link) => link.rel === undefined || link.rel.trim().toLowerCase() === 'alternate')?.href;
}

/** Milliseconds since the epoch of an RFC 822 or ISO 8601 date, or null. */
function date(text: string | undefined): number | null {
  if (text === undefined) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** The text, trimmed, or null when there is none. */
function nonEmpty(text: string | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
}

function title(text: string): string {
  return cutAtWord(text, FEED_LIMITS.titleChars);
}

function summary(text: string): string {
  return cutAtWord(text, FEED_LIMITS.summaryChars);
}

/** Text with its whitespace collapsed. */
function plainText(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * HTML as plain text: tags stripped, entities decoded, whitespace collapsed. A `<` with no `>`
 * before the next `<` is text, which keeps the stripping linear.
 */
function htmlText(html: string | undefined): string {
  return plainText(decodeEntities((html ?? '').replace(/<[^<>]*>/g, ' ')));
}

/** An Atom text construct as plain text: html and xhtml are markup, text (the default) is text. */
function atomText(text: AtomFeed.Text | string | undefined): string {
  if (typeof text !== 'object') return plainText(text);
  return text.type === 'html' || text.type === 'xhtml' ? htmlText(text.value) : plainText(text.value);
}

/** An Atom entry's content as HTML: markup as it is, text escaped; none when it is elsewhere (`src`) or not text. */
function atomContent(content: AtomFeed.Content | undefined): string | null {
  if (content === undefined || content.src !== undefined) return null;
  const type = content.type?.toLowerCase() ?? 'text';
  if (type === 'html' || type === 'xhtml' || type === 'text/html') return nonEmpty(content.value);
  return type === 'text' || type.startsWith('text/') ? textAsHtml(content.value) : null;
}

/** Plain text as HTML: escaped, a paragraph per blank-line-separated block. */
function textAsHtml(text: string | undefined): string | null {
  const paragraphs = (text ?? '')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
  return paragraphs.length === 0 ? null : paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** HTML's Latin-1 entities, in code point order from U+00A0: what accented European text is escaped with. */
const LATIN1_ENTITIES = (
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute ' +
  'micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig ' +
  'Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash ' +
  'Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc ' +
  'euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml ' +
  'yacute thorn yuml'
)
  .split(' ')
  .map((name, i) => [name, String.fromCodePoint(0xa0 + i)] as const);

/** The named entities decoded: XML's, HTML's Latin-1 ones and the typographic ones headlines use. */
const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ...LATIN1_ENTITIES,
  ['ndash', '\u2013'],
  ['mdash', '\u2014'],
  ['hellip', '\u2026'],
  ['lsquo', '\u2018'],
  ['rsquo', '\u2019'],
  ['sbquo', '\u201A'],
  ['ldquo', '\u201C'],
  ['rdquo', '\u201D'],
  ['bdquo', '\u201E'],
  ['bull', '\u2022'],
  ['euro', '\u20AC'],
  ['trade', '\u2122'],
]);

/** HTML entities decoded: the named ones above and every numeric one; others are left as written. */
function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([a-zA-Z][a-zA-Z\d]{1,5}));/g,
    (entity, decimal?: string, hex?: string, name?: string) => {
      if (name !== undefined) return NAMED_ENTITIES.get(name) ?? entity;
      const code = decimal !== undefined ? Number(decimal) : parseInt(hex ?? '', 16);
      const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
      return valid ? String.fromCodePoint(code) : '\uFFFD';
    },
  );
}

// The page scan.

/** The pieces of a tag, each matched where the scan stands (sticky), each able to match nothing. */
const TAG_PIECES = {
  gap: /[\s/]*/y,
  name: /[^\s/>=]*/y,
  spaces: /\s*/y,
  unquoted: /[^\s>]*/y,
};

/**
 * The attributes of the tag whose name ends at `from` (names lower-cased, values entity-decoded, the
 * first of a name kept) and where the tag ends; null when the page ends first. One pass forward, as
 * a browser reads a tag: a quoted value runs to its closing quote, wherever that is.
 */
function readAttributes(html: string, from: number): { attributes: Map<string, string>; end: number } | null {
  const attributes = new Map<string, string>();
  let at = from;
  const read = (piece: RegExp): string => {
    piece.lastIndex = at;
    const text = piece.exec(html)?.[0] ?? '';
    at += text.length;
    return text;
  };
  for (;;) {
    read(TAG_PIECES.gap);
    if (at >= html.length) return null;
    if (html[at] === '>') return { attributes, end: at + 1 };
    const name = read(TAG_PIECES.name).toLowerCase();
    read(TAG_PIECES.spaces);
    let value = '';
    if (html[at] === '=') {
      at++;
      read(TAG_PIECES.spaces);
      const quote = html[at];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, at + 1);
        if (close < 0) return null;
        value = html.slice(at + 1, close);
        at = close + 1;
      } else value = read(TAG_PIECES.unquoted);
    }
    if (!attributes.has(name)) attributes.set(name, decodeEntities(value));
  }
}

/** Whether a `<link>`'s attributes make it a page's feed: rel alternate, a feed type (parameters aside). */
function isFeedLink(attributes: Map<string, string>): boolean {
  const rel = (attributes.get('rel') ?? '').toLowerCase().split(/\s+/);
  const type = (attributes.get('type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return rel.includes('alternate') && FEED_LINK_TYPES.has(type);
}
