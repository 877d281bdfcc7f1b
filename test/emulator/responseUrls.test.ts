import type { ResponseTarget } from '../../src/emulator';
import { useEmulator } from './support';

const GENERAL = 'C0GENERAL01';
const ADA = 'U0ADMIN0001';

const slack = useEmulator();

/** Posts JSON to a response URL, as Bolt's respond() does. */
async function respond(url: string, message: object): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(message),
  });
  return { status: response.status, body: await response.json() };
}

const responseUrl = (target: Partial<ResponseTarget> = {}) =>
  slack.emulator.platform.issueResponseUrl({ channel: GENERAL, user: ADA, ...target });

describe('response URLs', () => {
  it('shows a response only to the user by default, and to the channel with in_channel', async () => {
    const url = responseUrl();
    expect(await respond(url, { text: 'Only you' })).toEqual({ status: 200, body: { ok: true } });
    await respond(url, { text: 'Everyone', response_type: 'in_channel' });
    expect(slack.emulator.state.ephemerals(ADA, GENERAL).map((message) => message.text)).toEqual(['Only you']);
    expect(slack.emulator.state.messages(GENERAL).map((message) => message.text)).toEqual(['Everyone']);
  });

  it('replaces or deletes the message the user acted on', async () => {
    const { ts = '' } = await slack.client.chat.postMessage({ channel: GENERAL, text: 'Migrate jsmith?' });
    const url = responseUrl({ original: { ts, ephemeral: false } });
    await respond(url, { replace_original: true, text: 'Migrated jsmith' });
    expect(slack.emulator.state.message(GENERAL, ts)?.versions.map((version) => version.text)).toEqual([
      'Migrate jsmith?',
      'Migrated jsmith',
    ]);
    await respond(url, { delete_original: true });
    expect(slack.emulator.state.messages(GENERAL)).toEqual([]);
  });

  it('acts on an ephemeral original too', async () => {
    const { message_ts = '' } = await slack.client.chat.postEphemeral({ channel: GENERAL, user: ADA, text: 'Sure?' });
    await respond(responseUrl({ original: { ts: message_ts, ephemeral: true } }), {
      replace_original: 'true',
      text: 'Done',
    });
    expect(slack.emulator.state.ephemerals(ADA).map((message) => message.text)).toEqual(['Done']);
  });

  it('refuses invalid content, and a sixth use', async () => {
    const url = responseUrl();
    const header = { type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } };
    expect(await respond(url, { blocks: [header] })).toMatchObject({ status: 400, body: { error: 'invalid_blocks' } });
    for (const n of [2, 3, 4, 5]) await respond(url, { text: `use ${n}` });
    expect(await respond(url, { text: 'use 6' })).toEqual({ status: 404, body: { ok: false, error: 'used_url' } });
    expect(slack.emulator.calls.to('response_url').map((call) => call.status)).toEqual([400, 200, 200, 200, 200, 404]);
  });
});
