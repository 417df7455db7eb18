/**
 * What one article may hold, however it arrives: a file in DATA_DIR, an upload, a page, a text file
 * or (next) a feed item. Every article passes through `parseArticle`, which reports anything over
 * these as a problem; converters from other formats cut what is only furniture (a title, a caption)
 * to fit first. Together they make an article's cost to index grow linearly with its size, and keep
 * any one article a small share of an index (bench/README.md, "Hostile input").
 *
 * The sizes seen, for scale: across the 16 real news pages of the test data the longest title has
 * 111 characters, the longest heading 135, the longest caption 337, the most paragraphs and list
 * items 56, and the longest article 19 KB of Markdown.
 */
export const ARTICLE_LIMITS = {
  /** Bytes of the article file (its Markdown): 50 times the longest real page's. */
  bytes: 128 * 1024,
  /** Characters of the title: Discord shows 256 of it; a title is indexed with every passage's article. */
  titleChars: 300,
  /** Characters of a section heading: indexed with each of its section's passages. */
  headingChars: 200,
  /** Characters of the picture's caption. */
  captionChars: 1000,
  /** Characters of the author line. */
  authorChars: 200,
  /** Source links: each is shown as a link under every answer from the article. */
  sources: 50,
  /** Paragraphs, list items and headings in all: each paragraph is at least one passage. */
  blocks: 1000,
} as const;

/**
 * Text cut to `max` characters at a word boundary (in its second half), with an ellipsis: how a
 * converter fits a page's overlong title or caption into {@link ARTICLE_LIMITS}.
 *
 * @example
 * cutAtWord('A very long headline indeed', 15) // => 'A very long …'
 */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 2);
  const space = room.lastIndexOf(' ');
  return `${(space >= max / 2 ? room.slice(0, space) : room).trimEnd()} …`;
}

/**
 * A size as refusals state it.
 *
 * @example
 * formatBytes(5 * 1024 * 1024) // => '5 MB'
 * formatBytes(256 * 1024) // => '256 KB'
 */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Number((bytes / 1024 / 1024).toFixed(1))} MB` : `${Math.round(bytes / 1024)} KB`;
}

/**
 * A count as messages state it, with thousands separated.
 *
 * @example
 * formatCount(30000) // => '30,000'
 */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
