import { lookup as dnsLookup } from 'node:dns/promises';
import http, { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { isIP } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { xmlDeclaredCharset } from '../content/feed.js';
import { formatBytes } from '../content/limits.js';
import { restrictedAddress } from './addresses.js';

/** How much a fetch may take: bytes, time and redirects. */
export interface FetchLimits {
  /** Most bytes a body may have (after decompression), checked while it streams in: IMPORT_MAX_BYTES, 5 MB by default. */
  maxBytes: number;
  /** Longest a whole fetch may take, every redirect and the body included. */
  timeoutMs: number;
  /** Most redirects followed. */
  maxRedirects: number;
}

/** Who resolves host names: the system's resolver by default; tests give their own. */
export type Resolver = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

/** What a fetch may reach, and how much it may take. */
export interface FetchPolicy extends FetchLimits {
  /** Lift the address check (IMPORT_ALLOW_PRIVATE): for tests and intranets, never for a bot on the internet. */
  allowPrivate: boolean;
}

/**
 * How a fetch reaches the network: through the system's resolver, unless a test gives its own (a
 * public-looking name resolving to a private address) and lets its own local server through.
 */
export interface FetchNetwork {
  resolve: Resolver;
  /** Private addresses let through all the same when `allowPrivate` is off: a test's local server, never configuration. */
  exempt?: (address: string) => boolean;
}

/** The system's resolver, every address of a name, in the order it gives them. */
const SYSTEM_NETWORK: FetchNetwork = { resolve: (name) => dnsLookup(name, { all: true, verbatim: true }) };

/** The limits of an import: 5 MB (a long article page is under 1 MB), 15 s, 5 redirects. */
export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxBytes: 5 * 1024 * 1024, timeoutMs: 15_000, maxRedirects: 5 };

/** The content types an article can come as. */
export const ARTICLE_MEDIA_TYPES = [
  'text/html',
  'application/xhtml+xml',
  'text/plain',
  'text/markdown',
  'text/x-markdown',
] as const;

/** A fetched document, decoded to text with the charset it declared. */
export interface FetchedDocument {
  /** Where it was finally found, after redirects. */
  url: string;
  /** Its content type without parameters, e.g. `text/html`; `null` when the server gave none. */
  mediaType: string | null;
  text: string;
}

/** A fetch refused or failed: the message is one line, saying why, for the moderator. */
export class FetchRefusal extends Error {
  override readonly name = 'FetchRefusal';
}

/** What a request asks for beyond the defaults: the types it accepts, extra headers, and whether it follows redirects. */
export interface FetchRequest {
  /** The content types accepted (`''` accepts a response with none); an article's by default. */
  accept?: readonly string[];
  /** Extra request headers: a conditional request's `If-None-Match` and `If-Modified-Since`. */
  headers?: Readonly<Record<string, string>>;
  /** `false` refuses any redirect: a usual feed path that redirects (often to the home page) is not a feed. */
  followRedirects?: boolean;
  network?: FetchNetwork;
}

/** A response: the document, or `null` when a conditional request was answered 304 (unchanged); and the headers. */
export interface FetchedResponse {
  /** Where it was finally found, after redirects. */
  url: string;
  document: FetchedDocument | null;
  headers: IncomingHttpHeaders;
}

/** A refusal for the server's answer, with its status and any `Retry-After` it gave (429, 503). */
export class HttpRefusal extends FetchRefusal {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfter: string | null,
  ) {
    super(message);
  }
}

/**
 * Who the bot says it is, on every request: its name and where its README says what it fetches
 * and how often, so a site's operator can find out.
 */
export const USER_AGENT = 'Mozilla/5.0 (compatible; ArticleQABot/0.1; +README "What the bot fetches")';

/**
 * Fetches a document for import, and can't be turned against the machine it runs on: only
 * `http(s)`; hosts resolving to a loopback, private, link-local, carrier-grade NAT, multicast or
 * reserved address (IPv4 or IPv6, IPv4-mapped included) are refused, checked on every redirect and on
 * the address actually connected to (the name is resolved once, by this code, and the connection
 * goes to the address that was checked); at most `maxRedirects` redirects; the time and size limits
 * enforced while the body streams in; only the content types in `accept`; the declared charset
 * honoured (the `Content-Type` header, a BOM, or an HTML `<meta charset>`).
 *
 * @example
 * const page = await safeFetch('https://example.com/story', { ...DEFAULT_FETCH_LIMITS, allowPrivate: false });
 * page.text // the HTML, decoded
 * @throws {FetchRefusal} saying why, in one line.
 */
export async function safeFetch(
  url: string,
  policy: FetchPolicy,
  accept: readonly string[] = ARTICLE_MEDIA_TYPES,
  network: FetchNetwork = SYSTEM_NETWORK,
): Promise<FetchedDocument> {
  const { document } = await safeRequest(url, policy, { accept, network });
  if (document === null)
    throw new FetchRefusal(`${url} answered 304 Not Modified to a request that was not conditional`);
  return document;
}

