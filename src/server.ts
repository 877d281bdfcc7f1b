import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, CustomRoute } from '@slack/bolt';
import { startSyncSchedule } from './atlassian/schedule';
import { notifierOptionsFromEnv, type SlackConfig, syncIntervalMsFromEnv, workerOptionsFromEnv } from './config';
import { healthRoutes } from './health';
import { JobWorker, type WorkerOptions } from './jobs/worker';
import { log } from './log';
import { metricsRoute, startMetricsServer } from './metrics';
import { createSlackApp } from './slack/app';
import { refuseWhileDraining } from './slack/drain';
import { finishWorkAfterAcks } from './slack/handle';
import { Notifier, type NotifierOptions } from './slack/notifier';
import { eventHandlers, tickers } from './slack/notifier/handlers';
import { bootstrapAdmins } from './slack/roles';

export interface RunningBot {
  app: App;
  /** The HTTP base URL (http://host:port), also in Socket Mode (health and custom routes). */
  url: string;
  /** GET /metrics: on `url`, or on METRICS_PORT's server of its own. */
  metricsUrl: string;
  /** True from the start of drain(): new HTTP requests get 503, /readyz among them. */
  readonly draining: boolean;
  /**
   * SIGTERM: stops taking requests, lets the work after acks and the running chunks finish (within DRAIN_MS),
   * hands unfinished jobs back and stops. Nothing acknowledged is lost either way: it is in the database.
   */
  drain(): Promise<void>;
  /** drain() */
  stop(): Promise<void>;
}

/** How long a drain waits for work in flight before handing it back; the process exits soon after. */
export const DRAIN_MS = 7_000;

export interface BotOptions {
  workerOptions?: Partial<WorkerOptions>;
  notifierOptions?: Partial<NotifierOptions>;
  extraRoutes?: CustomRoute[];
}

/**
 * Starts the bot on an open database connection: the Bolt app, and unless config.runWorkers is false, the job
 * workers and the notifier (outbox events to Slack messages) in this process. `npm start`, the end-to-end tests and the sandbox all start it this way.
 */
export async function startBot(config: SlackConfig, options: BotOptions = {}): Promise<RunningBot> {
  await bootstrapAdmins(config.bootstrapAdmins);
  let draining: Promise<void> | undefined;
  const metricsServer =
    config.metricsPort === undefined ? undefined : await startMetricsServer(config.metricsPort, config.host);
  const routes = [...healthRoutes(() => draining !== undefined), ...(metricsServer ? [] : [metricsRoute])];
  const app = createSlackApp(config, [...routes, ...(options.extraRoutes ?? [])]);
  const started = (await app.start({ port: config.port, host: config.host })) as unknown;
  const server = (config.appToken ? undefined : started) as Server | undefined;
  const port = server ? (server.address() as AddressInfo).port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  const worker = config.runWorkers ? new JobWorker({ ...workerOptionsFromEnv(), ...options.workerOptions }) : undefined;
  worker?.start();
  const notifier = config.runWorkers
    ? new Notifier(app.client, eventHandlers, tickers, { ...notifierOptionsFromEnv(), ...options.notifierOptions })
    : undefined;
  notifier?.start();
  const syncInterval = config.runWorkers ? syncIntervalMsFromEnv() : null;
  const syncs = syncInterval ? startSyncSchedule(syncInterval) : undefined;
  log.info({ url, socketMode: Boolean(config.appToken), workers: Boolean(worker) }, 'bot started');
  if (server) refuseWhileDraining(server, () => draining !== undefined);
  const drain = async () => {
    syncs?.stop();
    // Socket Mode: disconnecting first makes Slack send the next events to another connection.
    if (!server) await app.stop();
    await finishWorkAfterAcks(DRAIN_MS);
    await Promise.all([notifier?.stop(), worker?.stop(DRAIN_MS)]);
    // Idle keep-alive connections would hold the server's close for their timeout.
    server?.closeIdleConnections();
    if (server) await app.stop();
    await metricsServer?.stop();
  };
  const bot: RunningBot = {
    app,
    url,
    metricsUrl: metricsServer?.url ?? `${url}/metrics`,
    get draining() {
      return draining !== undefined;
    },
    drain() {
      draining ??= drain();
      return draining;
    },
    stop: () => bot.drain(),
  };
  return bot;
}
