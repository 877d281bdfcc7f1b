import { randomBytes } from 'node:crypto';
import type { ElementSite } from '../blockTree';
import type { SlackEmulator } from '../emulator';
import { isJsonObject, type JsonObject } from '../json';
import type { EnvelopeType } from '../socketMode';
import type { EmulatedChannel } from '../state/directory';
import type { StoredMessage } from '../state/messages';
import type { SlackView, StateValues } from '../state/views';
import { slackMessage } from '../wire';
import type { ViewAckOutcome } from './hooks';
import {
  actionOf,
  dispatchesActions,
  emptyRequiredFields,
  findElement,
  stateValue,
  type UserInput,
  viewState,
} from './inputs';
import {
  type Actor,
  appHomeOpenedEvent,
  interactionForm,
  messageActionPayload,
  slashCommandForm,
  viewActionPayload,
  viewClosedPayload,
  viewSubmissionPayload,
} from './payloads';
import { slackSignature } from './signing';

export interface SimulatorOptions {
  emulator: SlackEmulator;
  /** Where the app listens, such as http://127.0.0.1:3000. */
  appUrl: string;
  /** The app's Request URL path for commands and interactions. */
  path?: string;
  signingSecret: string;
  /** Slack waits 3 s for an ack, then shows the user an error. */
  ackTimeoutMs?: number;
  verificationToken?: string;
  /**
   * How requests reach the app: signed HTTP posts to its Request URL (default), or Socket Mode envelopes over the
   * emulator's WebSocket to the app connected with an app-level token (then appUrl and signingSecret go unused).
   */
  transport?: 'http' | 'socket-mode';
}

/** Per-request overrides, to see how the app treats requests Slack would not send, or Slack's retries. */
export interface RequestOptions {
  /** X-Slack-Request-Timestamp, in seconds; signed as given unless `signature` is set too. */
  timestamp?: number;
  /** X-Slack-Signature as given, instead of the correct one. */
  signature?: string;
  retryNum?: number;
  retryReason?: string;
}

/** The app's answer to a request: its ack. */
export interface AppResponse {
  status: number;
  contentType?: string;
  text: string;
  /** Parsed JSON when the app answered JSON, else the text; undefined when the body was empty. */
  body: unknown;
}

/** A slash command's overrides: with `retryOf`, it is Slack's retry of that command (same trigger and response URL). */
export interface CommandRequestOptions extends RequestOptions {
  retryOf?: Pick<CommandResult, 'triggerId' | 'responseUrl'>;
}

export interface CommandResult extends AppResponse {
  triggerId: string;
  responseUrl: string;
  /** Why Slack could not show the ack body as a message (such as `invalid_blocks`), if it could not. */
  problem?: string;
}

export interface InteractionResult extends AppResponse {
  triggerId: string;
  /** Only for actions on messages. */
  responseUrl?: string;
}

export interface SubmissionResult {
  /** Absent when the Slack client itself refused to submit because a required field was empty. */
  response?: AppResponse;
  outcome: ViewAckOutcome;
}

/** A message (from `state.messages` or `state.ephemerals`) or a view (from `state.openViews` or `state.home`). */
export type ActionSource = StoredMessage | SlackView;

/** What a person enters in a view: field (as for `submitView`) → text, or the value(s) of the option(s) to pick. */
export type EnteredValues = Record<string, UserInput>;

const DEFAULT_ACK_TIMEOUT_MS = 3000;

/**
 * Plays the Slack platform towards the app: sends signed slash commands and interactions to the app's Request URL,
 * as a person in Slack would cause them, and applies the app's acks to the emulator's state.
 */
export class SlackClientSimulator {
  private readonly emulator: SlackEmulator;
  private readonly requestUrl: string;
  private readonly ackTimeoutMs: number;

  constructor(private readonly options: SimulatorOptions) {
    this.emulator = options.emulator;
    this.requestUrl = new URL(options.path ?? '/slack/events', options.appUrl).toString();
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  }

  /** `/command text`, typed by `user` in `channel`. A reply in the ack shows as Slack shows it. */
  async slashCommand(
    user: string,
    channel: string,
    command: string,
    text = '',
    request?: CommandRequestOptions,
  ): Promise<CommandResult> {
    const { platform } = this.emulator;
    const target = { channel, user };
    const { retryOf } = request ?? {};
    const links = retryOf
      ? { triggerId: retryOf.triggerId, responseUrl: retryOf.responseUrl }
      : { triggerId: platform.issueTriggerId(user), responseUrl: platform.issueResponseUrl(target) };
    const form = slashCommandForm(this.actor(user), this.channel(channel), command, text, links);
    const response = await this.send('slash_commands', form, request);
    const reply = response.status === 200 ? commandReply(response) : undefined;
    const problem = reply === undefined ? undefined : platform.applyCommandAck(target, reply);
    return { ...response, ...links, ...(problem === undefined ? {} : { problem }) };
  }

