import { fork } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stdout } from 'node:process';
import { App } from '@slack/bolt';
import { loadSnapshotFile } from '../src/accounts/snapshot/load';
import { emulatedSlackConfig } from '../src/config';
import { startBot } from '../src/server';
import type { Benchmark } from './run';
import { withFreshDatabase } from './support/database';
import { benchSizes } from './support/sizes';
import { ADMIN, EMAIL, type FromSlackSide, type MeasurePlan, SIGNING_SECRET } from './support/slackSide';

/** The example directory the tests use: jsmith@abc.com has profiles on several sites. */
const FIXTURE = join(__dirname, '..', '..', 'test', 'fixtures', 'directory.example.json');
const WARM_UP = 30;

export const ackBenchmark: Benchmark = {
  name: 'ack',
  description: `time to the HTTP ack of /customer ${EMAIL} through the real bot vs a bare Bolt app, open loop`,
  run,
};

/**
 * The real bot (workers and notifier included, as `npm start` runs it) and a bare Bolt app with the same
 * receiver and a /customer that only acks, both in this process; Slack (the emulator and the simulator timing
 * the acks) in a child process. The bot and the bare app take turns at each rate.
 */
async function run(): Promise<void> {
  // ACK_BENCH_RATES=50,100 picks other request rates (per second); ACK_BENCH_REQUESTS how many at each.
  const rates = benchSizes('ACK_BENCH_RATES', [100, 200]);
  const [requests = 300] = benchSizes('ACK_BENCH_REQUESTS', [300]);
  stdout.write(`# ${requests} commands per rate after ${WARM_UP} to warm up; Slack's side in a child process\n`);
  const last = await withFreshDatabase('ack', async () => {
    await loadSnapshotFile(FIXTURE, { actor: { kind: 'system', id: 'bench', name: 'bench' }, correlationId: 'bench' });
    const slackSide = fork(join(__dirname, 'support', 'slackSide.js'));
    const messages: FromSlackSide[] = [];
    let arrived: () => void = () => {};
    slackSide.on('message', (message: FromSlackSide) => {
      messages.push(message);
      arrived();
    });
    slackSide.on('exit', (code) => {
      messages.push({ type: 'error', message: `it exited (code ${code})` });
      arrived();
    });
    const next = async (): Promise<FromSlackSide> => {
      while (messages.length === 0) await new Promise<void>((resolve) => (arrived = resolve));
      return messages.shift() as FromSlackSide;
    };
    const emulator = await next();
    if (emulator.type !== 'emulator') throw new Error(`the Slack side failed: ${JSON.stringify(emulator)}`);
    const bot = await startBot(emulatedSlackConfig(emulator, SIGNING_SECRET, [ADMIN.id]));
    const bare = new App({
      token: emulator.token,
      signingSecret: SIGNING_SECRET,
      clientOptions: { slackApiUrl: emulator.apiUrl },
    });
    bare.command('/customer', async ({ ack }) => ack());
    const server = (await bare.start({ port: 0, host: '127.0.0.1' })) as Server;
    try {
      const plan: MeasurePlan = {
        bot: bot.url,
        bare: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        rates,
        requests,
        warmUp: WARM_UP,
      };
      slackSide.send(plan);
      let summary = '';
      for (let message = await next(); message.type !== 'done'; message = await next()) {
        if (message.type !== 'result') throw new Error(`the Slack side failed: ${JSON.stringify(message)}`);
        const { rate, bot: ours, bare: baseline } = message;
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
      slackSide.kill();
      await bare.stop();
      await bot.stop();
    }
  });
  stdout.write(`${last}\n`);
}
