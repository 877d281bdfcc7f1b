import { z } from 'zod';
import { type WorkerOptions, defaultWorkerOptions as worker } from './jobs/worker';
import { type NotifierOptions, defaultNotifierOptions as notifier } from './slack/notifier';

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
  JOB_MAX_FAILURES: count('JOB_MAX_FAILURES').default(worker.maxFailures),
});

const notifierSchema = z.object({
  OUTBOX_MAX_ATTEMPTS: count('OUTBOX_MAX_ATTEMPTS').default(notifier.retry.maxAttempts),
  OUTBOX_RETRY_MS: count('OUTBOX_RETRY_MS').default(notifier.retry.baseMs),
  REVIEW_REMINDER_HOURS: z.coerce
    .number({ message: 'REVIEW_REMINDER_HOURS must be a number' })
    .positive('REVIEW_REMINDER_HOURS must be more than 0')
    .default(notifier.reviewReminderMs / 3_600_000),
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
    maxFailures: c.JOB_MAX_FAILURES,
  };
}

export function notifierOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): NotifierOptions {
  const c = parseEnv(notifierSchema, env);
  return {
    ...notifier,
    retry: { maxAttempts: c.OUTBOX_MAX_ATTEMPTS, baseMs: c.OUTBOX_RETRY_MS },
    reviewReminderMs: c.REVIEW_REMINDER_HOURS * 3_600_000,
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

/** The Slack settings that are missing to talk to Slack. */
function missingSlackNames(env: NodeJS.ProcessEnv): string[] {
  const c = parseEnv(slackSchema, env);
  return [
    c.SLACK_BOT_TOKEN ? null : 'SLACK_BOT_TOKEN',
    c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN ? null : 'SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)',
  ].filter((name) => name !== null);
}

/** What is missing to talk to Slack, as one sentence; null when the bot can start. */
export function missingSlackSettings(env: NodeJS.ProcessEnv = process.env): string | null {
  const missing = missingSlackNames(env);
  return missing.length
    ? `Set ${missing.join(' and ')} to connect the bot to Slack (see the README's configuration table).`
    : null;
}

/** Where the database is, for the start-up log line: hosts and database name, never credentials. */
export interface DatabaseChoice {
  /** MONGODB_URI; undefined: an embedded server, which only a non-production start may use. */
  uri: string | undefined;
  allowEmbedded: boolean;
  hosts: string;
  /** The database named in the URI, or `accounts`. */
  name: string;
}

const DEFAULT_DB = 'accounts';

/** The one place that decides which database the process uses: in production only MONGODB_URI. */
export function databaseChoice(env: NodeJS.ProcessEnv = process.env): DatabaseChoice {
  const uri = env.MONGODB_URI || undefined;
  const allowEmbedded = env.NODE_ENV !== 'production';
  if (!uri) return { uri, allowEmbedded, hosts: 'embedded mongodb-memory-server', name: DEFAULT_DB };
  // mongodb://user:pass@h1:27017,h2:27017/name?options — parsed by hand, as a URL cannot hold several hosts.
  const match = /^[a-z+]+:\/\/(?:[^@/]*@)?([^/?]*)(?:\/([^?]*))?/i.exec(uri);
  return {
    uri,
    allowEmbedded,
    hosts: match?.[1] || 'unknown host',
    name: decodeURIComponent(match?.[2] ?? '') || DEFAULT_DB,
  };
}

export type StartMode = { mode: 'slack-http' | 'socket-mode'; slack: SlackConfig } | { mode: 'sandbox' };

/**
 * What `npm start` runs, failing closed: the sandbox only outside production and without SLACK_BOT_TOKEN; in
 * production every setting it needs (MONGODB_URI and Slack's) or one sentence naming what is missing.
 */
export function startMode(env: NodeJS.ProcessEnv = process.env): StartMode {
  const production = env.NODE_ENV === 'production';
  if (!production && !env.SLACK_BOT_TOKEN) return { mode: 'sandbox' };
  if (production) {
    const missing = [...(env.MONGODB_URI ? [] : ['MONGODB_URI']), ...missingSlackNames(env)];
    if (missing.length) {
      throw new ConfigError(
        `NODE_ENV is production, so there is no embedded database and no sandbox: set ${missing.join(' and ')}.`,
      );
    }
  }
  const slack = slackConfigFromEnv(env);
  return { mode: slack.appToken ? 'socket-mode' : 'slack-http', slack };
}

const sandboxSchema = z.object({ SANDBOX_HOST: z.string().default('127.0.0.1') });

/** The sandbox page answers as any of its people, an org-admin among them: loopback only, unless asked. */
export const sandboxHost = (env: NodeJS.ProcessEnv = process.env) => parseEnv(sandboxSchema, env).SANDBOX_HOST;

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

const atlassianSchema = z.object({
  ATLASSIAN_EMAIL: z
    .email('ATLASSIAN_EMAIL must be the email of the Atlassian account that owns the API token')
    .optional(),
  ATLASSIAN_API_TOKEN: z.string().optional(),
  ATLASSIAN_ORG_ID: z.string().optional(),
  ATLASSIAN_ADMIN_API_KEY: z.string().optional(),
  ATLASSIAN_SITE_BASE_URL: z
    .string()
    .refine(
      (url) => url.includes('{host}') && URL.canParse(url.replace('{host}', 'example.atlassian.net')),
      'ATLASSIAN_SITE_BASE_URL must be a URL containing {host}, such as https://{host}',
    )
    .default('https://{host}'),
  ATLASSIAN_ADMIN_BASE_URL: z
    .url('ATLASSIAN_ADMIN_BASE_URL must be a URL such as https://api.atlassian.com')
    .default('https://api.atlassian.com'),
  ATLASSIAN_SYNC_INTERVAL: z.coerce
    .number({ message: 'ATLASSIAN_SYNC_INTERVAL must be a number of minutes' })
    .int('ATLASSIAN_SYNC_INTERVAL must be a whole number of minutes')
    .positive('ATLASSIAN_SYNC_INTERVAL must be at least 1 (minutes)')
    .optional(),
});

/** How to reach Atlassian Cloud. The secrets live only here, in memory: never logged, never stored. */
export interface AtlassianConfig {
  /** Basic auth for the site REST APIs. */
  email: string;
  apiToken: string;
  /** The site base URL with {host} to fill in (tests point it at the local emulator). */
  siteBaseUrl: string;
  /** The organization Admin API, with its Bearer key; null without ATLASSIAN_ADMIN_API_KEY. */
  admin: { baseUrl: string; orgId: string; apiKey: string } | null;
  /** Minutes between automatic syncs of every connected site; null: only on demand. */
  syncIntervalMinutes: number | null;
}

/** The Atlassian settings; throws a ConfigError naming what is missing for the site APIs. */
export function atlassianConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AtlassianConfig {
  const c = parseEnv(atlassianSchema, env);
  if (!c.ATLASSIAN_EMAIL || !c.ATLASSIAN_API_TOKEN) {
    throw new ConfigError(
      'Set ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN (an API token of an Atlassian account that can browse the site) to connect to Atlassian.',
    );
  }
  if (Boolean(c.ATLASSIAN_ADMIN_API_KEY) !== Boolean(c.ATLASSIAN_ORG_ID)) {
    throw new ConfigError('Set ATLASSIAN_ORG_ID and ATLASSIAN_ADMIN_API_KEY together, or neither.');
  }
  return {
    email: c.ATLASSIAN_EMAIL,
    apiToken: c.ATLASSIAN_API_TOKEN,
    siteBaseUrl: c.ATLASSIAN_SITE_BASE_URL,
    admin:
      c.ATLASSIAN_ADMIN_API_KEY && c.ATLASSIAN_ORG_ID
        ? { baseUrl: c.ATLASSIAN_ADMIN_BASE_URL, orgId: c.ATLASSIAN_ORG_ID, apiKey: c.ATLASSIAN_ADMIN_API_KEY }
        : null,
    syncIntervalMinutes: c.ATLASSIAN_SYNC_INTERVAL ?? null,
  };
}

/** ATLASSIAN_SYNC_INTERVAL alone, in milliseconds (null when unset): the bot syncs without needing it otherwise. */
export function syncIntervalMsFromEnv(env: NodeJS.ProcessEnv = process.env): number | null {
  const minutes = parseEnv(atlassianSchema.pick({ ATLASSIAN_SYNC_INTERVAL: true }), env).ATLASSIAN_SYNC_INTERVAL;
  return minutes ? minutes * 60_000 : null;
}
