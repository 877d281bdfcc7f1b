import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject } from './json';

export interface EmulatorRequest {
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The capture groups of the route's path pattern. */
  params: string[];
}

export interface Reply {
  status: number;
  body: JsonObject | string | Buffer;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  handle(request: EmulatorRequest): Reply | Promise<Reply>;
}

export async function listen(host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host}:${address.port}` };
}

export function serve(server: Server, routes: readonly Route[]): void {
  server.on('request', async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const match = routes
      .filter((route) => route.method === req.method)
      .map((route) => ({ route, params: route.path.exec(url.pathname) }))
      .find(({ params }) => params !== null);
    let reply: Reply;
    try {
      const body = await readBody(req);
      reply = match?.params
        ? await match.route.handle({ url, headers: req.headers, body, params: match.params.slice(1) })
        : { status: 404, body: { ok: false, error: 'not_found' } };
    } catch (error) {
      reply = { status: 500, body: { ok: false, error: 'internal_error', detail: String(error) } };
    }
    const isJson = !(typeof reply.body === 'string' || Buffer.isBuffer(reply.body));
    const contentType = isJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
    res.writeHead(reply.status, { 'Content-Type': contentType, ...reply.headers });
    res.end(isJson ? JSON.stringify(reply.body) : reply.body);
  });
}

/** Stops listening and drops kept-alive connections, so a test run can end. */
export async function close(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  server.closeAllConnections();
  await closed;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
