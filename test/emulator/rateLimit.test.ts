import { ErrorCode } from '@slack/web-api';
import { useEmulator } from './support';

const GENERAL = 'C0GENERAL01';
const ADA = 'U0ADMIN0001';
const post = (text: string, channel = GENERAL) => ({ channel, text });
const numbered = (count: number) => Array.from({ length: count }, (_, n) => `#${n + 1}`);

describe('chat.postMessage rate limit (default: 1 per second per channel after a burst of 3)', () => {
  const slack = useEmulator();

  it('answers HTTP 429 with Retry-After, which WebClient with rejectRateLimitedCalls reports', async () => {
    const client = slack.clientWith(slack.emulator.token, { rejectRateLimitedCalls: true });
    const results = await Promise.allSettled(numbered(5).map((text) => client.chat.postMessage(post(text))));
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused).toHaveLength(2);
    expect(refused[0]?.reason).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    expect(slack.emulator.state.messages(GENERAL)).toHaveLength(3);
    const limited = slack.emulator.calls.to('chat.postMessage').filter((call) => call.status === 429);
    expect(limited.map((call) => call.response)).toEqual([
      { ok: false, error: 'ratelimited' },
      { ok: false, error: 'ratelimited' },
    ]);
  });

  it('sends Retry-After in whole seconds', async () => {
    const send = () =>
      fetch(`${slack.emulator.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${slack.emulator.token}` },
        body: JSON.stringify(post('hi')),
      });
    const responses = [await send(), await send(), await send(), await send()];
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 429]);
    expect(responses[3]?.headers.get('retry-after')).toBe('1');
  });

  it("lets WebClient's default retries land every message, paced", async () => {
    const started = Date.now();
    await Promise.all(numbered(5).map((text) => slack.client.chat.postMessage(post(text))));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(
      slack.emulator.state
        .messages(GENERAL)
        .map((message) => message.text)
        .sort(),
    ).toEqual(numbered(5));
    expect(slack.emulator.calls.to('chat.postMessage').some((call) => call.status === 429)).toBe(true);
  });

  it('counts each channel separately, a DM by user id included', async () => {
    const client = slack.clientWith(slack.emulator.token, { rejectRateLimitedCalls: true });
    const channels = [GENERAL, GENERAL, GENERAL, ADA, ADA, ADA];
    await Promise.all(channels.map((channel) => client.chat.postMessage(post('hi', channel))));
    const dm = slack.emulator.state.dmChannel(ADA) ?? '';
    await expect(client.chat.postMessage(post('one too many', dm))).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
    });
  });
});

describe('a configured rate limit', () => {
  describe('turned off', () => {
    const slack = useEmulator({ rateLimit: false });

    it('lets a test post a hundred messages to one channel at once', async () => {
      const client = slack.clientWith(slack.emulator.token, { rejectRateLimitedCalls: true });
      await Promise.all(numbered(100).map((text) => client.chat.postMessage(post(text))));
      expect(slack.emulator.state.messages(GENERAL)).toHaveLength(100);
    });
  });

  describe('with its own pace', () => {
    const slack = useEmulator({ rateLimit: { perSecond: 20, burst: 1 } });

    it('allows its burst, then one call per 1/perSecond', async () => {
      const client = slack.clientWith(slack.emulator.token, { rejectRateLimitedCalls: true });
      await client.chat.postMessage(post('first'));
      await expect(client.chat.postMessage(post('too soon'))).rejects.toMatchObject({ retryAfter: 1 });
      await new Promise((resolve) => setTimeout(resolve, 60));
      await expect(client.chat.postMessage(post('in time'))).resolves.toMatchObject({ ok: true });
    });
  });
});
