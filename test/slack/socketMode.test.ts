import { WebClient } from '@slack/web-api';
import WebSocket from 'ws';
import { emulatedSlackConfig } from '../../src/config';
import { freePort } from '../../src/db/localServer';
import { SlackClientSimulator, type SlackEmulator, startSlackEmulator } from '../../src/emulator';
import { type RunningBot, startBot } from '../../src/server';
import { CALLBACK } from '../../src/slack/actionIds';
import { useTestDatabase } from '../support/database';
import { CHANNELS, PEOPLE, resetWorld } from '../support/slack';
import { eventually, waitForNewModal, waitForViewText } from './waiting';

/**
 * The bot in Socket Mode (SLACK_APP_TOKEN, no public URL): the same flows as over HTTP, as envelopes over the
 * emulator's WebSocket, including Slack recycling the connection.
 */
const database = useTestDatabase('slack_socket_mode');
let emulator: SlackEmulator;
let bot: RunningBot;
let slack: SlackClientSimulator;

beforeAll(async () => {
  emulator = await startSlackEmulator({ users: Object.values(PEOPLE), channels: Object.values(CHANNELS) });
  bot = await startBot(
    {
      ...emulatedSlackConfig(emulator, '', [PEOPLE.admin.id]),
      signingSecret: undefined,
      appToken: emulator.appToken,
      port: await freePort(),
    },
    { workerOptions: { pollMs: 25, leaseMs: 10_000 } },
  );
  slack = new SlackClientSimulator({ emulator, appUrl: bot.url, signingSecret: '', transport: 'socket-mode' });
  await emulator.socketMode.whenConnected();
});
database.beforeClose(async () => {
  await bot?.stop();
  await emulator?.stop();
});
beforeEach(resetWorld);

it('runs a command, its modal, the submission and the completion DM over Socket Mode', async () => {
  const modal = await waitForNewModal(emulator, PEOPLE.admin.id, CALLBACK.migrateCustomer, async () => {
    const result = await slack.slashCommand(
      PEOPLE.admin.id,
      CHANNELS.general.id,
      '/migrate-customer',
      'jsmith@abc.com acme',
    );
    expect(result.status).toBe(200);
  });
  await waitForViewText(emulator, modal.id, /cannot be undone/);
  const submitted = await slack.submitView(PEOPLE.admin.id, modal.id);
  // The ack of the submission carried its response payload: the modal's interim view.
  expect(submitted.response?.body).toMatchObject({ response_action: 'update' });
  await waitForViewText(emulator, modal.id, /is queued/);
  const dm = await emulator.state.waitFor(
    () => {
      const channel = emulator.state.dmChannel(PEOPLE.admin.id);
      return channel ? emulator.state.messages(channel).find((m) => /jsmith@abc.com/.test(m.text ?? '')) : undefined;
    },
    15_000,
    'the completion DM',
  );
  expect(dm.text).toMatch(/jsmith@abc.com/);
});

it("answers in the ack's payload, and an App Home event", async () => {
  const help = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/customer', 'help');
  expect(help.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/\/customer <email>/) });
  await emulator.state.waitForEphemeral(PEOPLE.admin.id, /\/customer <email>/);
  await slack.openAppHome(PEOPLE.admin.id);
  await emulator.state.waitFor(() => emulator.state.home(PEOPLE.admin.id), 10_000, 'the App Home');
});

it('reconnects after Slack sends disconnect, and goes on answering', async () => {
  const opened = emulator.socketMode.opened;
  emulator.socketMode.disconnect('refresh_requested');
  // The client closes the connection and opens another through apps.connections.open.
  await eventually(async () => emulator.socketMode.opened > opened && emulator.socketMode.connections > 0, 10_000);
  const help = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/customer', 'help');
  expect(help.body).toMatchObject({ text: expect.stringMatching(/\/customer <email>/) });
});

it('opens connections only with an app-level token, and each URL once', async () => {
  const open = (token: string) => new WebClient(token, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } });
  await expect(open(emulator.token).apps.connections.open({})).rejects.toMatchObject({
    data: { error: 'not_allowed_token_type' },
  });
  await expect(open('xapp-1-nope').apps.connections.open({})).rejects.toMatchObject({
    data: { error: 'invalid_auth' },
  });
  const { url } = await open(emulator.appToken).apps.connections.open({});
  const hello = await new Promise<unknown>((resolve, reject) => {
    const socket = new WebSocket(url ?? '');
    socket.once('message', (data) => {
      socket.close();
      resolve(JSON.parse(data.toString()));
    });
    socket.once('error', reject);
  });
  expect(hello).toMatchObject({ type: 'hello', num_connections: expect.any(Number), debug_info: expect.any(Object) });
  const again = await new Promise<number>((resolve) => {
    const socket = new WebSocket(url ?? '');
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', () => resolve(-1));
  });
  expect(again).toBe(401);
});
