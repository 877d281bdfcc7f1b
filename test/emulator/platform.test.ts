import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import {
  SlackClientSimulator,
  type SlackEmulator,
  type StoredMessage,
  slackSignature,
  startSlackEmulator,
} from '../../src/emulator';
import { quietLogger } from './support';

const SIGNING_SECRET = 'emulator-test-signing-secret';
const GENERAL = 'C0GENERAL01';
const ADA = 'U0ADMIN0001';
const plain = (text: string) => ({ type: 'plain_text' as const, text });

/** What the app's listeners saw, for assertions. */
interface Seen {
  retryNums: (number | undefined)[];
  colours: string[];
  closedViews: string[];
}

const colours = ['red', 'blue'].map((colour) => ({ text: plain(colour), value: colour }));

/** A modal whose submission asks for the response_action the user picked. */
function wizardStep(step: number) {
  return {
    type: 'modal' as const,
    callback_id: 'wizard',
    notify_on_close: true,
    private_metadata: String(step),
    title: plain(`Step ${step}`),
    submit: plain('Next'),
    blocks: [
      {
        type: 'input',
        block_id: 'next',
        label: plain('Then'),
        element: {
          type: 'radio_buttons',
          action_id: 'how',
          options: ['update', 'push', 'clear'].map((how) => ({ text: plain(how), value: how })),
        },
      },
      { type: 'actions', elements: [{ type: 'static_select', action_id: 'colour', options: colours }] },
    ],
  };
}

/** A tiny Bolt app with the shapes the real bot uses: a command opening a modal, validation, buttons, respond(). */
function tinyApp(emulator: SlackEmulator, seen: Seen): App {
  const app = new App({
    signingSecret: SIGNING_SECRET,
    token: emulator.token,
    clientOptions: { slackApiUrl: emulator.apiUrl, logger: quietLogger },
    logLevel: LogLevel.ERROR,
  });
  app.command('/accounts', async ({ ack, body, client, context }) => {
    seen.retryNums.push(context.retryNum);
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'lookup',
        private_metadata: body.channel_id,
        title: plain('Find a customer'),
        submit: plain('Find'),
        blocks: [
          {
            type: 'input',
            block_id: 'email',
            label: plain('Email'),
            element: { type: 'plain_text_input', action_id: 'value' },
          },
          {
            type: 'input',
            block_id: 'site',
            label: plain('Site'),
            element: {
              type: 'static_select',
              action_id: 'choice',
              options: [
                { text: plain('acme'), value: 'acme' },
                { text: plain('acme-eu'), value: 'acme-eu' },
              ],
            },
          },
        ],
      },
    });
  });
  app.command('/hello', async ({ ack }) => ack('Hello from the bot'));
  app.view('lookup', async ({ ack, view, client, body }) => {
    const email = view.state.values.email?.value?.value ?? '';
    if (!email.includes('@')) {
      await ack({ response_action: 'errors', errors: { email: 'Enter an email address' } });
      return;
    }
    await ack();
    const site = view.state.values.site?.choice?.selected_option?.value;
    await client.chat.postMessage({
      channel: view.private_metadata,
      text: `Migrate ${email} on ${site}?`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `Migrate *${email}* on ${site}?` } },
        { type: 'actions', elements: [{ type: 'button', action_id: 'migrate', text: plain('Migrate'), value: email }] },
      ],
    });
    await client.chat.postEphemeral({ channel: view.private_metadata, user: body.user.id, text: 'Posted.' });
  });
  app.command('/wizard', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: wizardStep(1) });
  });
  app.view('wizard', async ({ ack, view }) => {
    const how = view.state.values.next?.how?.selected_option?.value;
    const next = wizardStep(Number(view.private_metadata) + 1);
    if (how === 'update') await ack({ response_action: 'update', view: next });
    else if (how === 'push') await ack({ response_action: 'push', view: next });
    else await ack({ response_action: 'clear' });
  });
  app.view({ type: 'view_closed', callback_id: 'wizard' }, async ({ ack, view }) => {
    seen.closedViews.push(view.id);
    await ack();
  });
  app.action('colour', async ({ ack, action }) => {
    if (action.type === 'static_select') seen.colours.push(action.selected_option.value);
    await ack();
  });
  app.action('migrate', async ({ ack, respond, action }) => {
    await ack();
    await respond({ replace_original: true, text: `Migrated ${'value' in action ? action.value : ''}` });
  });
  return app;
}

