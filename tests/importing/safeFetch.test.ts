import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookup } from 'node:dns/promises';
import {
  DEFAULT_FETCH_LIMITS,
  safeFetch,
  type FetchNetwork,
  type FetchPolicy,
  type Resolver,
} from '../../src/importing/safeFetch.js';
import { page, redirect, startWebServer, type WebServer } from '../support/webServer.js';

let web: WebServer;
/** What the endless gzip comment route has sent. */
let commentBytes = 0;

beforeAll(async () => {
  web = await startWebServer({
    '/story': page('<html><head><title>Story</title></head><body><p>Hello.</p></body></html>'),
    '/latin': page(Buffer.from('<p>caf\u00e9 cr\u00e8me</p>', 'latin1'), 'text/html; charset=ISO-8859-1'),
    '/meta-charset': page(
      Buffer.from('<html><head><meta charset="windows-1252"></head><body>na\u00efve</body></html>', 'latin1'),
      'text/html',
    ),
    '/gzip': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': 'gzip' });
      response.end(gzipSync('compressed text'));
    },
    '/gzip-cut': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      response.write(gzipSync('<p>a page cut short</p>'.repeat(200)).subarray(0, 40));
      setTimeout(() => response.destroy(), 50);
    },
    '/gzip-comment': (_request, response) => {
      // A gzip header announcing a comment (flag 0x10) that never ends: it decompresses to nothing.
      response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      response.write(Buffer.from([0x1f, 0x8b, 8, 0x10, 0, 0, 0, 0, 0, 3]));
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const write = (): void => {
        while (!response.destroyed && response.write(chunk)) commentBytes += chunk.length;
        if (!response.destroyed) response.once('drain', write);
      };
      write();
    },
    '/utf7': page(Buffer.from('<html><head><meta charset="utf-7"></head><body>caf\u00e9</body></html>'), 'text/html'),
    '/pdf': page('%PDF-1.7', 'application/pdf'),
    '/untyped': (_request, response) => response.end('no type'),
    '/hop': redirect('/story'),
    '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/'),
    '/to-file': redirect('file:///etc/passwd'),
    '/loop': redirect('/loop'),
    '/forever': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => response.write('<p>more</p>'), 50);
      response.on('close', () => clearInterval(timer));
    },
    '/huge': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const write = (): void => {
        while (sent < 20 && response.write(chunk)) sent++;
        if (sent >= 20) response.end();
        else response.once('drain', write);
      };
      write();
    },
    '/huge-declared': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html', 'content-length': 20 * 1024 * 1024 });
      response.write('<p>');
    },
  });
});

afterAll(async () => {
  await web?.close();
});

/** The bot's policy: private addresses refused. */
function policy(overrides: Partial<FetchPolicy> = {}): FetchPolicy {
  return { ...DEFAULT_FETCH_LIMITS, allowPrivate: false, ...overrides };
}

/** The network as the tests see it: the system's resolver unless given, and the local server (on 127.0.0.1) let through unless said otherwise. */
function network(overrides: Partial<FetchNetwork> = {}): FetchNetwork {
  return {
    resolve: (name) => lookup(name, { all: true }),
    exempt: (address) => address === '127.0.0.1',
    ...overrides,
  };
}

/** A fetch of `url` under `policy` through `net`. */
const get = (url: string, given: Partial<FetchPolicy> = {}, net: Partial<FetchNetwork> = {}) =>
  safeFetch(url, policy(given), undefined, network(net));

/** A resolver that answers every name with `address`, as a hostile or careless DNS record would. */
const resolvingTo =
  (address: string): Resolver =>
  () =>
    Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'fetched',
    (error: Error) => error.message,
  );

