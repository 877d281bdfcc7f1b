import { z } from 'zod';
import { type WorkerOptions, defaultWorkerOptions as worker } from './jobs/worker';

/**
 * Every setting the process reads from its environment, in one place; the README's configuration table lists
 * the same names. A bad value stops the process with one sentence naming the variable.
 */

const count = (name: string) =>
  z.coerce
    .number({ message: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .positive(`${name} must be at least 1`);

const jobsSchema = z.object({
  JOB_LEASE_MS: count('JOB_LEASE_MS').default(worker.leaseMs),
  JOB_POLL_MS: count('JOB_POLL_MS').default(worker.pollMs),
  JOB_CHUNK_SIZE: count('JOB_CHUNK_SIZE').default(worker.chunkSize),
  WORKER_MAX_JOBS: count('WORKER_MAX_JOBS').default(worker.maxJobs),
  MIGRATIONS_MAX_CONCURRENT: count('MIGRATIONS_MAX_CONCURRENT').default(worker.limits.total),
  MIGRATIONS_MAX_PER_SITE: count('MIGRATIONS_MAX_PER_SITE').default(worker.limits.perSite),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses part of the environment; empty variables count as unset. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) throw new ConfigError(`${parsed.error.issues.map((i) => i.message).join('; ')}.`);
  return parsed.data;
}

export function workerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerOptions {
  const c = parseEnv(jobsSchema, env);
  return {
    leaseMs: c.JOB_LEASE_MS,
    pollMs: c.JOB_POLL_MS,
    chunkSize: c.JOB_CHUNK_SIZE,
    maxJobs: c.WORKER_MAX_JOBS,
    limits: { total: c.MIGRATIONS_MAX_CONCURRENT, perSite: c.MIGRATIONS_MAX_PER_SITE },
  };
}

const metricsPort = z.coerce
  .number({ message: 'METRICS_PORT must be a port number' })
  .int()
  .min(0)
  .max(65535)
  .optional();

/** METRICS_PORT, for processes without the bot's HTTP port (`accounts worker`). */
export function metricsPortFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return parseEnv(z.object({ METRICS_PORT: metricsPort }), env).METRICS_PORT;
}

const slackSchema = z.object({
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'SLACK_BOT_TOKEN must be a bot token (xoxb-…)').optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'SLACK_APP_TOKEN must be an app-level token (xapp-…)').optional(),
  SLACK_API_URL: z.url('SLACK_API_URL must be a URL such as http://127.0.0.1:4000/api/').optional(),
  PORT: z.coerce.number({ message: 'PORT must be a port number' }).int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  METRICS_PORT: metricsPort,
  RUN_WORKERS: z.enum(['true', 'false'], 'RUN_WORKERS must be true or false').default('true'),
  BOOTSTRAP_ADMINS: z
    .string()
    .regex(
      /^\s*[UW][A-Z0-9]+(\s*,\s*[UW][A-Z0-9]+)*\s*$/,
      'BOOTSTRAP_ADMINS must be Slack user ids separated by commas',
    )
    .optional(),
});

export interface SlackConfig {
  botToken: string;
  /** HTTP mode verifies requests with it; Socket Mode does not need it. */
  signingSecret: string | undefined;
  /** Set: Socket Mode instead of the HTTP receiver. */
  appToken: string | undefined;
  /** Another Web API base URL (the local emulator); Slack's own when unset. */
  apiUrl: string | undefined;
  port: number;
  host: string;
  /** Set: GET /metrics on this port of its own (0: any free one) instead of on `port`. */
  metricsPort?: number;
  /** Run the job workers and the notifier in this process (false for a web-only instance). */
  runWorkers: boolean;
  bootstrapAdmins: string[];
}

/** The bot on a free loopback port, workers included, talking to a local Slack emulator (tests, benchmarks). */
export const emulatedSlackConfig = (
  slack: { token: string; apiUrl: string },
  signingSecret: string,
  bootstrapAdmins: string[],
): SlackConfig => ({
  botToken: slack.token,
  signingSecret,
  appToken: undefined,
  apiUrl: slack.apiUrl,
  port: 0,
  host: '127.0.0.1',
  runWorkers: true,
  bootstrapAdmins,
});

/** What is missing to talk to Slack, as one sentence; null when the bot can start. */
export function missingSlackSettings(env: NodeJS.ProcessEnv = process.env): string | null {
  const c = parseEnv(slackSchema, env);
  const missing = [
    c.SLACK_BOT_TOKEN ? null : 'SLACK_BOT_TOKEN',
    c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN ? null : 'SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)',
  ].filter(Boolean);
  return missing.length
    ? `Set ${missing.join(' and ')} to connect the bot to Slack (see the README's configuration table).`
    : null;
}

export function slackConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SlackConfig {
  const c = parseEnv(slackSchema, env);
  const missing = missingSlackSettings(env);
  if (missing || !c.SLACK_BOT_TOKEN) throw new ConfigError(missing ?? 'Set SLACK_BOT_TOKEN.');
  return {
    botToken: c.SLACK_BOT_TOKEN,
    signingSecret: c.SLACK_SIGNING_SECRET,
    appToken: c.SLACK_APP_TOKEN,
    apiUrl: c.SLACK_API_URL,
    port: c.PORT,
    host: c.HOST,
    metricsPort: c.METRICS_PORT,
    runWorkers: c.RUN_WORKERS === 'true',
    bootstrapAdmins: (c.BOOTSTRAP_ADMINS ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  };
}