describe('the platform simulator against a real Bolt app', () => {
  let emulator: SlackEmulator;
  let app: App;
  let slack: SlackClientSimulator;
  const seen: Seen = { retryNums: [], colours: [], closedViews: [] };

  beforeEach(async () => {
    emulator = await startSlackEmulator();
    app = tinyApp(emulator, seen);
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    const { port } = server.address() as AddressInfo;
    slack = new SlackClientSimulator({ emulator, appUrl: `http://127.0.0.1:${port}`, signingSecret: SIGNING_SECRET });
    Object.assign(seen, { retryNums: [], colours: [], closedViews: [] });
  });

  afterEach(async () => {
    await app.stop();
    await emulator.stop();
  });

  const openLookup = async () => {
    const command = await slack.slashCommand(ADA, GENERAL, '/accounts');
    expect(command.status).toBe(200);
    return emulator.state.waitForModal(ADA, 'lookup');
  };

  it('opens a modal from a slash command, with the trigger id it issued', async () => {
    const view = await openLookup();
    expect(view).toMatchObject({ callback_id: 'lookup', private_metadata: GENERAL, title: plain('Find a customer') });
    const [open] = emulator.calls.to('views.open');
    expect(open?.args.trigger_id).toEqual(expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/));
  });

  it('keeps the modal open with field errors when the app acks with response_action: errors', async () => {
    const view = await openLookup();
    const result = await slack.submitView(ADA, view.id, { email: 'not-an-email', site: 'acme' });
    expect(result.response?.status).toBe(200);
    expect(result.outcome).toEqual({ action: 'errors' });
    expect(emulator.state.openViews(ADA).map((open) => open.id)).toEqual([view.id]);
    expect(emulator.state.viewErrors(view.id)).toEqual({ email: 'Enter an email address' });
    expect(emulator.state.view(view.id)?.state.values.site?.choice).toMatchObject({
      selected_option: { value: 'acme' },
    });
  });

  it('closes the modal on an empty ack, and a button click reaches respond()', async () => {
    const view = await openLookup();
    expect((await slack.submitView(ADA, view.id, { email: 'jsmith@abc.com', site: 'acme-eu' })).outcome).toEqual({
      action: 'closed',
    });
    expect(emulator.state.openViews(ADA)).toEqual([]);
    const question = await emulator.state.waitForMessage(GENERAL, 'Migrate *jsmith@abc.com* on acme-eu?');
    await emulator.state.waitForEphemeral(ADA, 'Posted.');
    const click = await slack.clickButton(ADA, question, 'migrate');
    expect(click.status).toBe(200);
    const answered = await emulator.state.waitForMessage(GENERAL, 'Migrated jsmith@abc.com');
    expect(answered.ts).toBe(question.ts);
    expect(answered.versions).toHaveLength(2);
  });

  it('does not submit a modal whose required field is empty, as the Slack client would not', async () => {
    const view = await openLookup();
    const result = await slack.submitView(ADA, view.id, { site: 'acme' });
    expect(result.response).toBeUndefined();
    expect(emulator.state.viewErrors(view.id)).toEqual({ email: 'Please complete this required field.' });
  });

  it('follows response_action update, push and clear', async () => {
    await slack.slashCommand(ADA, GENERAL, '/wizard');
    const first = await emulator.state.waitForModal(ADA, 'wizard');
    expect((await slack.submitView(ADA, first.id, { next: 'update' })).outcome).toEqual({ action: 'updated' });
    expect(emulator.state.openViews(ADA).map((view) => [view.id, view.title?.text])).toEqual([[first.id, 'Step 2']]);
    expect((await slack.submitView(ADA, first.id, { next: 'push' })).outcome).toEqual({ action: 'pushed' });
    const pushed = emulator.state.openViews(ADA);
    expect(pushed.map((view) => view.title?.text)).toEqual(['Step 2', 'Step 3']);
    const top = pushed[1]?.id ?? '';
    expect((await slack.submitView(ADA, top, { next: 'clear' })).outcome).toEqual({ action: 'cleared' });
    expect(emulator.state.openViews(ADA)).toEqual([]);
  });

  it('tells the app about a pick in an actions block, but not in an input block', async () => {
    await slack.slashCommand(ADA, GENERAL, '/wizard');
    const view = await emulator.state.waitForModal(ADA, 'wizard');
    expect(await slack.choose(ADA, view, 'next', 'push')).toBeUndefined();
    expect((await slack.choose(ADA, view, 'colour', 'blue'))?.status).toBe(200);
    expect(seen.colours).toEqual(['blue']);
    expect(emulator.state.view(view.id)?.state.values.next?.how).toEqual({
      type: 'radio_buttons',
      selected_option: { text: plain('push'), value: 'push' },
    });
  });

  it('tells the app about a pick in a message, with a response URL', async () => {
    const select = { type: 'static_select' as const, action_id: 'colour', options: colours };
    const client = new WebClient(emulator.token, { slackApiUrl: emulator.apiUrl, logger: quietLogger });
    await client.chat.postMessage({
      channel: GENERAL,
      text: 'Pick',
      blocks: [{ type: 'actions', elements: [select] }],
    });
    const [message] = emulator.state.messages(GENERAL);
    if (message === undefined) throw new Error('no message');
    const result = await slack.choose(ADA, message, 'colour', 'red');
    expect(result).toMatchObject({ status: 200, responseUrl: expect.stringContaining(emulator.url) });
    expect(seen.colours).toEqual(['red']);
  });

  it('sends view_closed when the user closes a view that asked for it', async () => {
    await slack.slashCommand(ADA, GENERAL, '/wizard');
    const view = await emulator.state.waitForModal(ADA, 'wizard');
    expect((await slack.closeView(ADA, view.id))?.status).toBe(200);
    expect(seen.closedViews).toEqual([view.id]);
    expect(emulator.state.openViews(ADA)).toEqual([]);
  });

  it("shows a slash command's text ack as an ephemeral reply", async () => {
    await slack.slashCommand(ADA, GENERAL, '/hello');
    const replies: StoredMessage[] = emulator.state.ephemerals(ADA, GENERAL);
    expect(replies.map((reply) => reply.text)).toEqual(['Hello from the bot']);
  });

  it('passes retry headers through to Bolt', async () => {
    await slack.slashCommand(ADA, GENERAL, '/accounts', '', { retryNum: 1, retryReason: 'http_timeout' });
    expect(seen.retryNums).toEqual([1]);
    // Let the app finish opening its modal: a WebClient call cut off by stopping the emulator would keep retrying.
    await emulator.state.waitForModal(ADA);
  });

  it('is refused by Bolt (401) with a forged signature or a 5-minute-old timestamp', async () => {
    const forged = await slack.slashCommand(ADA, GENERAL, '/accounts', '', { signature: 'v0=forged' });
    const stale = await slack.slashCommand(ADA, GENERAL, '/accounts', '', {
      timestamp: Math.floor(Date.now() / 1000) - 5 * 60 - 1,
    });
    expect([forged.status, stale.status]).toEqual([401, 401]);
    expect(seen.retryNums).toEqual([]);
    expect(emulator.calls.to('views.open')).toEqual([]);
  });
});

describe('the simulator on its own', () => {
  it('gives up on an app that does not acknowledge in time, as Slack does', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const emulator = await startSlackEmulator();
    const appUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const slack = new SlackClientSimulator({ emulator, appUrl, signingSecret: SIGNING_SECRET, ackTimeoutMs: 100 });
    await expect(slack.slashCommand(ADA, GENERAL, '/accounts')).rejects.toThrow(
      'The app did not acknowledge within 100 ms',
    );
    silent.closeAllConnections();
    silent.close();
    await emulator.stop();
  });

  it("computes Slack's v0 signature", () => {
    // The example from Slack's "Verifying requests from Slack" guide.
    const body = [
      'token=xyzz0WbapA4vBCDEFasx0q6G',
      'team_id=T1DC2JH3J',
      'team_domain=testteamnow',
      'channel_id=G8PSS9T3V',
      'channel_name=foobar',
      'user_id=U2CERLKJA',
      'user_name=roadrunner',
      'command=%2Fwebhook-collect',
      'text=',
      'response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN',
      'trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
    ].join('&');
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });
});
