import type { CustomRoute } from '@slack/bolt';
import mongoose from 'mongoose';
import { databaseState } from './db/connection';

/** A load balancer's probe should answer fast: a database that takes longer than this is not answering. */
const PING_TIMEOUT_MS = 1_000;

/** The database answered a ping within PING_TIMEOUT_MS (what /healthz reports). */
export async function databaseAnswers(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (databaseState() !== 'connected' || !db) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  const ping = db
    .admin()
    .command({ ping: 1 })
    .then((reply) => reply.ok === 1)
    .catch(() => false);
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const json = (res: Parameters<CustomRoute['handler']>[1], status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/**
 * GET /healthz: `ok` (200) only when the database answers a ping within a second, else 503: restart or alert.
 * GET /readyz: whether this process takes Slack requests (200), or is draining for a deploy (503): route elsewhere.
 */
export function healthRoutes(isDraining: () => boolean): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: async (_req, res) => {
        const ok = await databaseAnswers();
        json(res, ok ? 200 : 503, { status: ok ? 'ok' : 'database not answering', database: databaseState() });
      },
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req, res) => {
        const draining = isDraining();
        json(res, draining ? 503 : 200, { ready: !draining, draining });
      },
    },
  ];
}
