import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from './content.js';
import { page, startWebServer, type Route, type WebServer } from './webServer.js';

/** One item of the site's feed. */
export interface SiteItem {
  guid: string;
  title: string;
  /** A path on the site (its story page), or a full URL. */
  link: string;
  description?: string;
  /** Full content (`content:encoded`). */
  content?: string;
  published?: Date;
}

/** The real news pages the site serves as its stories, at `/stories/<name>`. */
export const STORY_PAGES = ['wapo-1', 'nytimes-1', 'cnet', 'quanta-1', 'salon-1', 'engadget'] as const;

/**
 * A news site on 127.0.0.1 for the feed tests: a home page naming its feed
 * (`<link rel="alternate">`), an RSS 2.0 feed at `/feed.xml` built from {@link FeedSite.items}
 * (with an ETag and Last-Modified, answering 304 to a conditional request when unchanged), and the
 * real news pages of tests/fixtures/news-pages as its stories. Tests change the items between polls,
 * or answer the feed with a failure.
 *
 * @example
 * const site = await startFeedSite([item('wapo-1')]);
 * site.items.unshift(item('cnet'));
 */
export interface FeedSite {
  web: WebServer;
  feedUrl: string;
  homeUrl: string;
  items: SiteItem[];
  /** Answers the feed with `route` instead (a failure), until {@link heal}. */
  fail(route: Route): void;
  heal(): void;
  /** How many times the feed was requested, and how many of those were answered 304. */
  feedRequests(): { all: number; unchanged: number };
  close(): Promise<void>;
}

/** An item for the story page `name`. */
export function storyItem(name: string, published = new Date('2026-12-01T10:00:00Z')): SiteItem {
  return { guid: `story-${name}`, title: `Story ${name}`, link: `/stories/${name}`, published };
}

/** The RSS 2.0 document of `items` on the site at `origin`. */
export function rssOf(origin: string, items: readonly SiteItem[], title = 'Test News'): string {
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const entries = items.map((item) => {
    const link = item.link.startsWith('/') ? `${origin}${item.link}` : item.link;
    return `<item><title>${escape(item.title)}</title><link>${escape(link)}</link><guid isPermaLink="false">${escape(item.guid)}</guid>${item.description ? `<description>${escape(item.description)}</description>` : ''}${item.content ? `<content:encoded><![CDATA[${item.content}]]></content:encoded>` : ''}${item.published ? `<pubDate>${item.published.toUTCString()}</pubDate>` : ''}</item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${escape(title)}</title><link>${origin}/</link><description>News</description>${entries.join('')}</channel></rss>`;
}

export async function startFeedSite(items: SiteItem[] = []): Promise<FeedSite> {
  const web = await startWebServer();
  const site = { items, failure: null as Route | null, all: 0, unchanged: 0 };
  for (const name of STORY_PAGES)
    web.route(
      `/stories/${name}`,
      page(await readFile(path.join(ROOT, 'tests/fixtures/news-pages', name, 'source.html'))),
    );
  web.route(
    '/',
    page(
      `<html><head><title>Test News</title><link rel="alternate" type="application/rss+xml" title="Test News" href="/feed.xml"></head><body><h1>Test News</h1></body></html>`,
    ),
  );
  web.route('/feed.xml', (request, response) => {
    site.all++;
    if (site.failure) return site.failure(request, response);
    const body = rssOf(web.origin, site.items);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (request.headers['if-none-match'] === etag) {
      site.unchanged++;
      response.writeHead(304, { etag });
      return response.end();
    }
    response.writeHead(200, {
      'content-type': 'application/rss+xml; charset=utf-8',
      etag,
      'last-modified': new Date('2026-12-01T10:00:00Z').toUTCString(),
    });
    response.end(body);
  });
  return {
    web,
    feedUrl: web.url('/feed.xml'),
    homeUrl: web.url('/'),
    items: site.items,
    fail: (route) => (site.failure = route),
    heal: () => (site.failure = null),
    feedRequests: () => ({ all: site.all, unchanged: site.unchanged }),
    close: () => web.close(),
  };
}