describe('safeFetch', () => {
  it('fetches a page, following a redirect, and says where it ended up', async () => {
    const fetched = await get(web.url('/hop'));
    expect(fetched).toEqual({
      url: web.url('/story'),
      mediaType: 'text/html',
      text: '<html><head><title>Story</title></head><body><p>Hello.</p></body></html>',
    });
  });

  it('reads a page declaring a charset no decoder knows as UTF-8, as browsers do', async () => {
    expect((await get(web.url('/utf7'))).text).toContain('caf\u00e9');
  });

  it('honours the charset of the header, of an HTML meta tag, and decompresses gzip', async () => {
    expect((await get(web.url('/latin'))).text).toBe('<p>café crème</p>');
    expect((await get(web.url('/meta-charset'))).text).toContain('naïve');
    expect((await get(web.url('/gzip'))).text).toBe('compressed text');
  });

  it('refuses hosts that resolve to loopback, link-local (cloud metadata) and IPv4-mapped private addresses', async () => {
    const { port } = new URL(web.origin);
    const at = `http://news.example.com:${port}/story`;
    expect(await refusal(get(at, {}, { exempt: undefined, resolve: resolvingTo('127.0.0.1') }))).toBe(
      "news.example.com resolves to 127.0.0.1, a loopback address: links to the bot's own network are refused",
    );
    expect(await refusal(get(at, {}, { resolve: resolvingTo('169.254.169.254') }))).toBe(
      "news.example.com resolves to 169.254.169.254, a link-local address (where cloud metadata services answer): links to the bot's own network are refused",
    );
    expect(await refusal(get(at, {}, { resolve: resolvingTo('::ffff:10.0.0.1') }))).toBe(
      "news.example.com resolves to ::ffff:10.0.0.1, a private address: links to the bot's own network are refused",
    );
    expect(await refusal(get(at, {}, { resolve: resolvingTo('100.64.0.7') }))).toMatch(/carrier-grade NAT/);
    expect(await refusal(get(at, {}, { resolve: resolvingTo('fd12::1') }))).toMatch(/unique local/);
  });

  it('refuses private addresses written as IP literals, in any of their spellings', async () => {
    const strict = { exempt: undefined };
    expect(await refusal(get('http://[::ffff:0:a00:1]/', {}, strict))).toBe(
      "::ffff:0:a00:1 is an IPv4-translated address (it names an IPv4 host): links to the bot's own network are refused",
    );
    expect(await refusal(get(web.url('/story'), {}, strict))).toBe(
      "127.0.0.1 is a loopback address: links to the bot's own network are refused",
    );
    expect(await refusal(get('http://2130706433/', {}, strict))).toMatch(/^127\.0\.0\.1 is a loopback address/);
    expect(await refusal(get('http://[::ffff:169.254.169.254]/', {}, strict))).toMatch(/link-local/);
    expect(await refusal(get('http://[::1]:80/', {}, strict))).toMatch(/^::1 is a loopback address/);
  });

  it('checks every redirect: to a metadata address, to another scheme, and past five hops', async () => {
    expect(await refusal(get(web.url('/to-metadata')))).toBe(
      "169.254.169.254 is a link-local address (where cloud metadata services answer): links to the bot's own network are refused",
    );
    expect(await refusal(get(web.url('/to-file')))).toBe('file links cannot be imported: only http and https');
    expect(await refusal(get(web.url('/loop')))).toBe(`${web.url('/loop')} redirects more than 5 times`);
  });

  it('resolves each host once, so the address checked is the address connected to', async () => {
    const { port } = new URL(web.origin);
    const answers = ['127.0.0.1', '10.0.0.1'];
    let lookups = 0;
    const rebinding: Resolver = () => {
      const address = answers[Math.min(lookups++, answers.length - 1)] ?? '';
      return Promise.resolve([{ address, family: 4 }]);
    };
    const fetched = await get(`http://news.example.com:${port}/story`, {}, { resolve: rebinding });
    expect(fetched.text).toContain('Hello.');
    expect(lookups).toBe(1);
  });

  it('stops a body that never ends at the time limit, and one over the size limit while it streams', async () => {
    const started = Date.now();
    expect(await refusal(get(web.url('/forever'), { timeoutMs: 600 }))).toBe(
      'the page took longer than 0.6 s to arrive',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await refusal(get(web.url('/huge')))).toBe('the page is larger than 5 MB (IMPORT_MAX_BYTES)');
    expect(await refusal(get(web.url('/huge-declared')))).toBe('the page is larger than 5 MB (IMPORT_MAX_BYTES)');
    expect(await refusal(get(web.url('/huge'), { maxBytes: 256 * 1024 }))).toBe(
      'the page is larger than 256 KB (IMPORT_MAX_BYTES)',
    );
    // What arrives counts, not only what it decompresses to: a comment that never ends is stopped at the limit.
    const endless = Date.now();
    expect(await refusal(get(web.url('/gzip-comment'), { maxBytes: 256 * 1024, timeoutMs: 10_000 }))).toBe(
      'the page is larger than 256 KB (IMPORT_MAX_BYTES)',
    );
    expect(Date.now() - endless).toBeLessThan(5_000);
    expect(commentBytes).toBeLessThan(8 * 1024 * 1024);
    // A compressed body cut short fails at once, not at the deadline.
    const cut = Date.now();
    expect(await refusal(get(web.url('/gzip-cut')))).toMatch(/^the page could not be read to its end/);
    expect(Date.now() - cut).toBeLessThan(2_000);
  });

  it('refuses what is not a page: a PDF, no content type, a 404, a host that does not exist', async () => {
    expect(await refusal(get(web.url('/pdf')))).toBe(
      `${web.url('/pdf')} is application/pdf, not a web page: only HTML, plain text or Markdown can be imported`,
    );
    expect(await refusal(get(web.url('/untyped')))).toMatch(/is of no stated type, not a web page/);
    expect(await refusal(get(web.url('/missing')))).toBe(
      `127.0.0.1:${new URL(web.origin).port} answered HTTP 404 Not Found`,
    );
    const nowhere: Resolver = () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    expect(await refusal(get('http://no-such-host.invalid/', {}, { resolve: nowhere }))).toBe(
      'no-such-host.invalid cannot be found (no such host)',
    );
    expect(await refusal(get('not a link'))).toBe('"not a link" is not a link: give a full http(s) address');
  });
});
