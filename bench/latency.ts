import { join } from 'node:path';
import { stderr, stdout } from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { derivedPortalCustomerId } from '../src/accounts/ids';
import { PortalCustomer, portalCustomerKeys } from '../src/accounts/models';
import { loadSnapshotFile } from '../src/accounts/snapshot/load';
import { emulatedSlackConfig } from '../src/config';
import { SlackClientSimulator, startSlackEmulator } from '../src/emulator';
import { defaultWorkerOptions } from '../src/jobs/worker';
import { startBot } from '../src/server';
import { CALLBACK } from '../src/slack/actionIds';
import type { Benchmark } from './run';
import { withFreshDatabase } from './support/database';
import { benchSizes } from './support/sizes';

const FIXTURE = join(__dirname, '..', '..', 'test', 'fixtures', 'directory.example.json');
/**
 * The admins who confirm, in turn. Slack takes about one message per second in a conversation, and the bot paces
 * each conversation so (src/slack/notifier/poster.ts): one admin confirming a migration every few hundred
 * milliseconds would time that pacing, not the path from Migrate to the DM. Ten admins in turn put seconds between
 * two DMs of one conversation, as people confirming one by one do.
 */
const ADMINS = Array.from({ length: 10 }, (_, i) => ({
  id: `U0ADMIN${String(i).padStart(4, '0')}`,
  name: `admin${i}`,
  real_name: `Admin ${i}`,
}));
const CHANNEL = { id: 'C0GENERAL01', name: 'general' };
const SIGNING_SECRET = 'bench-signing-secret';
const SITE = 'acme';
const WAIT_MS = 30_000;

export const latencyBenchmark: Benchmark = {
  name: 'latency',
  description: `single migrations one after another through Slack: from Migrate in the modal to the requester's DM`,
  run,
};

/**
 * The real bot (workers and notifier as `npm start` runs them, default poll intervals) on the Slack emulator.
 * Each migration: `/migrate-customer <email> acme`, the preview modal, then the timed part: the signed
 * view_submission of Migrate until the emulator records the bot's DM to the requester about that customer.
 */
async function run(): Promise<void> {
  // LATENCY_BENCH_MIGRATIONS=20 runs fewer.
  const [migrations = 50] = benchSizes('LATENCY_BENCH_MIGRATIONS', [50]);
  stdout.write(`# ${migrations} migrations; worker poll ${defaultWorkerOptions.pollMs} ms (the fallback)\n`);
  const summary = await withFreshDatabase('latency', async () => {
    await loadSnapshotFile(FIXTURE, { actor: { kind: 'system', id: 'bench', name: 'bench' }, correlationId: 'bench' });
    const emails = await seedCustomers(migrations);
    const emulator = await startSlackEmulator({ users: ADMINS, channels: [CHANNEL], rateLimit: false });
    const bot = await startBot(
      emulatedSlackConfig(
        emulator,
        SIGNING_SECRET,
        ADMINS.map((admin) => admin.id),
      ),
    );
    const slack = new SlackClientSimulator({ emulator, appUrl: bot.url, signingSecret: SIGNING_SECRET });
    try {
      const latencies: number[] = [];
      for (const [i, email] of emails.entries()) {
        const admin = ADMINS[i % ADMINS.length] as (typeof ADMINS)[number];
        const before = emulator.state.openViews(admin.id).at(-1)?.id;
        await slack.slashCommand(admin.id, CHANNEL.id, '/migrate-customer', `${email} ${SITE}`);
        const modal = await emulator.state.waitFor(
          () => {
            const top = emulator.state.openViews(admin.id).at(-1);
            return top && top.id !== before && top.callback_id === CALLBACK.migrateCustomer && top.submit && top;
          },
          WAIT_MS,
          `the preview of ${email}`,
        );
        const dmsBefore = emulator.calls.to('chat.postMessage').length;
        const sent = Date.now();
        await slack.submitView(admin.id, modal.id);
        // The emulator records a call after answering it, so this polls the record rather than waiting on state.
        const dm = await recorded(
          () =>
            emulator.calls
              .to('chat.postMessage')
              .slice(dmsBefore)
              .find((call) => String(call.args.channel).startsWith('D') && JSON.stringify(call.args).includes(email)),
          `the DM about ${email}`,
        );
        latencies.push(dm.at.getTime() - sent);
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
      stderr.write(`latency: ${latencies.map((ms) => ms.toFixed(0)).join(' ')}\n`);
      stdout.write(
        `n=${migrations} confirm_to_dm_p50_ms=${at(0.5).toFixed(0)} confirm_to_dm_p99_ms=${at(0.99).toFixed(0)}` +
          ` confirm_to_dm_max_ms=${(sorted[sorted.length - 1] ?? Number.NaN).toFixed(0)}\n`,
      );
      return `confirm_to_dm_p50_ms=${at(0.5).toFixed(0)} confirm_to_dm_p99_ms=${at(0.99).toFixed(0)}`;
    } finally {
      await bot.stop();
      await emulator.stop();
    }
  });
  stdout.write(`${summary}\n`);
}

async function recorded<T>(probe: () => T | undefined, description: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${description} after ${WAIT_MS} ms`);
    await sleep(5);
  }
}

/** Portal-only customers of acme to migrate one by one, inserted in one go. */
async function seedCustomers(count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `latency.${i}@example.com`);
  const docs = emails.map((email, i) => {
    const doc = {
      _id: derivedPortalCustomerId('bench', String(i), SITE),
      site: SITE,
      email,
      displayName: `Latency ${i}`,
      status: 'active' as const,
      invitedToProduct: null,
      migratedTo: null,
      migratedAt: null,
    };
    return { ...doc, ...portalCustomerKeys(doc) };
  });
  await PortalCustomer.collection.insertMany(docs as never[], { ordered: false });
  return emails;
}
