import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, CustomRoute } from '@slack/bolt';
import { type SlackConfig, workerOptionsFromEnv } from './config';
import { healthRoutes } from './health';
import { JobWorker, type WorkerOptions } from './jobs/worker';
import { log } from './log';
import { metricsRoute, startMetricsServer } from './metrics';
import { createSlackApp } from './slack/app';
import { Notifier, type NotifierOptions } from './slack/notifier';
import { eventHandlers, tickers } from './slack/notifier/handlers';
import { bootstrapAdmins } from './slack/roles';

export interface RunningBot {
  app: App;
  /** The HTTP base URL (http://host:port), also in Socket Mode (health and custom routes). */
  url: string;
  /** GET /metrics: on `url`, or on METRICS_PORT's server of its own. */
  metricsUrl: string;
  /** True once stop() began: /readyz answers 503 so that traffic goes to the other processes. */
  readonly draining: boolean;
  stop(): Promise<void>;
}

export interface BotOptions {
  workerOptions?: Partial<WorkerOptions>;
  notifierOptions?: NotifierOptions;
  extraRoutes?: CustomRoute[];
}

/**
 * Starts the bot on an open database connection: the Bolt app, and unless config.runWorkers is false, the job
 * workers and the notifier (outbox events to Slack messages) in this process. `npm start`, the end-to-end tests and the sandbox all start it this way.
 */
export async function startBot(config: SlackConfig, options: BotOptions = {}): Promise<RunningBot> {
  await bootstrapAdmins(config.bootstrapAdmins);
  let draining = false;
  const metricsServer =
    config.metricsPort === undefined ? undefined : await startMetricsServer(config.metricsPort, config.host);
  const routes = [...healthRoutes(() => draining), ...(metricsServer ? [] : [metricsRoute])];
  const app = createSlackApp(config, [...routes, ...(options.extraRoutes ?? [])]);
  const started = (await app.start({ port: config.port, host: config.host })) as unknown;
  const server = (config.appToken ? undefined : started) as Server | undefined;
  const port = server ? (server.address() as AddressInfo).port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  const worker = config.runWorkers ? new JobWorker({ ...workerOptionsFromEnv(), ...options.workerOptions }) : undefined;
  worker?.start();
  const notifier = config.runWorkers
    ? new Notifier(app.client, eventHandlers, tickers, options.notifierOptions)
    : undefined;
  notifier?.start();
  log.info({ url, socketMode: Boolean(config.appToken), workers: Boolean(worker) }, 'bot started');
  return {
    app,
    url,
    metricsUrl: metricsServer?.url ?? `${url}/metrics`,
    get draining() {
      return draining;
    },
    async stop() {
      draining = true;
      await notifier?.stop();
      await worker?.stop();
      await app.stop();
      await metricsServer?.stop();
    },
  };
}
