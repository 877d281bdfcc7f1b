import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';

/** The page sends small JSON bodies; anything larger is not the page. */
const MAX_BODY_BYTES = 256 * 1024;

export class BadRequest extends Error {}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('The request body is too large.');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new BadRequest('The request body is not JSON.');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * A JSON route. What the page asked wrongly is a 400; anything else the simulator refused (the app did not ack in
 * 3 s, a view is no longer open) is a 502 with the sentence, which the page shows as Slack shows its own errors.
 */
export function jsonRoute(
  method: 'GET' | 'POST',
  path: string,
  handle: (req: IncomingMessage, url: URL) => Promise<unknown> | unknown,
): CustomRoute {
  return {
    path,
    method,
    handler: async (req, res) => {
      try {
        sendJson(res, 200, await handle(req, new URL(req.url ?? '/', 'http://sandbox')));
      } catch (error) {
        sendJson(res, error instanceof BadRequest ? 400 : 502, { error: (error as Error).message });
      }
    },
  };
}