  /** Clicks the button with this action_id (or "block_id/action_id") in a message or view. */
  clickButton(user: string, source: ActionSource, key: string, request?: RequestOptions): Promise<InteractionResult> {
    const site = this.locate(source, key);
    if (site.element.type !== 'button') throw new Error(`${key} is a ${String(site.element.type)}, not a button`);
    return this.dispatch(user, source, site, undefined, request);
  }

  /**
   * Picks option value(s), a date, a user… in an element of a message or view. In a view the choice is kept in
   * its state; the app hears of it only when Slack would tell it (not for input blocks without dispatch_action).
   */
  async choose(
    user: string,
    source: ActionSource,
    key: string,
    input: UserInput,
    request?: RequestOptions,
  ): Promise<InteractionResult | undefined> {
    const site = this.locate(source, key);
    if (!('ts' in source) && stateValue(site.element) !== undefined) this.enter(source.id, { [siteKey(site)]: input });
    return dispatchesActions(site) ? this.dispatch(user, source, site, input, request) : undefined;
  }

  /** Types and picks in a view's fields without submitting. Keys are as for `submitView`. */
  enter(viewId: string, values: EnteredValues): SlackView {
    const view = this.currentView(viewId);
    const entered: StateValues = {};
    for (const [key, input] of Object.entries(values)) {
      const { block, element } = findElement(view.blocks, key);
      const value = stateValue(element, input);
      if (value === undefined) throw new Error(`Nothing can be entered in ${key} (a ${String(element.type)})`);
      entered[String(block.block_id)] = { ...entered[String(block.block_id)], [String(element.action_id)]: value };
    }
    return this.emulator.platform.enterValues(viewId, entered);
  }

  /**
   * Fills in `values` and presses the modal's submit button. Keys are "block_id/action_id", an action_id, or an input
   * block's block_id; values are text, or the value(s) of the option(s) to pick. Fields left out keep what was
   * entered before, or their initial value.
   */
  async submitView(
    user: string,
    viewId: string,
    values: EnteredValues = {},
    request?: RequestOptions,
  ): Promise<SubmissionResult> {
    this.requireOnScreen(user, viewId);
    this.enter(viewId, values);
    const view = this.currentView(viewId);
    const submitted: SlackView = { ...view, state: { values: viewState(view) } };
    const { platform } = this.emulator;
    const missing = emptyRequiredFields(submitted, submitted.state.values);
    if (Object.keys(missing).length > 0) {
      platform.showViewErrors(viewId, missing);
      return { outcome: { action: 'kept', problem: `required fields are empty: ${Object.keys(missing).join(', ')}` } };
    }
    const payload = viewSubmissionPayload(this.actor(user), submitted, platform.issueTriggerId(user));
    const response = await this.send('interactive', interactionForm(payload), request);
    const outcome =
      response.status === 200
        ? platform.applyViewSubmissionAck(user, viewId, response.body)
        : { action: 'kept' as const, problem: `the app answered HTTP ${response.status}` };
    return { response, outcome };
  }

  /** Closes the modal on screen; the app hears of it only if the view set notify_on_close. */
  async closeView(user: string, viewId: string, request?: RequestOptions): Promise<AppResponse | undefined> {
    this.requireOnScreen(user, viewId);
    const view = this.currentView(viewId);
    this.emulator.platform.closeView(user);
    if (!view.notify_on_close) return undefined;
    return this.send('interactive', interactionForm(viewClosedPayload(this.actor(user), view)), request);
  }

  /** The person opens the app's Home tab: Slack tells the app with the Events API event app_home_opened. */
  openAppHome(user: string, request?: RequestOptions): Promise<AppResponse> {
    const { state, config, platform } = this.emulator;
    const body = appHomeOpenedEvent(this.actor(user), {
      botUserId: config.bot.userId,
      channel: platform.appDm(user),
      home: state.home(user),
      eventId: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      now: Math.floor(Date.now() / 1000),
    });
    return this.send('events_api', body, request, 'application/json');
  }

  /** Sends block_actions for an action on an element; message actions come with a response URL. */
  private async dispatch(
    user: string,
    source: ActionSource,
    site: ElementSite,
    input: UserInput | undefined,
    request: RequestOptions | undefined,
  ): Promise<InteractionResult> {
    const { platform } = this.emulator;
    const action = actionOf(site, input, String(Date.now() / 1000));
    const triggerId = platform.issueTriggerId(user);
    if (!('ts' in source)) {
      const payload = viewActionPayload(this.actor(user), this.currentView(source.id), action, triggerId);
      return { ...(await this.send('interactive', interactionForm(payload), request)), triggerId };
    }
    const message = this.currentMessage(source);
    const ephemeral = message.visibleTo !== undefined;
    const original = { ts: message.ts, ephemeral };
    const links = { triggerId, responseUrl: platform.issueResponseUrl({ channel: message.channel, user, original }) };
    const where = {
      channel: this.channel(message.channel),
      ts: message.ts,
      ephemeral,
      message: slackMessage(message, this.emulator.config),
    };
    const payload = messageActionPayload(this.actor(user), where, action, links);
    return { ...(await this.send('interactive', interactionForm(payload), request)), ...links };
  }

