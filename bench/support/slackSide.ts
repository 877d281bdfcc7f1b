import { stderr } from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { SlackClientSimulator, type SlackEmulator, startSlackEmulator } from '../../src/emulator';

/**
 * Slack's side of the ack benchmark, run in a child process so that its work (signing requests, validating the
 * bot's replies) does not share an event loop with the apps being timed: the Web API emulator, and a simulator
 * that sends `/customer` commands to the apps on a fixed schedule and times each one's HTTP ack.
 */

export const ADMIN = { id: 'U0ADMIN0001', name: 'ada', real_name: 'Ada Admin' };
const CHANNEL = { id: 'C0GENERAL01', name: 'general' };
export const EMAIL = 'jsmith@abc.com';
export const SIGNING_SECRET = 'bench-signing-secret';

export interface Latencies {
  p50: number;
  p99: number;
  max: number;
}

export interface MeasurePlan {
  /** Where the real bot and the bare Bolt app listen. */
  bot: string;
  bare: string;
  rates: number[];
  requests: number;
  warmUp: number;
}

export type FromSlackSide =
  | { type: 'emulator'; apiUrl: string; token: string }
  | { type: 'result'; rate: number; bot: Latencies; bare: Latencies }
  | { type: 'done' }
  | { type: 'error'; message: string };

const send = (message: FromSlackSide) => process.send?.(message);

async function main(): Promise<void> {
  // No rate limit: /customer answers through response URLs, which Slack does not limit either.
  const emulator = await startSlackEmulator({ users: [ADMIN], channels: [CHANNEL], rateLimit: false });
  process.once('message', (plan: MeasurePlan) => {
    measureAll(emulator, plan)
      .catch((error: Error) => send({ type: 'error', message: error.stack ?? error.message }))
      .finally(() => emulator.stop().then(() => process.disconnect()));
  });
  send({ type: 'emulator', apiUrl: emulator.apiUrl, token: emulator.token });
}

async function measureAll(emulator: SlackEmulator, plan: MeasurePlan): Promise<void> {
  const simulator = (appUrl: string) => new SlackClientSimulator({ emulator, appUrl, signingSecret: SIGNING_SECRET });
  let replied = 0;
  const settled = async (sent: number) => {
    replied = await repliesArrive(emulator, replied + sent);
  };
  const bot = { name: 'bot', slack: simulator(plan.bot), settled };
  const bare = { name: 'bare Bolt', slack: simulator(plan.bare), settled: async () => {} };
  for (const target of [bot, bare]) await measure(target, plan.warmUp, plan.warmUp * 2);
  for (const rate of plan.rates) {
    send({
      type: 'result',
      rate,
      bot: await measure(bot, plan.requests, rate),
      bare: await measure(bare, plan.requests, rate),
    });
  }
  send({ type: 'done' });
}

/**
 * Every /customer ends with one reply through its response URL: waits for the replies to this phase's commands,
 * so that the bot's work after the acks of one phase does not slow the next. Returns how many replies came.
 */
async function repliesArrive(emulator: SlackEmulator, expected: number): Promise<number> {
  const replies = () => emulator.calls.to('response_url').length;
  const deadline = Date.now() + 120_000;
  while (replies() < expected) {
    if (Date.now() > deadline) throw new Error(`only ${replies()} of ${expected} replies came`);
    await sleep(20);
  }
  return replies();
}

interface Target {
  name: string;
  slack: SlackClientSimulator;
  settled(sent: number): Promise<void>;
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
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  stderr.write(`ack: ${target.name} at ${rate}/s: ${count} acks, all replies in ${seconds} s\n`);
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

if (require.main === module) void main();