/**
 * {@link safeFetch}, checked the same way, for a request that may be conditional (a feed's poll):
 * a 304 gives no document, and the response's headers come back for the validators and caching.
 *
 * @example
 * const { document, headers } = await safeRequest(feedUrl, policy, { accept: FEED_MEDIA_TYPES, headers: { 'if-none-match': etag } });
 * if (document === null) // unchanged since the last poll
 * @throws {HttpRefusal} for an answer other than 2xx or 304; {FetchRefusal} for anything else, saying why, in one line.
 */
export async function safeRequest(url: string, policy: FetchPolicy, request: FetchRequest): Promise<FetchedResponse> {
  const accept = request.accept ?? ARTICLE_MEDIA_TYPES;
  const network = request.network ?? SYSTEM_NETWORK;
  const deadline = Date.now() + policy.timeoutMs;
  let current = parseLink(url);
  for (let redirects = 0; ; redirects++) {
    const response = await send(current, policy, network, deadline, {
      ...request.headers,
      accept: acceptHeader(accept),
    });
    const status = response.statusCode ?? 0;
    if ([301, 302, 303, 307, 308].includes(status)) {
      response.destroy();
      const location = response.headers.location;
      if (!location) throw new FetchRefusal(`${current.host} answered with a redirect (${status}) to nowhere`);
      if (request.followRedirects === false) throw new HttpRefusal(`${current.href} redirects elsewhere`, status, null);
      if (redirects >= policy.maxRedirects)
        throw new FetchRefusal(`${url} redirects more than ${policy.maxRedirects} times`);
      current = parseLink(new URL(location, current).href);
      continue;
    }
    if (status === 304) {
      response.destroy();
      return { url: current.href, document: null, headers: response.headers };
    }
    if (status < 200 || status > 299) {
      response.destroy();
      const retryAfter = response.headers['retry-after'] ?? null;
      throw new HttpRefusal(
        `${current.host} answered HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd(),
        status,
        retryAfter,
      );
    }
    const { mediaType, charset } = contentType(response.headers['content-type']);
    if (!accept.includes(mediaType ?? '')) {
      response.destroy();
      throw new FetchRefusal(
        accept === ARTICLE_MEDIA_TYPES
          ? `${current.href} is ${mediaType === null ? 'of no stated type' : mediaType}, not a web page: only HTML, plain text or Markdown can be imported`
          : `${current.href} is ${mediaType === null ? 'of no stated type' : mediaType}, which is not accepted here`,
      );
    }
    const body = await readBody(response, policy, deadline);
    const text = decode(body, charset, mediaType === 'text/html' ? 'html' : 'xml');
    return { url: current.href, document: { url: current.href, mediaType, text }, headers: response.headers };
  }
}

/** The `Accept` header for the types accepted: an article's as browsers weigh them, else the list itself. */
function acceptHeader(accept: readonly string[]): string {
  if (accept === ARTICLE_MEDIA_TYPES) return 'text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.8';
  return [...accept.filter((type) => type !== '' && type !== 'application/octet-stream'), '*/*;q=0.1'].join(',');
}

/** `text` as an http(s) URL without credentials or fragment, or a refusal saying what is wrong with it. */
function parseLink(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FetchRefusal(`"${text.slice(0, 200)}" is not a link: give a full http(s) address`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FetchRefusal(`${url.protocol.replace(/:$/, '')} links cannot be imported: only http and https`);
  url.hash = '';
  url.username = '';
  url.password = '';
  return url;
}

/** Why connecting to `address` for `host` is refused, or `null` when it is allowed. */
function refusal(host: string, address: string, policy: FetchPolicy, network: FetchNetwork): string | null {
  if (policy.allowPrivate || network.exempt?.(address)) return null;
  const what = restrictedAddress(address);
  if (what === null) return null;
  return host === address
    ? `${address} is ${what}: links to the bot's own network are refused`
    : `${host} resolves to ${address}, ${what}: links to the bot's own network are refused`;
}

/** One request, resolving once the response's headers are in. */
function send(
  url: URL,
  policy: FetchPolicy,
  network: FetchNetwork,
  deadline: number,
  headers: Readonly<Record<string, string>>,
): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host) !== 0;
  const refusalFor = (name: string, address: string): string | null => refusal(name, address, policy, network);
  const early = literal ? refusalFor(host, host) : null;
  if (early) return Promise.reject(new FetchRefusal(early));
  // The addresses this request may connect to: those resolved (and checked) here.
  const allowed = new Set<string>(literal ? [host] : []);
  const lookup: LookupFunction = (hostname, options, callback) => {
    network.resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) return callback(new FetchRefusal(`${hostname} has no address`), '', 0);
        for (const { address } of addresses) {
          const refused = refusalFor(hostname, address);
          if (refused) return callback(new FetchRefusal(refused), '', 0);
          allowed.add(address);
        }
        const first = addresses[0] ?? { address: '', family: 4 };
        if (options.all)
          callback(
            null,
            addresses.map((a) => ({ address: a.address, family: a.family })),
          );
        else callback(null, first.address, first.family);
      },
      () => callback(new FetchRefusal(`${hostname} cannot be found (no such host)`), '', 0),
    );
  };
  return new Promise((resolveResponse, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return reject(timedOut(policy));
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'GET',
      agent: false,
      lookup,
      headers: { ...headers, 'user-agent': USER_AGENT, 'accept-encoding': 'gzip, deflate, br' },
    });
    const timer = setTimeout(() => request.destroy(timedOut(policy)), remaining);
    // The address actually connected to, whatever resolved it: no rebinding in between.
    const connectedRefusal = (socket: Socket): string | null => {
      const address = socket.remoteAddress ?? '';
      return allowed.has(address) ? null : refusalFor(host, address);
    };
    request.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        const refused = connectedRefusal(socket);
        if (refused) request.destroy(new FetchRefusal(refused));
      });
    });
    request.on('response', (response) => {
      clearTimeout(timer);
      const refused = connectedRefusal(response.socket);
      if (refused) {
        response.destroy();
        reject(new FetchRefusal(refused));
      } else resolveResponse(response);
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error instanceof FetchRefusal ? error : unreachable(url, error));
    });
    request.end();
  });
}

