import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { AnyMiddlewareArgs, CustomRoute, Middleware } from '@slack/bolt';
import type { JobEndedEvent } from '../jobs/finish';
import { log } from '../log';
import './gauges';
import {
  ackDuration,
  afterAckWait,
  jobItems,
  jobsEnded,
  registry,
  slackApiCalls,
  slackApiRateLimited,
  slackApiRetryAfter,
} from './registry';

export { meterAfterAckQueue } from './gauges';
export { registry } from './registry';

/** The hooks the bot calls; each is a few arithmetic operations, so metrics never slow an ack. */

const RECEIVED = 'metricsReceivedAt';

/** The first global middleware: when Bolt dispatched the request (after reading and verifying it). */
export const markReceived: Middleware<AnyMiddlewareArgs> = async ({ context, next }) => {
  context[RECEIVED] = performance.now();
  await next();
};

export type RequestKind = 'slash_command' | 'block_action' | 'view_submission';

/** Call right after ack(): the time since markReceived, by kind. */
export function observeAck(kind: RequestKind, context: Record<string, unknown>): void {
  const received = context[RECEIVED];
  if (typeof received === 'number') ackDuration.observe({ kind }, (performance.now() - received) / 1000);
}

/** Wraps work queued after an ack so that the wait for its slot is measured when it starts. */
export function timedAfterAck<T>(work: () => Promise<T>): () => Promise<T> {
  const queuedAt = performance.now();
  return () => {
    afterAckWait.observe((performance.now() - queuedAt) / 1000);
    return work();
  };
}

/** A job's end, counted once: by the process that recorded it (finishJob's first publish). */
export function countJobEnd(ended: JobEndedEvent): void {
  jobsEnded.inc({ kind: ended.kind, outcome: ended.outcome });
  const outcomes = {
    succeeded: ended.succeeded,
    refused: ended.refused,
    failed: ended.failed,
    not_processed: ended.notProcessed,
  };
  for (const [outcome, n] of Object.entries(outcomes)) if (n > 0) jobItems.inc({ kind: ended.kind, outcome }, n);
}

/** The Web API method of a request URL (…/api/chat.postMessage); file upload URLs count as 'upload'. */
function apiMethod(url: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  return /^[a-zA-Z]+(\.[a-zA-Z]+)+$/.test(last) ? last : 'upload';
}

/**
 * The WebClient's fetch (clientOptions.fetch): every HTTP request of every WebClient Bolt makes, retries
 * included, counted by method and outcome, with the 429s and the Retry-After they ask for.
 */
export const meteredFetch: typeof fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const method = apiMethod(url);
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch (error) {
    slackApiCalls.inc({ method, outcome: 'network_error' });
    throw error;
  }
  if (response.status === 429) {
    slackApiCalls.inc({ method, outcome: 'rate_limited' });
    slackApiRateLimited.inc({ method });
    const seconds = Number(response.headers.get('retry-after'));
    if (Number.isFinite(seconds) && seconds > 0) slackApiRetryAfter.inc({ method }, seconds);
  } else if (response.status !== 200) {
    slackApiCalls.inc({ method, outcome: `http_${response.status}` });
  } else if (method === 'upload') {
    slackApiCalls.inc({ method, outcome: 'ok' });
  } else {
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { ok?: boolean; error?: string } | null;
    // Slack's error codes are snake_case words (channel_not_found); anything else is not trusted as a label.
    const error = typeof body?.error === 'string' && /^[a-z_]{1,60}$/.test(body.error) ? body.error : 'error';
    slackApiCalls.inc({ method, outcome: body?.ok ? 'ok' : error });
  }
  return response;
};

async function metricsText(): Promise<string> {
  return registry.metrics();
}

/** GET /metrics on the bot's own port (when METRICS_PORT is not set). */
export const metricsRoute: CustomRoute = {
  path: '/metrics',
  method: ['GET'],
  handler: async (_req, res) => {
    const text = await metricsText();
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(text);
  },
};

export interface MetricsServer {
  url: string;
  stop(): Promise<void>;
}

/** GET /metrics on a port of its own (METRICS_PORT), so that the bot's public port does not show them. */
export async function startMetricsServer(port: number, host: string): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metricsText().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
      (error: unknown) => {
        log.error({ err: error }, 'metrics scrape failed');
        res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}/metrics`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
