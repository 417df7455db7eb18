import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/content.js';
import { describe, expect, it } from 'vitest';
import {
  FEED_LIMITS,
  feedLinksInPage,
  FeedProblem,
  matchesKeywords,
  parseFeedText,
  usualFeedUrls,
  xmlDeclaredCharset,
  type FeedItem,
  type ParsedFeed,
} from '../../src/content/feed.js';

/** Real feeds as sites publish them (from rss-parser's test inputs; see the folder's README). */
const FEEDS = path.join(ROOT, 'tests/fixtures/feeds');

/**
 * Every real feed with its format and item count. `uolNoticias.rss` declares no charset: its server
 * says ISO-8859-1 in the Content-Type, as given here. `incomplete-fields.atom` has one entry holding
 * only an empty `<author>`, which the parser drops.
 */
const REAL_FEEDS: Array<{ file: string; format: ParsedFeed['format']; items: number; charset?: string }> = [
  { file: 'atom-customfields.atom', format: 'atom', items: 15 },
  { file: 'content-encoded.rss', format: 'rss', items: 7 },
  { file: 'craigslist.rss', format: 'rdf', items: 25 },
  { file: 'customfields.rss', format: 'rss', items: 15 },
  { file: 'encoding.rss', format: 'rss', items: 40 },
  { file: 'feedburner.atom', format: 'atom', items: 25 },
  { file: 'giantbomb-podcast.rss', format: 'rss', items: 730 },
  { file: 'guardian.rss', format: 'rss', items: 55 },
  { file: 'gulp-atom.atom', format: 'atom', items: 10 },
  { file: 'heise.atom', format: 'atom', items: 15 },
  { file: 'heraldsun.rss', format: 'rss', items: 2 },
  { file: 'incomplete-fields.atom', format: 'atom', items: 0 },
  { file: 'instant-article.rss', format: 'rss', items: 1 },
  { file: 'item-itunes-episodeType.rss', format: 'rss', items: 1 },
  { file: 'itunes-category.rss', format: 'rss', items: 1 },
  { file: 'itunes-href.rss', format: 'rss', items: 10 },
  { file: 'itunes-keywords-array.rss', format: 'rss', items: 1 },
  { file: 'itunes-keywords-astext.rss', format: 'rss', items: 32 },
  { file: 'itunes-keywords.rss', format: 'rss', items: 1 },
  { file: 'itunes-missing-image.rss', format: 'rss', items: 131 },
  { file: 'many-links.rss', format: 'atom', items: 25 },
  { file: 'missing-fields.atom', format: 'atom', items: 1 },
  { file: 'narro.rss', format: 'rss', items: 1 },
  { file: 'pagination-links.rss', format: 'rss', items: 1 },
  { file: 'reddit-atom.rss', format: 'rss', items: 24 },
  { file: 'reddit-home.rss', format: 'atom', items: 24 },
  { file: 'reddit.rss', format: 'rss', items: 24 },
  { file: 'rss-1.rss', format: 'rdf', items: 69 },
  { file: 'uolNoticias.rss', format: 'rss', items: 15, charset: 'iso-8859-1' },
  { file: 'xml2js-options.rss', format: 'rdf', items: 69 },
];

/** A feed file's text as the fetcher decodes it: the server's charset, else the XML declaration's, else UTF-8. */
function feedText(file: string, charset?: string): string {
  const bytes = readFileSync(path.join(FEEDS, file));
  return new TextDecoder(charset ?? xmlDeclaredCharset(bytes) ?? 'utf-8').decode(bytes);
}

/** A real feed parsed as if fetched from `https://feeds.test/<file>` (or `url`). */
function realFeed(file: string, url = `https://feeds.test/${file}`): ParsedFeed {
  const charset = REAL_FEEDS.find((feed) => feed.file === file)?.charset;
  return parseFeedText(feedText(file, charset), url);
}