  /** The element in the message or view as it is now: the caller may hold an older snapshot. */
  private locate(source: ActionSource, key: string): ElementSite {
    return findElement('ts' in source ? this.currentMessage(source).blocks : this.currentView(source.id).blocks, key);
  }

  /** Sends a request as Slack does (a signed post, or a Socket Mode envelope), and reads the ack. */
  private async send(
    type: EnvelopeType,
    body: string,
    request: RequestOptions = {},
    contentType = 'application/x-www-form-urlencoded',
  ): Promise<AppResponse> {
    if (this.options.transport === 'socket-mode') return this.sendEnvelope(type, body, request);
    const timestamp = request.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': request.signature ?? slackSignature(this.options.signingSecret, timestamp, body),
    };
    if (request.retryNum !== undefined) headers['X-Slack-Retry-Num'] = String(request.retryNum);
    if (request.retryReason !== undefined) headers['X-Slack-Retry-Reason'] = request.retryReason;
    try {
      const signal = AbortSignal.timeout(this.ackTimeoutMs);
      const response = await fetch(this.requestUrl, { method: 'POST', headers, body, signal });
      return readResponse(response, await response.text());
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new Error(
          `The app did not acknowledge within ${this.ackTimeoutMs} ms; Slack would show the user an error`,
        );
      }
      throw error;
    }
  }

  /** The same request as an envelope: the form's fields (or the interaction's payload, or the event) as its payload. */
  private async sendEnvelope(type: EnvelopeType, body: string, request: RequestOptions): Promise<AppResponse> {
    const form = new URLSearchParams(body);
    const payload: unknown =
      type === 'events_api'
        ? JSON.parse(body)
        : type === 'interactive'
          ? JSON.parse(form.get('payload') ?? '{}')
          : Object.fromEntries(form);
    if (!isJsonObject(payload)) throw new Error('a Socket Mode payload must be an object');
    const retry =
      request.retryNum === undefined ? undefined : { num: request.retryNum, reason: request.retryReason ?? '' };
    const ack = await this.emulator.socketMode.deliver(type, payload, this.ackTimeoutMs, retry);
    // A bare ack has an empty payload, as an HTTP ack has an empty body.
    if (Object.keys(ack).length === 0) return { status: 200, text: '', body: undefined };
    const text = JSON.stringify(ack);
    return { status: 200, contentType: 'application/json', text, body: ack };
  }

  private actor(userId: string): Actor {
    const user = this.emulator.state.user(userId);
    if (user === undefined) throw new Error(`No user ${userId} in the emulated workspace`);
    const { team, bot } = this.emulator.config;
    return {
      user,
      team,
      appId: bot.appId,
      verificationToken: this.options.verificationToken ?? 'emulator-verification',
    };
  }

  private channel(id: string): EmulatedChannel {
    const channel = this.emulator.state.channel(id);
    if (channel === undefined) throw new Error(`No channel ${id} in the emulated workspace`);
    return channel;
  }

  private currentMessage(message: StoredMessage): StoredMessage {
    const { state } = this.emulator;
    const current =
      message.visibleTo === undefined
        ? state.message(message.channel, message.ts)
        : state.ephemerals(message.visibleTo).find((candidate) => candidate.ts === message.ts);
    if (current === undefined) throw new Error(`Message ${message.ts} in ${message.channel} is gone`);
    return current;
  }

  private currentView(viewId: string): SlackView {
    const view = this.emulator.state.view(viewId);
    if (view === undefined) throw new Error(`View ${viewId} is not open`);
    return view;
  }

  private requireOnScreen(user: string, viewId: string): void {
    if (this.emulator.state.openViews(user).at(-1)?.id !== viewId) {
      throw new Error(`View ${viewId} is not the modal ${user} has on screen`);
    }
  }
}

function siteKey({ block, element }: ElementSite): string {
  return `${String(block.block_id)}/${String(element.action_id)}`;
}

/** Slack shows a slash command's ack body as a message: JSON as a message object, plain text as its text. */
function commandReply(response: AppResponse): JsonObject | undefined {
  if (response.body === undefined) return undefined;
  return isJsonObject(response.body) ? response.body : { text: response.text };
}

function readResponse(response: Response, text: string): AppResponse {
  const contentType = response.headers.get('content-type') ?? undefined;
  let body: unknown = text === '' ? undefined : text;
  if (text !== '' && contentType?.includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      // Malformed JSON stays text, as Slack would show it.
    }
  }
  return { status: response.status, ...(contentType === undefined ? {} : { contentType }), text, body };
}
