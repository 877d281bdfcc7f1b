import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { SlackEmulator, StateChange } from '../emulator';

/** Browsers and proxies drop an idle stream; a comment line now and then keeps it open. */
const KEEP_ALIVE_MS = 15_000;

export interface ChangeStream {
  route: CustomRoute;
  /** Ends every open stream: the HTTP server cannot stop while one is open. */
  close(): void;
}

/**
 * GET /sandbox/api/changes: server-sent events, one per change in the emulator (a message posted or updated in
 * place, a modal opened, updated or closed, an App Home published), saying where it happened. The page then asks
 * for what changed, so the stream carries no content of its own.
 */
export function changeStream(emulator: SlackEmulator): ChangeStream {
  const open = new Set<ServerResponse>();
  const route: CustomRoute = {
    path: '/sandbox/api/changes',
    method: 'GET',
    handler: (req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write('retry: 1000\n\n');
      const stop = emulator.state.on((change) => res.write(`data: ${JSON.stringify(whereOf(change))}\n\n`));
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      open.add(res);
      req.once('close', () => {
        stop();
        clearInterval(keepAlive);
        open.delete(res);
      });
    },
  };
  return {
    route,
    close() {
      for (const res of open) res.end();
    },
  };
}

function whereOf(change: StateChange): { type: string; channel?: string; user?: string } {
  switch (change.type) {
    case 'message_posted':
    case 'message_updated':
    case 'message_deleted':
      return { type: change.type, channel: change.message.channel, user: change.message.visibleTo };
    case 'file_shared':
      return { type: change.type };
    default:
      return { type: change.type, user: change.user };
  }
}