function timedOut(policy: FetchPolicy): FetchRefusal {
  return new FetchRefusal(`the page took longer than ${policy.timeoutMs / 1000} s to arrive`);
}

function unreachable(url: URL, error: Error): FetchRefusal {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return new FetchRefusal(`${url.host} refused the connection`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new FetchRefusal(`${url.hostname} cannot be found`);
  if (code?.startsWith('ERR_TLS') || code?.includes('CERT'))
    return new FetchRefusal(`${url.host} has no valid certificate (${code})`);
  return new FetchRefusal(`${url.host} could not be reached (${code ?? error.message})`);
}

/** The media type and charset of a `Content-Type` header. */
function contentType(header: string | undefined): { mediaType: string | null; charset: string | null } {
  if (!header) return { mediaType: null, charset: null };
  const [type = '', ...parameters] = header.split(';');
  const charset = parameters
    .map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(p)?.[1])
    .find((value) => value !== undefined);
  return { mediaType: type.trim().toLowerCase() || null, charset: charset ?? null };
}

/** The body, decompressed, refused as soon as it (as received, or decompressed) passes `maxBytes`, or the deadline. */
async function readBody(response: IncomingMessage, policy: FetchPolicy, deadline: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length'] ?? NaN);
  const tooLarge = (): FetchRefusal =>
    new FetchRefusal(`the page is larger than ${formatBytes(policy.maxBytes)} (IMPORT_MAX_BYTES)`);
  const encoding = String(response.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity' && declared > policy.maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const decompress =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : null;
  // pipeline, not pipe: a body cut short fails the read at once instead of waiting for the deadline.
  const stream: Readable = decompress ? pipeline(response, decompress, () => undefined) : response;
  // What arrives counts too, not only what it decompresses to: a stream that decompresses to
  // nothing (an endless gzip comment) would otherwise run until the deadline.
  let received = 0;
  if (decompress)
    response.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > policy.maxBytes) stream.destroy(tooLarge());
    });
  const timer = setTimeout(() => stream.destroy(timedOut(policy)), Math.max(0, deadline - Date.now()));
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > policy.maxBytes) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    throw error instanceof FetchRefusal
      ? error
      : new FetchRefusal(`the page could not be read to its end (${(error as Error).message})`);
  } finally {
    clearTimeout(timer);
    response.destroy();
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

/**
 * The bytes as text in their charset: a byte-order mark's, else the header's, else what the
 * document declares (HTML's `<meta charset>`, XML's `<?xml encoding>`), else UTF-8; a label no
 * decoder knows ("utf-7") is read as UTF-8, as browsers do.
 */
export function decode(bytes: Buffer, declared: string | null, kind: 'html' | 'xml' | null): string {
  const bom =
    bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
      ? 'utf-8'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : bytes[0] === 0xff && bytes[1] === 0xfe
          ? 'utf-16le'
          : null;
  const label =
    bom ??
    declared ??
    (kind === 'html' ? metaCharset(bytes) : kind === 'xml' ? xmlDeclaredCharset(bytes) : null) ??
    'utf-8';
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes);
}

/** The charset an HTML page declares in its first 1,024 bytes, as browsers look for it. */
function metaCharset(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 1024).toString('latin1');
  return (
    /<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)/i.exec(head)?.[1] ??
    /<meta[^>]+content\s*=\s*["'][^"']*charset=([\w:.-]+)/i.exec(head)?.[1] ??
    null
  );
}