/** The message of the FeedProblem that parsing `text` throws. */
function refusal(text: string): string {
  try {
    parseFeedText(text, 'https://feeds.test/feed');
  } catch (error) {
    expect(error).toBeInstanceOf(FeedProblem);
    return (error as FeedProblem).message;
  }
  throw new Error('the document was read as a feed');
}

/** An RSS 2.0 document with these `<item>` bodies. */
const rss = (...items: string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News</title><link>https://news.test/</link>${items
    .map((item) => `<item>${item}</item>`)
    .join('')}</channel></rss>`;

const item = (fields: Partial<FeedItem>): FeedItem => ({
  id: 'x',
  link: null,
  title: '',
  summary: '',
  content: null,
  published: null,
  ...fields,
});

describe('parseFeedText on real feeds', () => {
  it('the table holds every feed of the test data but the one that is no feed', () => {
    const files = readdirSync(FEEDS).filter((name) => /\.(?:rss|atom)$/.test(name));
    expect(REAL_FEEDS.map(({ file }) => file).sort()).toEqual(files.filter((name) => name !== 'unrecognized.rss'));
  });

  it.each(REAL_FEEDS)('reads $file: $format, $items items, each with its own id', ({ file, format, items }) => {
    const feed = realFeed(file);
    expect(feed.format).toBe(format);
    expect(feed.items).toHaveLength(items);
    expect(new Set(feed.items.map(({ id }) => id)).size).toBe(items);
    for (const { link } of feed.items) if (link !== null) expect(link).toMatch(/^https?:\/\//);
  });

  it("reads the Guardian's stories: title, link, date and site", () => {
    const feed = realFeed('guardian.rss');
    expect(feed.title).toBe('The Guardian');
    expect(feed.siteUrl).toBe('https://www.theguardian.com/us');
    expect(feed.items[0]).toMatchObject({
      title: 'Trump State of the Union address promised unity but emphasized discord',
      link: 'https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord',
      published: Date.parse('2018-01-31T07:26:05Z'),
    });
    expect(feed.items[0]?.summary).toMatch(/^The president’s ‘new American moment’ speech/);
  });

  /** The hrefs of a file's `<link rel="alternate">` elements after the feed's own (the entries', in order). */
  const alternates = (file: string): string[] =>
    [...feedText(file).matchAll(/<link rel="alternate" type="text\/html" href="([^"]+)"/g)]
      .map((match) => match[1] ?? '')
      .slice(1);

  it.each(['heise.atom', 'feedburner.atom', 'many-links.rss'])(
    "takes each Atom entry's rel=alternate link, never replies, edit or self (%s)",
    (file) => {
      const feed = realFeed(file);
      expect(feed.items.map(({ link }) => link)).toEqual(alternates(file));
      for (const { link } of feed.items) expect(link).not.toMatch(/blogger\.com\/feeds|\/comments\/|#comment-form/);
    },
  );

  it('resolves relative Atom links against the feed URL', () => {
    const feed = realFeed('gulp-atom.atom', 'https://github.com/gulpjs/gulp/releases.atom');
    expect(feed.items[0]?.link).toBe('https://github.com/gulpjs/gulp/releases/tag/v3.9.0');
  });

  it("keeps each item's full content:encoded as HTML", () => {
    const feed = realFeed('content-encoded.rss');
    expect(feed.items.every(({ content }) => content !== null && content.length > 1000)).toBe(true);
    expect(feed.items[0]?.content).toMatch(/^<h4>Using Wild Ingredients/);
    expect(feed.items[0]?.summary).toBe('');
  });

  it('reads a declared ISO-8859-1 feed as latin1: accents intact', () => {
    const bytes = readFileSync(path.join(FEEDS, 'encoding.rss'));
    expect(xmlDeclaredCharset(bytes)).toBe('iso-8859-1');
    const feed = realFeed('encoding.rss');
    expect(feed.title).toBe('Jornal de Notícias - Últimas Notícias');
    expect(feed.items[0]?.title).toBe('Mãe de utente é a nova presidente da Raríssimas');
    // Read as UTF-8 by mistake, every accent would be lost.
    expect(parseFeedText(new TextDecoder('utf-8').decode(bytes), 'https://feeds.test/').title).toContain('\uFFFD');
  });

  it("reads an undeclared ISO-8859-1 feed with the server's charset; dates in Portuguese are none", () => {
    const feed = realFeed('uolNoticias.rss');
    expect(feed.items[0]?.title).toBe('Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno');
    expect(feed.items.every(({ published }) => published === null)).toBe(true);
  });

  it('reads RDF (RSS 1.0): the link is the id, the date comes from dc:date', () => {
    const feed = realFeed('rss-1.rss');
    expect(feed.format).toBe('rdf');
    expect(feed.items[0]).toMatchObject({
      id: 'http://science.sciencemag.org/cgi/content/short/356/6343/1134-a?rss=1',
      link: 'http://science.sciencemag.org/cgi/content/short/356/6343/1134-a?rss=1',
      title: 'Food for fungi',
      published: Date.parse('2017-06-15T10:29:47-07:00'),
    });
  });

  it('turns titles and summaries into plain text: tags stripped, entities decoded, even doubly escaped ones', () => {
    expect(realFeed('craigslist.rss').items[0]?.title).toMatch(/^Bright, Spacious .* \$4300 3bd/);
    expect(realFeed('itunes-href.rss').items[0]?.summary).toContain('Transfererlös');
    expect(realFeed('heise.atom').items[0]?.summary).toMatch(/^Die nun verfügbare Version 10/);
  });

  it('keeps what a feed lacks as none: no link, no date, no title', () => {
    expect(realFeed('missing-fields.atom').items).toEqual([
      {
        id: 'tag:github.com,2008:Repository/11167738/v3.9.0',
        link: null,
        title: '',
        summary: '',
        content: null,
        published: null,
      },
    ]);
  });

  it('reads the RSS <ttl>', () => {
    expect(realFeed('customfields.rss').ttlMinutes).toBe(10);
    expect(realFeed('narro.rss').ttlMinutes).toBe(20);
    expect(realFeed('guardian.rss').ttlMinutes).toBeNull();
  });

  it('tells apart two episodes that share a guid and a link', () => {
    const ids = realFeed('itunes-missing-image.rss')
      .items.map(({ id }) => id)
      .filter((id) => id.startsWith('http://taverncast.com/shows/geekistry-2.mp3'));
    expect(ids).toHaveLength(2);
    for (const id of ids)
      expect(id).toMatch(
        /^http:\/\/taverncast\.com\/shows\/geekistry-2\.mp3\|http:\/\/taverncast\.com\/\|hash:[0-9a-f]{32}$/,
      );
  });
});

describe('parseFeedText on made-up feeds', () => {
  it('gives a guid repeated within the feed its link', () => {
    const feed = parseFeedText(
      rss(
        '<guid>story</guid><link>/a</link>',
        '<guid>story</guid><link>/b</link>',
        '<guid>other</guid><link>/c</link>',
      ),
      'https://news.test/feed.xml',
    );
    expect(feed.items.map(({ id }) => id)).toEqual(['story|https://news.test/a', 'story|https://news.test/b', 'other']);
  });

  it('falls back from guid to link to a hash of title and content', () => {
    const feed = parseFeedText(
      rss(
        '<title>Only a link</title><link>https://news.test/1</link>',
        '<title>Neither</title><description>Text</description>',
      ),
      'https://news.test/feed.xml',
    );
    expect(feed.items[0]?.id).toBe('https://news.test/1');
    expect(feed.items[1]?.id).toMatch(/^hash:[0-9a-f]{32}$/);
  });

  it('takes a permalink guid as the link when there is no <link>, never one that is not a permalink', () => {
    const feed = parseFeedText(
      rss(
        '<title>a</title><guid>https://news.test/a</guid>',
        '<title>b</title><guid isPermaLink="false">https://news.test/b</guid>',
        '<title>c</title><link>javascript:alert(1)</link>',
      ),
      'https://news.test/feed.xml',
    );
    expect(feed.items.map(({ link }) => link)).toEqual(['https://news.test/a', null, null]);
  });

  it('lists a story repeated whole only once', () => {
    const story = '<title>Same</title><link>https://news.test/same</link>';
    expect(parseFeedText(rss(story, story), 'https://news.test/').items).toHaveLength(1);
  });

  it('reads a JSON Feed', () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'JSON News',
      home_page_url: 'https://json.test/',
      items: [
        {
          id: '1',
          url: '/stories/1',
          title: 'First &amp; foremost',
          summary: 'The summary.',
          content_html: '<p>Full text.</p>',
          date_published: '2024-05-01T10:00:00Z',
        },
        { id: '2', title: 'Plain', content_text: 'Fish & chips.\n\nSecond paragraph.', date_modified: '2024-05-02' },
      ],
    });
    const feed = parseFeedText(`\uFEFF ${json}`, 'https://json.test/feed.json');
    expect(feed).toMatchObject({ format: 'json', title: 'JSON News', siteUrl: 'https://json.test/', ttlMinutes: null });
    expect(feed.items).toEqual([
      {
        id: '1',
        link: 'https://json.test/stories/1',
        title: 'First &amp; foremost',
        summary: 'The summary.',
        content: '<p>Full text.</p>',
        published: Date.parse('2024-05-01T10:00:00Z'),
      },
      {
        id: '2',
        link: null,
        title: 'Plain',
        summary: 'Fish & chips. Second paragraph.',
        content: '<p>Fish &amp; chips.</p>\n<p>Second paragraph.</p>',
        published: Date.parse('2024-05-02'),
      },
    ]);
  });

  it('reads whitespace and a byte-order mark before <?xml', () => {
    expect(parseFeedText(`\uFEFF\n\n  ${rss('<title>a</title>')}`, 'https://news.test/').items).toHaveLength(1);
  });

  it('reads an Atom entry: html titles as markup, text titles as text, published before updated', () => {
    const feed = parseFeedText(
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; co</title>
      <link rel="self" href="/atom.xml"/><link href="/"/>
      <entry><id>e1</id><title>1 &lt; 2</title><summary type="html">&lt;p&gt;Short&lt;/p&gt;</summary>
      <content type="text">a &lt;b&gt;</content><updated>2024-02-02T00:00:00Z</updated><published>2024-01-01T00:00:00Z</published></entry>
      <entry><id>e2</id><title>Out of line</title><content src="https://news.test/x" type="text/html"/><updated>2024-02-02T00:00:00Z</updated></entry></feed>`,
      'https://news.test/atom.xml',
    );
    expect(feed).toMatchObject({ title: 'Bold & co', siteUrl: 'https://news.test/' });
    expect(feed.items[0]).toMatchObject({
      title: '1 < 2',
      summary: 'Short',
      content: '<p>a &lt;b&gt;</p>',
      published: Date.parse('2024-01-01T00:00:00Z'),
    });
    expect(feed.items[1]).toMatchObject({ content: null, published: Date.parse('2024-02-02T00:00:00Z') });
  });

  it('holds a feed to FEED_LIMITS: items, summary and title', () => {
    const items = Array.from({ length: FEED_LIMITS.maxItems + 5 }, (_, i) => `<guid>g${i}</guid>`);
    expect(parseFeedText(rss(...items), 'https://news.test/').items).toHaveLength(FEED_LIMITS.maxItems);
    const long = parseFeedText(
      rss(`<title>${'headline '.repeat(100)}</title><description>${'<p>word</p> '.repeat(1000)}</description>`),
      'https://news.test/',
    ).items[0];
    expect(long?.title.length).toBeLessThanOrEqual(FEED_LIMITS.titleChars);
    expect(long?.summary.length).toBeLessThanOrEqual(FEED_LIMITS.summaryChars);
    expect(long?.summary).toMatch(/^word word .* …$/);
  });
});

