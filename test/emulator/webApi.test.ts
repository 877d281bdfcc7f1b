import { refusal, useEmulator } from './support';

const GENERAL = 'C0GENERAL01';
const ADA = 'U0ADMIN0001';
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

const slack = useEmulator();

describe('authentication', () => {
  it("answers auth.test with the bot's identity, as Bolt needs at start-up", async () => {
    const result = await slack.client.auth.test();
    expect(result).toMatchObject({ ok: true, user_id: 'U0BOT000001', bot_id: 'B0BOT000001', team_id: 'T0EMULATED1' });
  });

  it('refuses a call without a token (not_authed) and with an unknown one (invalid_auth)', async () => {
    expect(await refusal(slack.clientWith(undefined).auth.test())).toMatchObject({ error: 'not_authed' });
    expect(await refusal(slack.clientWith('xoxb-stolen').auth.test())).toMatchObject({ error: 'invalid_auth' });
  });

  it('takes the token from a form field too, and a JSON body', async () => {
    const form = await fetch(`${slack.emulator.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: slack.emulator.token }).toString(),
    });
    expect(await form.json()).toMatchObject({ ok: true });
    const json = await fetch(`${slack.emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${slack.emulator.token}` },
      body: JSON.stringify({ channel: GENERAL, blocks: [section('From JSON')] }),
    });
    expect(await json.json()).toMatchObject({ ok: true, channel: GENERAL });
    expect(slack.emulator.state.messages(GENERAL)[0]?.blocks[0]).toMatchObject(section('From JSON'));
  });

  it('answers unknown_method for a method it does not know', async () => {
    expect(await refusal(slack.client.apiCall('chat.scheduleTeleport'))).toMatchObject({ error: 'unknown_method' });
  });
});

describe('messages', () => {
  it('posts a message, with an increasing Slack-style ts and generated block_ids', async () => {
    const first = await slack.client.chat.postMessage({ channel: GENERAL, text: 'one' });
    const second = await slack.client.chat.postMessage({ channel: GENERAL, text: 'two', blocks: [section('*two*')] });
    expect(first).toMatchObject({ ok: true, channel: GENERAL, message: { text: 'one', bot_id: 'B0BOT000001' } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(second.message?.blocks?.[0]?.block_id).toEqual(expect.any(String));
    expect(slack.emulator.state.messages(GENERAL).map((message) => message.text)).toEqual(['one', 'two']);
  });

  it('posts by #name, and to a user id by way of their DM', async () => {
    expect((await slack.client.chat.postMessage({ channel: '#general', text: 'hi' })).channel).toBe(GENERAL);
    const dm = await slack.client.chat.postMessage({ channel: ADA, text: 'psst' });
    expect(dm.channel).toBe(slack.emulator.state.dmChannel(ADA));
    expect(slack.emulator.state.messages(dm.channel ?? '')[0]?.text).toBe('psst');
  });

  it('keeps every version of a message updated in place', async () => {
    const { ts = '' } = await slack.client.chat.postMessage({ channel: GENERAL, text: 'Copying… 0%' });
    await slack.client.chat.update({ channel: GENERAL, ts, text: 'Copying… 50%' });
    const done = await slack.client.chat.update({ channel: GENERAL, ts, text: 'Copied 2 accounts' });
    expect(done).toMatchObject({ ok: true, channel: GENERAL, ts, text: 'Copied 2 accounts' });
    const [message] = slack.emulator.state.messages(GENERAL);
    expect(message?.text).toBe('Copied 2 accounts');
    expect(message?.versions.map((version) => version.text)).toEqual([
      'Copying… 0%',
      'Copying… 50%',
      'Copied 2 accounts',
    ]);
  });

  it('deletes a message', async () => {
    const { ts = '' } = await slack.client.chat.postMessage({ channel: GENERAL, text: 'oops' });
    await slack.client.chat.delete({ channel: GENERAL, ts });
    expect(slack.emulator.state.messages(GENERAL)).toEqual([]);
    expect(await refusal(slack.client.chat.update({ channel: GENERAL, ts, text: 'x' }))).toMatchObject({
      error: 'message_not_found',
    });
  });

  it('posts an ephemeral message that only its user sees', async () => {
    const result = await slack.client.chat.postEphemeral({ channel: GENERAL, user: ADA, text: 'Only you' });
    expect(result.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(slack.emulator.state.ephemerals(ADA, GENERAL)).toEqual([
      expect.objectContaining({ text: 'Only you', visibleTo: ADA }),
    ]);
    expect(slack.emulator.state.messages(GENERAL)).toEqual([]);
    expect(await refusal(slack.client.chat.postEphemeral({ channel: GENERAL, user: 'U0NOBODY', text: 'x' }))).toEqual({
      error: 'user_not_found',
      messages: [],
    });
  });

  it.each([
    ['channel_not_found', { channel: 'C0NOWHERE', text: 'x' }],
    ['no_text', { channel: GENERAL }],
    ['msg_too_long', { channel: GENERAL, text: 'x'.repeat(40_001) }],
    ['invalid_blocks_format', { channel: GENERAL, blocks: '[{"type": "section",' }],
  ])('refuses with %s', async (error, args) => {
    expect(await refusal(slack.client.apiCall('chat.postMessage', args))).toMatchObject({ error });
  });

  it("refuses invalid blocks with Slack's messages and JSON pointers", async () => {
    const blocks = [section('x'.repeat(3001)), { type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }];
    const refused = await refusal(slack.client.chat.postMessage({ channel: GENERAL, text: 'fallback', blocks }));
    expect(refused).toEqual({
      error: 'invalid_blocks',
      messages: [
        '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
        '[ERROR] must be less than 151 characters [json-pointer:/blocks/1/text/text]',
      ],
    });
    const { ts = '' } = await slack.client.chat.postMessage({ channel: GENERAL, text: 'fine' });
    const tooMany = Array(51).fill({ type: 'divider' });
    expect(await refusal(slack.client.chat.update({ channel: GENERAL, ts, blocks: tooMany }))).toEqual({
      error: 'invalid_blocks',
      messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'],
    });
  });
});

describe('people and conversations', () => {
  it('opens one stable DM channel per user', async () => {
    const first = await slack.client.conversations.open({ users: ADA });
    const again = await slack.client.conversations.open({ users: ADA });
    expect(first.channel?.id).toMatch(/^D/);
    expect(again).toMatchObject({ channel: { id: first.channel?.id }, already_open: true });
    expect(await refusal(slack.client.conversations.open({ users: 'U0NOBODY' }))).toMatchObject({
      error: 'user_not_found',
    });
  });

  it('describes a user as users.info does', async () => {
    const { user } = await slack.client.users.info({ user: ADA });
    expect(user).toMatchObject({
      id: ADA,
      name: 'ada',
      real_name: 'Ada Admin',
      is_admin: true,
      tz: 'UTC',
      tz_offset: 0,
      profile: { display_name: 'Ada Admin' },
    });
    expect(await refusal(slack.client.users.info({ user: 'U0NOBODY' }))).toMatchObject({ error: 'user_not_found' });
  });
});

describe('recorded calls', () => {
  it('records every call, refused ones too, with arguments as the app meant them', async () => {
    await slack.client.chat.postMessage({ channel: GENERAL, text: 'hi', blocks: [section('hi')] });
    await refusal(slack.client.chat.postMessage({ channel: 'C0NOWHERE', text: 'hi' }));
    const [posted, refused] = slack.emulator.calls.to('chat.postMessage');
    expect(posted).toMatchObject({
      kind: 'api',
      token: slack.emulator.token,
      status: 200,
      args: { channel: GENERAL, blocks: [section('hi')] },
      response: { ok: true },
      at: expect.any(Date),
    });
    expect(refused).toMatchObject({ status: 200, response: { ok: false, error: 'channel_not_found' } });
  });
});

describe('waiting for changes', () => {
  it('resolves when a matching message appears, or is updated to match', async () => {
    const appeared = slack.emulator.state.waitForMessage(GENERAL, /Copied \d+ accounts/);
    const { ts = '' } = await slack.client.chat.postMessage({ channel: GENERAL, text: 'Copying…' });
    setTimeout(() => slack.client.chat.update({ channel: GENERAL, ts, blocks: [section('Copied 3 accounts')] }), 20);
    expect(await appeared).toMatchObject({ ts, versions: [expect.anything(), expect.anything()] });
  });

  it('says what it waited for when it times out', async () => {
    await expect(slack.emulator.state.waitForMessage(GENERAL, 'never', 50)).rejects.toThrow(
      'Timed out after 50 ms waiting for a message matching never in C0GENERAL01',
    );
  });
});
