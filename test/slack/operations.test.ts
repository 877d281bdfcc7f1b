import { emulatedSlackConfig } from '../../src/config';
import { startBot } from '../../src/server';
import { CALLBACK } from '../../src/slack/actionIds';
import { CHANNELS, PEOPLE, resetWorld, SIGNING_SECRET, useSlackHarness } from '../support/slack';
import { eventually, waitForNewModal, waitForViewText } from './waiting';

/** What an operator watches: GET /metrics (Prometheus text), /healthz and /readyz, on the real bot. */
const slackHarness = useSlackHarness('slack_operations');
beforeEach(resetWorld);

/** The samples of a Prometheus text exposition, by their name with labels as printed. */
async function scrape(url: string): Promise<{ text: string; value(sample: string): number }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const sample = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (sample?.[1] && sample[2]) samples.set(sample[1], Number(sample[2]));
  }
  return { text, value: (sample) => samples.get(sample) ?? 0 };
}

const metricsUrl = () => slackHarness().bot.metricsUrl;

describe('GET /metrics', () => {
  it('counts the acks, the work after them, the Web API calls and the job of a migration run from Slack', async () => {
    const { slack, emulator, bot } = slackHarness();
    const before = await scrape(metricsUrl());

    const modal = await waitForNewModal(emulator, PEOPLE.admin.id, CALLBACK.migrateCustomer, () =>
      slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/migrate-customer', 'jsmith@abc.com acme'),
    );
    await waitForViewText(emulator, modal.id, /cannot be undone/);
    await slack.submitView(PEOPLE.admin.id, modal.id);
    await waitForViewText(emulator, modal.id, /is queued/);
    // The requester's DM says the job ended: the notifier read the outbox and posted.
    await emulator.state.waitFor(
      () => {
        const dm = emulator.state.dmChannel(PEOPLE.admin.id);
        return dm && emulator.state.messages(dm).length > 0;
      },
      15_000,
      'the completion DM',
    );

    // The emulator shows the DM before the client has read Slack's answer and counted the call.
    const posted = 'slack_api_calls_total{method="chat.postMessage",outcome="ok"}';
    const after = await eventually(async () => {
      const now = await scrape(bot.metricsUrl);
      return now.value(posted) > before.value(posted) && now;
    });
    const moved = (sample: string) => after.value(sample) - before.value(sample);
    expect(moved('slack_ack_duration_seconds_count{kind="slash_command"}')).toBe(1);
    expect(moved('slack_ack_duration_seconds_count{kind="view_submission"}')).toBe(1);
    expect(after.value('slack_ack_duration_seconds_bucket{le="+Inf",kind="slash_command"}')).toBeGreaterThan(0);
    // The command's preview runs after its ack; the submission is kept before its ack and has nothing after it.
    expect(moved('slack_after_ack_wait_seconds_count')).toBe(1);
    expect(moved('slack_api_calls_total{method="views.open",outcome="ok"}')).toBe(1);
    // The preview replaces the opened modal; the submission's own answer rides on its ack.
    expect(moved('slack_api_calls_total{method="views.update",outcome="ok"}')).toBe(1);
    expect(moved('slack_api_calls_total{method="chat.postMessage",outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(moved('accounts_jobs_ended_total{kind="migrate-to-account",outcome="succeeded"}')).toBe(1);
    expect(moved('accounts_job_items_total{kind="migrate-to-account",outcome="succeeded"}')).toBe(1);
    expect(after.value('accounts_jobs{kind="migrate-to-account",state="succeeded"}')).toBeGreaterThanOrEqual(1);
    expect(after.value('accounts_database_up')).toBe(1);
    expect(after.text).toMatch(/^accounts_outbox_backlog \d+$/m);
    expect(after.text).toMatch(/^accounts_outbox_dead \d+$/m);
    expect(after.text).toMatch(/^slack_after_ack_queue_length 0$/m);
    expect(after.text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(after.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    // No personal data and no secrets: not the email, the person's name or id, nor the bot token.
    for (const secret of ['jsmith', '@', 'ada', PEOPLE.admin.id, emulator.token, SIGNING_SECRET]) {
      expect(after.text).not.toContain(secret);
    }
  });

  it('counts 429s by method and the seconds Retry-After asked to wait', async () => {
    const { bot } = slackHarness();
    const before = await scrape(metricsUrl());
    // The emulator allows bursts of 3 calls per method, then one a second: six at once meet a 429.
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        bot.app.client.chat.postMessage({ channel: CHANNELS.general.id, text: `burst ${i}` }),
      ),
    );
    const after = await scrape(metricsUrl());
    const moved = (sample: string) => after.value(sample) - before.value(sample);
    expect(moved('slack_api_rate_limited_total{method="chat.postMessage"}')).toBeGreaterThan(0);
    expect(moved('slack_api_retry_after_seconds_total{method="chat.postMessage"}')).toBeGreaterThanOrEqual(1);
    expect(moved('slack_api_calls_total{method="chat.postMessage",outcome="rate_limited"}')).toBe(
      moved('slack_api_rate_limited_total{method="chat.postMessage"}'),
    );
    expect(moved('slack_api_calls_total{method="chat.postMessage",outcome="ok"}')).toBe(6);
  });

  it('with METRICS_PORT, serves them on that port only', async () => {
    const { emulator } = slackHarness();
    const bot = await startBot({
      ...emulatedSlackConfig(emulator, SIGNING_SECRET, []),
      runWorkers: false,
      metricsPort: 0,
    });
    try {
      expect(new URL(bot.metricsUrl).port).not.toBe(new URL(bot.url).port);
      expect((await scrape(bot.metricsUrl)).text).toMatch(/^accounts_database_up 1$/m);
      expect((await fetch(`${bot.url}/metrics`)).status).toBe(404);
    } finally {
      await bot.stop();
    }
  });
});

describe('health and readiness', () => {
  it('/healthz says ok while the database answers; /readyz says the process takes requests', async () => {
    const { bot } = slackHarness();
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'connected' });
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, draining: false });
    expect(bot.draining).toBe(false);
  });
});
