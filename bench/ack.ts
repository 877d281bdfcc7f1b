import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stderr, stdout } from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { App } from '@slack/bolt';
import { loadSnapshotFile } from '../src/accounts/snapshot/load';
import { SlackClientSimulator, type SlackEmulator, startSlackEmulator } from '../src/emulator';
import { type RunningBot, startBot } from '../src/server';
import type { Benchmark } from './run';
import { withFreshDatabase } from './support/database';
import { benchSizes } from './support/sizes';

const SIGNING_SECRET = 'bench-signing-secret';
const ADMIN = { id: 'U0ADMIN0001', name: 'ada', real_name: 'Ada Admin' };
const CHANNEL = { id: 'C0GENERAL01', name: 'general' };
const EMAIL = 'jsmith@abc.com';
/** The example directory the tests use: jsmith@abc.com has profiles on several sites. */
const FIXTURE = join(__dirname, '..', '..', 'test', 'fixtures', 'directory.example.json');
const WARM_UP = 30;

export const ackBenchmark: Benchmark = {
  name: 'ack',
  description: `time to the HTTP ack of /customer ${EMAIL} through the real bot vs a bare Bolt app, open loop`,
  run,
};

interface Target {
  name: string;
  slack: SlackClientSimulator;
  /** Resolves once the work a command started after its ack is done, so that phases do not overlap. */
  settled(sent: number): Promise<void>;
}

async function run(): Promise<void> {
  // ACK_BENCH_RATES=50,100 picks other request rates (per second); ACK_BENCH_REQUESTS how many at each.
  const rates = benchSizes('ACK_BENCH_RATES', [100, 200]);
  const [requests = 300] = benchSizes('ACK_BENCH_REQUESTS', [300]);
  stdout.write(`# ${requests} commands per rate after ${WARM_UP} to warm up; bot and bare Bolt alternate\n`);
  const last = await withFreshDatabase('ack', async () => {
    await loadSnapshotFile(FIXTURE, { actor: { kind: 'system', id: 'bench', name: 'bench' }, correlationId: 'bench' });
    // No rate limit: /customer answers through response URLs, which Slack does not limit either.
    const emulator = await startSlackEmulator({ users: [ADMIN], channels: [CHANNEL], rateLimit: false });
    const bot = await startRealBot(emulator);
    const bare = await startBareBolt(emulator);
    try {
      const real = realTarget(emulator, bot);
      for (const target of [real, bare.target]) await measure(target, WARM_UP, WARM_UP * 2);
      let summary = '';
      for (const rate of rates) {
        const ours = await measure(real, requests, rate);
        const baseline = await measure(bare.target, requests, rate);
        const ratio = (ours.p99 / baseline.p99).toFixed(2);
        stdout.write(
          `rate=${rate}/s n=${requests} ack_p50_ms=${ours.p50.toFixed(1)} ack_p99_ms=${ours.p99.toFixed(1)}` +
            ` ack_max_ms=${ours.max.toFixed(1)} bare_bolt_p50_ms=${baseline.p50.toFixed(1)}` +
            ` bare_bolt_p99_ms=${baseline.p99.toFixed(1)} bare_bolt_max_ms=${baseline.max.toFixed(1)} ratio=${ratio}\n`,
        );
        summary = `ack_p99_ms=${ours.p99.toFixed(1)} bare_bolt_p99_ms=${baseline.p99.toFixed(1)} ratio=${ratio}`;
      }
      return summary;
    } finally {
      await bare.stop();
      await bot.stop();
      await emulator.stop();
    }
  });
  stdout.write(`${last}\n`);
}

/** The bot as `npm start` runs it, workers and notifier included, talking to the emulator. */
async function startRealBot(emulator: SlackEmulator): Promise<RunningBot> {
  return startBot({
    botToken: emulator.token,
    signingSecret: SIGNING_SECRET,
    appToken: undefined,
    apiUrl: emulator.apiUrl,
    port: 0,
    host: '127.0.0.1',
    runWorkers: true,
    bootstrapAdmins: [ADMIN.id],
  });
}

function realTarget(emulator: SlackEmulator, bot: RunningBot): Target {
  const replies = () => emulator.calls.to('response_url').length;
  const before = { replies: 0 };
  return {
    name: 'bot',
    slack: new SlackClientSimulator({ emulator, appUrl: bot.url, signingSecret: SIGNING_SECRET }),
    async settled(sent) {
      // Every /customer ends with one reply through its response URL.
      const deadline = Date.now() + 120_000;
      while (replies() - before.replies < sent) {
        if (Date.now() > deadline) throw new Error(`only ${replies() - before.replies} of ${sent} replies came`);
        await sleep(20);
      }
      before.replies = replies();
    },
  };
}

/** Bolt with the same HTTP receiver and one command that only acks: what any Bolt app pays. */
async function startBareBolt(emulator: SlackEmulator): Promise<{ target: Target; stop(): Promise<void> }> {
  const app = new App({
    token: emulator.token,
    signingSecret: SIGNING_SECRET,
    clientOptions: { slackApiUrl: emulator.apiUrl },
  });
  app.command('/customer', async ({ ack }) => ack());
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const slack = new SlackClientSimulator({ emulator, appUrl, signingSecret: SIGNING_SECRET });
  return {
    target: { name: 'bare Bolt', slack, settled: async () => {} },
    stop: async () => {
      await app.stop();
    },
  };
}

interface Latencies {
  p50: number;
  p99: number;
  max: number;
}

/**
 * Sends `count` commands at `rate` per second on a fixed schedule (open loop: a slow ack does not delay the
 * next request, as with real users) and measures each one's time to its ack.
 */
async function measure(target: Target, count: number, rate: number): Promise<Latencies> {
  const started = performance.now();
  const latencies = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await sleep(Math.max(0, started + (i * 1000) / rate - performance.now()));
      const sent = performance.now();
      const ack = await target.slack.slashCommand(ADMIN.id, CHANNEL.id, '/customer', EMAIL);
      const ms = performance.now() - sent;
      if (ack.status !== 200) throw new Error(`${target.name} answered HTTP ${ack.status}: ${ack.text}`);
      return ms;
    }),
  );
  await target.settled(count);
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  stderr.write(
    `ack: ${target.name} at ${rate}/s: ${count} acks in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}
