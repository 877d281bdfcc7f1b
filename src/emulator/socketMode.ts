import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { isJsonObject, type JsonObject } from './json';

/**
 * Slack's Socket Mode, as @slack/socket-mode's client speaks it: `apps.connections.open` (with an app-level token)
 * hands out a single-use WebSocket URL; on connecting the app gets `hello`; requests come as envelopes
 * (`slash_commands`, `interactive`, `events_api`) with an `envelope_id` the app acks, with a response payload where
 * Slack accepts one; `disconnect` (with its reason) asks the app to reconnect, which it does through
 * `apps.connections.open` again. Slack also pings the connection; the client drops one that stays silent.
 */

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** The app's ack of an envelope: the payload it sent back (`{}` for a bare ack). */
export type EnvelopeAck = JsonObject;

const PATH = '/link/';
const PING_MS = 10_000;

export class SocketModeHub {
  private readonly tickets = new Set<string>();
  private readonly sockets: WebSocket[] = [];
  private readonly waiting = new Map<string, (ack: EnvelopeAck) => void>();
  private readonly connectedWaiters: (() => void)[] = [];
  private readonly server = new WebSocketServer({ noServer: true });
  private next = 0;
  /** Connections ever opened, for tests of reconnection. */
  opened = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly appId: string,
  ) {}

  /** Listens for upgrades on the emulator's HTTP server. */
  attach(http: Server): void {
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== PATH || !this.tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      this.server.handleUpgrade(req, socket, head, (ws) => this.connected(ws));
    });
  }

  /** apps.connections.open's answer: a WebSocket URL good for one connection. */
  issueUrl(): string {
    const ticket = randomBytes(12).toString('hex');
    this.tickets.add(ticket);
    return `${this.baseUrl.replace(/^http/, 'ws')}${PATH}?ticket=${ticket}&app_id=${this.appId}`;
  }

  get connections(): number {
    return this.sockets.length;
  }

  /** Resolves once the app holds at least one connection (after `hello`). */
  whenConnected(): Promise<void> {
    if (this.sockets.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /** Sends an envelope on one of the app's connections (in turn) and resolves with the app's ack. */
  async deliver(type: EnvelopeType, payload: JsonObject, timeoutMs: number, retry?: { num: number; reason: string }) {
    await this.whenConnected();
    const socket = this.sockets[this.next++ % this.sockets.length] as WebSocket;
    const envelopeId = `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(6).toString('hex')}`;
    const acked = new Promise<EnvelopeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(envelopeId);
        reject(new Error(`The app did not acknowledge within ${timeoutMs} ms; Slack would show the user an error`));
      }, timeoutMs);
      this.waiting.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api' ? { retry_attempt: retry?.num ?? 0, retry_reason: retry?.reason ?? '' } : {}),
      }),
    );
    return acked;
  }

  /** Slack recycling the connection: `disconnect` with its reason (`warning`, `refresh_requested`, `link_disabled`). */
  disconnect(reason = 'refresh_requested'): void {
    for (const socket of this.sockets) {
      socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'emulator' } }));
    }
  }

  /** Closes every connection with a close handshake (the client waits 30 s for one), cut after a second. */
  async close(): Promise<void> {
    await Promise.all(
      this.sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            const cut = setTimeout(() => socket.terminate(), 1_000);
            socket.once('close', () => {
              clearTimeout(cut);
              resolve();
            });
            socket.close(1001, 'emulator stopping');
          }),
      ),
    );
    this.server.close();
  }

  private connected(ws: WebSocket): void {
    this.opened++;
    this.sockets.push(ws);
    const ping = setInterval(() => ws.ping(), PING_MS);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return; // Slack ignores what it cannot read; the envelope then times out
      }
      if (!isJsonObject(message) || typeof message.envelope_id !== 'string') return;
      const payload = isJsonObject(message.payload) ? message.payload : {};
      this.waiting.get(message.envelope_id)?.(payload);
      this.waiting.delete(message.envelope_id);
    });
    ws.on('close', () => {
      clearInterval(ping);
      this.sockets.splice(this.sockets.indexOf(ws), 1);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.length,
        debug_info: { host: 'emulator', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: this.appId },
      }),
    );
    for (const resolve of this.connectedWaiters.splice(0)) resolve();
  }
}
