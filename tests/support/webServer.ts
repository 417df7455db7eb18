import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the local web server answers at one path. */
export type Route = (request: IncomingMessage, response: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 for tests that fetch from the web: pages, redirects, slow and huge bodies. */
export interface WebServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `origin` + `path`. */
  url(path: string): string;
  /** Answers `path` with `route` from now on. */
  route(path: string, route: Route): void;
  /** Every path requested so far, in order. */
  requested: string[];
  close(): Promise<void>;
}

/** A route answering `body` with `contentType`. */
export function page(body: string | Buffer, contentType = 'text/html; charset=utf-8', status = 200): Route {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    response.end(body);
  };
}

/** A route redirecting to `location`. */
export function redirect(location: string, status = 302): Route {
  return (_request, response) => {
    response.writeHead(status, { location });
    response.end();
  };
}

/** Starts a web server on 127.0.0.1 with `routes`; anything else answers 404. */
export async function startWebServer(routes: Record<string, Route> = {}): Promise<WebServer> {
  const table = new Map(Object.entries(routes));
  const requested: string[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    requested.push(request.url ?? '/');
    open.add(response);
    response.on('close', () => open.delete(response));
    const route = table.get(path);
    if (route) route(request, response);
    else page('not here', 'text/plain', 404)(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    route: (path, route) => table.set(path, route),
    requested,
    close: () =>
      new Promise((resolve) => {
        for (const response of open) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
