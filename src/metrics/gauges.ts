import type Bottleneck from 'bottleneck';
import mongoose from 'mongoose';
import { Gauge } from 'prom-client';
import { Job } from '../jobs/models';
import { OutboxEvent, type OutboxEventDoc } from '../outbox';
import { registry } from './registry';

/**
 * Gauges read when Prometheus scrapes, with cheap queries: equality counts (FerretDB filters them in SQL) and one
 * group over the jobs collection, which holds one small document per job. A database that does not answer within
 * a second leaves them unset for that scrape rather than holding it.
 */

const QUERY_TIMEOUT_MS = 1_000;

async function withinTimeout<T>(query: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), QUERY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([query.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const connected = () => mongoose.connection.readyState === mongoose.ConnectionStates.connected;

new Gauge({
  name: 'accounts_database_up',
  help: '1 while the MongoDB connection is open, 0 while it is lost (the driver reconnects).',
  registers: [registry],
  collect() {
    this.set(connected() ? 1 : 0);
  },
});

new Gauge({
  name: 'accounts_jobs',
  help: 'Jobs in the database, by kind and state (creating, queued, running, succeeded, partly-succeeded, failed, cancelled).',
  labelNames: ['kind', 'state'] as const,
  registers: [registry],
  async collect() {
    if (!connected()) return;
    const groups = await withinTimeout(
      Job.aggregate<{ _id: { kind: string; state: string }; n: number }>([
        { $group: { _id: { kind: '$kind', state: '$state' }, n: { $sum: 1 } } },
      ]).exec(),
    );
    if (!groups) return;
    this.reset();
    for (const { _id, n } of groups) this.set({ kind: _id.kind, state: _id.state }, n);
  },
});

const outboxCount = (state: OutboxEventDoc['delivery']['state']) =>
  withinTimeout(OutboxEvent.collection.countDocuments({ 'delivery.state': state }, { maxTimeMS: QUERY_TIMEOUT_MS }));

new Gauge({
  name: 'accounts_outbox_backlog',
  help: 'Outbox events (job ends, groups to review) not yet delivered to Slack.',
  registers: [registry],
  async collect() {
    const n = connected() ? await outboxCount('pending') : undefined;
    if (n !== undefined) this.set(n);
  },
});

new Gauge({
  name: 'accounts_outbox_dead',
  help: 'Outbox events that reached some of their recipients but not all: a person was told, an operator may look.',
  registers: [registry],
  async collect() {
    const n = connected() ? await outboxCount('undeliverable') : undefined;
    if (n !== undefined) this.set(n);
  },
});

let afterAcks: Bottleneck | undefined;

/** The work after acks (src/slack/handle.ts) reports its queue through this. */
export function meterAfterAckQueue(limiter: Bottleneck): void {
  afterAcks = limiter;
}

new Gauge({
  name: 'slack_after_ack_queue_length',
  help: 'Work after acks waiting for a slot.',
  registers: [registry],
  collect() {
    const counts = afterAcks?.counts();
    this.set(counts ? counts.RECEIVED + counts.QUEUED : 0);
  },
});

new Gauge({
  name: 'slack_after_ack_running',
  help: 'Work after acks running now (at most four).',
  registers: [registry],
  collect() {
    const counts = afterAcks?.counts();
    this.set(counts ? counts.RUNNING + counts.EXECUTING : 0);
  },
});