describe('parseFeedText refuses', () => {
  it('a document that is no feed (an HTML page)', () => {
    expect(refusal(feedText('unrecognized.rss'))).toBe('not a feed (an HTML page: “Document Moved”)');
    expect(
      refusal(
        '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><rss version="2.0"></body></html>',
      ),
    ).toBe('not a feed (an HTML page: “Just a moment...”)');
    expect(refusal('')).toBe('not a feed (the document is empty)');
    expect(refusal('Service unavailable')).toMatch(/^not a feed \(/);
  });

  it('JSON that is no JSON Feed, and malformed JSON, on one line', () => {
    expect(refusal('{"title": "x", "items": []}')).toMatch(/^not a feed \(JSON/);
    const message = refusal(`{"items": [\n\n${'x'.repeat(500)}\n]}`);
    expect(message).toMatch(/^malformed JSON \(/);
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThanOrEqual(200);
  });

  it("malformed XML, with the parser's reason on one line", () => {
    const message = refusal('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title><item><title>cut o');
    expect(message).toMatch(/^malformed XML \(.+\)$/);
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThanOrEqual(200);
  });

  const ENTITIES = 'the feed declares XML entities (refused: entity expansion and external entities)';

  it('any DOCTYPE that declares an entity: billion laughs, external and parameter entities', () => {
    const laughs = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    expect(
      refusal(
        `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">${laughs}]><rss version="2.0"><channel><title>&lol9;</title></channel></rss>`,
      ),
    ).toBe(ENTITIES);
    expect(
      refusal(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<rss version="2.0"><channel><title>&xxe;</title></channel></rss>',
      ),
    ).toBe(ENTITIES);
    expect(
      refusal(
        '<!doctype feed [<!entity % p SYSTEM "http://127.0.0.1/x.dtd"> %p;]><feed xmlns="http://www.w3.org/2005/Atom"></feed>',
      ),
    ).toBe(ENTITIES);
  });

  it('but reads a DOCTYPE that declares none (Netscape RSS 0.91)', () => {
    const feed = parseFeedText(
      '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>Old</title><link>https://old.test/</link><item><title>One</title><link>https://old.test/1</link></item></channel></rss>',
      'https://old.test/rss',
    );
    expect(feed.items.map(({ title }) => title)).toEqual(['One']);
  });
});

describe('xmlDeclaredCharset', () => {
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

  it('reads the encoding of the XML declaration, in either quotes, after a BOM or whitespace', () => {
    expect(xmlDeclaredCharset(bytes('<?xml version="1.0" encoding="ISO-8859-1"?><rss/>'))).toBe('iso-8859-1');
    expect(xmlDeclaredCharset(bytes("\uFEFF\n <?xml version='1.0' encoding='windows-1252' ?>"))).toBe('windows-1252');
  });

  it('is null without a declaration, without an encoding, or past the first 1,024 bytes', () => {
    expect(xmlDeclaredCharset(bytes('<rss version="2.0"/>'))).toBeNull();
    expect(xmlDeclaredCharset(bytes('<?xml version="1.0"?><rss/>'))).toBeNull();
    expect(xmlDeclaredCharset(bytes(`<?xml version="1.0"${' '.repeat(1100)}encoding="utf-8"?>`))).toBeNull();
  });
});

describe('feedLinksInPage', () => {
  it("finds the page's feeds in document order, resolved against <base>, attributes in any order and quoting", () => {
    const page = `<!doctype html><html><head>
      <base href="/blog/">
      <link rel="stylesheet" href="style.css" type="text/css">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="feed.xml">
      <link href='atom.xml' type='application/atom+xml; charset=utf-8' rel='Alternate'>
      <LINK TYPE=application/feed+json HREF=/feed.json REL=alternate>
      <link rel="alternate" hreflang="de" href="https://news.test/de/">
      <link rel="alternate" type="text/html" href="/amp/">
      <link rel="alternate" type="application/json" href="https://news.test/wp-json/wp/v2/posts/7">
      <link rel="alternate" type="application/rss+xml" href="feed.xml?a=1&amp;b=2">
      <link rel="alternate" type="application/rss+xml" href="feed.xml">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate" type="application/rdf+xml" href="https://other.test/index.rdf"/>
      </head></html>`;
    expect(feedLinksInPage(page, 'https://news.test/blog/post/1')).toEqual([
      'https://news.test/blog/feed.xml',
      'https://news.test/blog/atom.xml',
      'https://news.test/feed.json',
      'https://news.test/blog/feed.xml?a=1&b=2',
      'https://other.test/index.rdf',
    ]);
  });

  it('resolves against the page without a <base>, and finds none on a page that declares none', () => {
    expect(
      feedLinksInPage('<link rel="alternate" type="application/atom+xml" href="../atom">', 'https://news.test/a/b/c'),
    ).toEqual(['https://news.test/a/atom']);
    expect(feedLinksInPage('<html><head><title>x</title></head></html>', 'https://news.test/')).toEqual([]);
  });

  it('gets through 2 MB of hostile HTML: tags and quotes never closed', () => {
    const mb = 1024 * 1024;
    const hostile = [
      '<link '.repeat(Math.ceil((2 * mb) / 6)),
      `<link rel="alternate" href="${'x'.repeat(2 * mb)}`,
      `<link rel=alternate type=application/rss+xml href=${'/a '.repeat(mb)}`,
      '<base href="'.repeat(mb / 6),
      `${'<link a="1" '.repeat(mb / 6)}>`,
    ];
    for (const page of hostile) expect(feedLinksInPage(page, 'https://news.test/')).toEqual([]);
  });
});

describe('usualFeedUrls', () => {
  it("the usual feed paths at the site's root, in order", () => {
    expect(usualFeedUrls('https://news.test/world/story?id=1')).toEqual([
      'https://news.test/feed',
      'https://news.test/rss',
      'https://news.test/rss.xml',
      'https://news.test/atom.xml',
      'https://news.test/feed.xml',
      'https://news.test/index.xml',
    ]);
  });

  it('none for what is not an http(s) URL', () => {
    expect(usualFeedUrls('ftp://news.test/')).toEqual([]);
    expect(usualFeedUrls('not a url')).toEqual([]);
  });
});

describe('matchesKeywords', () => {
  const story = item({ title: 'War in the north', summary: 'Mexico’s plan for climate  change, and a café.' });

  it('matches whole words and phrases, case-insensitively, in the title or the summary', () => {
    expect(matchesKeywords(story, ['war'])).toBe(true);
    expect(matchesKeywords(story, ['climate change'])).toBe(true);
    expect(matchesKeywords(story, ["mexico's plan"])).toBe(true);
    expect(matchesKeywords(story, ['café'])).toBe(true);
    expect(matchesKeywords(story, ['peace', 'north'])).toBe(true);
  });

  it('never matches inside a word, in any script', () => {
    expect(matchesKeywords(item({ title: 'A warm winter' }), ['war'])).toBe(false);
    expect(matchesKeywords(item({ title: 'Les cafés de Paris' }), ['café'])).toBe(false);
    expect(matchesKeywords(item({ title: 'Мировой рынок' }), ['мир'])).toBe(false);
    expect(matchesKeywords(item({ title: 'Мир и война' }), ['мир'])).toBe(true);
    expect(matchesKeywords(story, ['clima'])).toBe(false);
  });

  it('matches every item when there are no keywords', () => {
    expect(matchesKeywords(story, [])).toBe(true);
    expect(matchesKeywords(story, [' '])).toBe(true);
  });

  it('takes keywords as words, not patterns', () => {
    expect(matchesKeywords(item({ title: 'C++ tips' }), ['c++'])).toBe(true);
    expect(matchesKeywords(item({ title: 'Ca+ tips' }), ['c.+'])).toBe(false);
  });
});
