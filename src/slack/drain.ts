import type { Server } from 'node:http';

/**
 * While the bot drains (SIGTERM), new HTTP requests get 503 with Retry-After, so that Slack retries them on
 * another process, and keep-alive connections are closed behind their answers. Health and Slack requests alike:
 * a load balancer stops sending here.
 */
export function refuseWhileDraining(server: Server, draining: () => boolean): void {
  const listeners = server.listeners('request') as ((...args: unknown[]) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request, response) => {
    if (!draining()) {
      for (const listener of listeners) listener.call(server, request, response);
      return;
    }
    response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1', connection: 'close' });
    response.end('The bot is shutting down; try again.\n');
  });
}
