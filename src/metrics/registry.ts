import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (GET /metrics). Labels carry kinds, states, outcomes and Slack method names,
 * never people's emails or names, sites' customers, tokens or ids, so that a scrape holds no personal data.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const SUB_SECOND = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const ackDuration = new Histogram({
  name: 'slack_ack_duration_seconds',
  help: "Time from Bolt's dispatch of a Slack request to its ack, by request kind (Slack allows 3 s).",
  labelNames: ['kind'] as const,
  buckets: SUB_SECOND,
  registers: [registry],
});

export const afterAckWait = new Histogram({
  name: 'slack_after_ack_wait_seconds',
  help: 'Time the work after an ack waited for a slot (four run at once) before it started.',
  buckets: [...SUB_SECOND, 10, 30, 60],
  registers: [registry],
});

export const slackApiCalls = new Counter({
  name: 'slack_api_calls_total',
  help: 'Slack Web API HTTP requests, by method and outcome (ok, a Slack error code, rate_limited, http_<status>, network_error); retries count again.',
  labelNames: ['method', 'outcome'] as const,
  registers: [registry],
});

export const slackApiRateLimited = new Counter({
  name: 'slack_api_rate_limited_total',
  help: 'Slack Web API answers 429 (rate limited), by method.',
  labelNames: ['method'] as const,
  registers: [registry],
});

export const slackApiRetryAfter = new Counter({
  name: 'slack_api_retry_after_seconds_total',
  help: 'Seconds that 429 answers asked to wait (Retry-After) before the call is retried, by method.',
  labelNames: ['method'] as const,
  registers: [registry],
});

export const jobsEnded = new Counter({
  name: 'accounts_jobs_ended_total',
  help: 'Jobs this process ended, by kind and outcome.',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const jobItems = new Counter({
  name: 'accounts_job_items_total',
  help: 'Customers of the jobs this process ended, by job kind and outcome (succeeded, refused, failed, not_processed).',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});
