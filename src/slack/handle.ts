import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  App,
  BlockAction,
  BlockElementAction,
  RespondFn,
  SlashCommand,
  types,
  ViewOutput,
  ViewSubmitAction,
  webApi,
} from '@slack/bolt';
import Bottleneck from 'bottleneck';
import type { Modal } from '../../views/blocks';
import { NOT_SAVED, noticeModal, notSavedModal } from '../../views/notice';
import { DomainError } from '../accounts/errors';
import type { Actor } from '../accounts/models';
import { explainDatabaseError, isConnectionError } from '../db/errors';
import { log } from '../log';
import { meterAfterAckQueue, observeAck, timedAfterAck } from '../metrics';
import { actionIdPattern } from './actionIds';
import { describeRequirement, type Requirement, rolesOf, satisfies } from './roles';

/**
 * The work after acks, a few at a time. Acks have 3 seconds, answers have minutes (a response_url lives 30),
 * so under a burst the answers wait their turn rather than fill the event loop and the database with work that
 * delays the acks of the requests still arriving (`npm run bench ack`, p99 at 200/s: 689 ms without this cap,
 * 39-67 ms with it).
 */
const afterAcks = new Bottleneck({ maxConcurrent: 4 });
meterAfterAckQueue(afterAcks);
/** Clicks and modal submissions go before commands: a click's trigger id, to open a modal, lives 3 seconds. */
const CLICK = { priority: 4 };
const COMMAND = { priority: 5 };

/** Runs work after an ack; it counts as in flight until done, so that a drain waits for it. */
function afterAck(options: { priority: number }, work: () => Promise<void>): Promise<void> {
  return afterAcks.schedule(options, timedAfterAck(work));
}

/**
 * SIGTERM: waits for the work after acks already accepted, at most `withinMs`. Nothing kept is lost if it
 * does not finish (changes are in the database before their ack; the worker completes confirmed jobs): what is
 * cut short is an answer to a read-only command, a modal update, or a Slack check that follows a change.
 */
export async function finishWorkAfterAcks(withinMs: number): Promise<void> {
  const inFlight = () => {
    const { RECEIVED, QUEUED, RUNNING, EXECUTING } = afterAcks.counts();
    return RECEIVED + QUEUED + RUNNING + EXECUTING;
  };
  const idle = async () => {
    while (inFlight() > 0) await sleep(50);
  };
  await Promise.race([idle(), sleep(withinMs)]);
}

/**
 * The one wrapper around every listener (slash commands, buttons, modal submissions). What only reads (a lookup,
 * a list, a preview that opens a modal) acks first — before any database or Web API call. What changes something
 * acks once the change is kept (keepBeforeAck): confirmations (registerSubmission), change buttons
 * (registerChangeAction) and the slash commands that change something (SlashCommandModule.change).
 * Then it identifies the person, checks their role and turns any failure into one
 * sentence shown where they are. Listeners only parse, call the service and answer with a view.
 */

export const slackActor = (user: { id: string; name?: string; username?: string }): Actor => ({
  kind: 'slack',
  id: user.id,
  name: user.username ?? user.name ?? user.id,
});

export class Denied extends DomainError {
  constructor(need: Requirement, what: string) {
    super(
      'refused',
      `You need the ${describeRequirement(need)} role to ${what}; an org-admin can grant it with /accounts-admin.`,
    );
  }
}

/** Throws Denied (one sentence naming the role needed) unless the actor holds it. */
export async function requireRole(actor: Actor, need: Requirement, what: string): Promise<void> {
  if (!satisfies(await rolesOf(actor.id), need)) throw new Denied(need, what);
}

/** The sentence a person sees for a failure. Unexpected failures are logged with a reference to quote. */
export function sentenceFor(error: unknown): string {
  const explained = explainDatabaseError(error);
  if (explained instanceof DomainError) return explained.message;
  const reference = randomBytes(3).toString('hex');
  log.error({ err: error, reference }, 'unexpected error in a Slack listener');
  return `Something went wrong on our side (reference ${reference}); it was logged. Try again, or give an admin the reference.`;
}

/**
 * A word of a slash command, with Slack's escapes undone: <mailto:a@b.co|a@b.co> → a@b.co, <@U123|ada> → U123,
 * <#C123|team> → C123, and the &amp; &lt; &gt; Slack writes for what people typed.
 */
export function unescapeWord(word: string): string {
  const escaped = /^<(?:mailto:|@|#|!subteam\^)?([^|>]+)(?:\|[^>]*)?>$/.exec(word);
  return (escaped?.[1] ?? word).replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** The words of a slash command's text: a Slack token (<@U123|Ada Lee>) is one word even with spaces inside. */
export const commandWords = (text: string): string[] => (text.match(/<[^<>]*>|[^\s<]+|</g) ?? []).map(unescapeWord);

/** What a command's parser gives: the request to run, or the sentence that says what is wrong with the words. */
export type Parsed<R> = { request: R } | { problem: string };

export interface CommandInput<R = unknown> {
  actor: Actor;
  /** What `parse` made of the words after the command. */
  request: R;
  payload: SlashCommand;
  client: webApi.WebClient;
  /** An ephemeral reply to the person, where they typed the command. */
  reply: (message: string | { text: string; blocks?: types.KnownBlock[] }) => Promise<void>;
}

export interface SlashCommandModule<R = unknown> {
  /** '/customer' */
  name: string;
  /** Usage hint, as in the manifest: '<email>' */
  usage: string;
  description: string;
  /** Longer help (mrkdwn), shown for `help` and for no arguments. */
  help: string;
  /** It does something without arguments (lists, say): then only `help` answers with the usage. */
  runsWithoutArguments?: boolean;
  /**
   * Reads the words into the request `run` or `change` gets, or the sentence answered in the ack itself. Pure: no
   * I/O, never throws, and nothing typed reaches the database but validated strings (emails, site ids, job ids).
   */
  parse(args: string[]): Parsed<R>;
  /** What only reads (a lookup, a list, a file, a preview in a modal): after the ack, answered with `reply`. */
  run?(input: CommandInput<R>): Promise<void>;
  /**
   * What changes something (a role, a subscription, a customer's access, a queued job). Acknowledged means
   * kept: it runs before the ack, within KEEP_MS, checks the role first, and its sentence is the ack itself; a
   * DomainError is answered as its sentence, anything else (the database late or gone) as NOT_SAVED, so it must
   * be safe to type again. It gets no Web API client: a Slack call here would make the ack late or lost (Slack
   * gives it 3 seconds; the WebClient retries for up to a minute). What needs Slack goes in `after`.
   */
  change?(input: ChangeInput<R>): Promise<CommandChange>;
  /** With both `run` and `change`: which requests are changes. Pure. */
  changes?(request: R): boolean;
  /** The command's own buttons and modals. */
  register?(app: App): void;
}

export type ChangeInput<R = unknown> = Pick<CommandInput<R>, 'actor' | 'request' | 'payload'>;

/**
 * The sentence the ack carries, or it and what follows the ack in this process (a Slack call, a second reply):
 * a crash there loses nothing that the ack said was kept.
 */
export type CommandChange = string | { text: string; after(input: CommandInput): Promise<void> };

const helpText = (m: SlashCommandModule) => `*${m.name} ${m.usage}*\n${m.description}\n${m.help}`;

export function registerCommand<R>(app: App, module: SlashCommandModule<R>): void {
  if (!module.run && !module.change) throw new Error(`${module.name} has neither run nor change`);
  if (module.run && module.change && !module.changes) {
    throw new Error(`${module.name} has run and change but no changes() to tell them apart`);
  }
  app.command(module.name, async ({ ack: slackAck, command, client, respond, context }) => {
    const ack = async (response?: Parameters<typeof slackAck>[0]) => {
      await slackAck(response);
      observeAck('slash_command', context);
    };
    const args = commandWords(command.text);
    if ((args.length === 0 && !module.runsWithoutArguments) || (args.length === 1 && args[0] === 'help')) {
      await ack({ response_type: 'ephemeral', text: helpText(module) });
      return;
    }
    const parsed = module.parse(args);
    if ('problem' in parsed) {
      await ack({ response_type: 'ephemeral', text: `${parsed.problem}\nUsage: \`${module.name} ${module.usage}\`` });
      return;
    }
    const input: CommandInput<R> = {
      actor: slackActor({ id: command.user_id, name: command.user_name }),
      request: parsed.request,
      payload: command,
      client,
      reply: replier(respond),
    };
    const change = module.change && isChange(module, parsed.request) ? module.change : undefined;
    if (!change) {
      await ack();
      const run = module.run;
      if (run) await afterAck(COMMAND, () => answering(input, run));
      return;
    }
    const { actor, request, payload } = input;
    const outcome = await keepBeforeAck(() => change({ actor, request, payload }));
    await ack({
      response_type: 'ephemeral',
      text: sentenceOfChange(outcome, (c) => (typeof c === 'string' ? c : c.text)),
    });
    const kept = 'kept' in outcome ? outcome.kept : undefined;
    if (typeof kept === 'object') await afterAck(COMMAND, () => answering(input, kept.after));
  });
  module.register?.(app);
}

/** Whether a request is one of the module's changes (made before the ack) rather than a read (after it). */
function isChange<R>(module: SlashCommandModule<R>, request: R): boolean {
  return !module.run || (module.changes?.(request) ?? false);
}

/** Work after a command's ack; a failure is answered as its sentence. */
async function answering<R>(input: CommandInput<R>, work: (input: CommandInput<R>) => Promise<void>): Promise<void> {
  try {
    await work(input);
  } catch (error) {
    await input.reply(sentenceFor(error));
  }
}

function replier(respond: RespondFn) {
  return async (message: string | { text: string; blocks?: types.KnownBlock[] }) => {
    const body = typeof message === 'string' ? { text: message } : message;
    await respond({ response_type: 'ephemeral', replace_original: false, ...body });
  };
}

export interface ActionInput {
  actor: Actor;
  /** The element clicked or changed: a button's value, the options ticked in checkboxes… */
  action: BlockElementAction;
  body: BlockAction;
  client: webApi.WebClient;
  /** One sentence where the person is: ephemeral under a message, in place of the modal they act in. */
  reply: CommandInput['reply'];
}

/**
 * Buttons and other elements, in messages, modals or App Home: ack first, then as registerCommand. The listener
 * hears every copy of the action id in a block (`#2`, `#3`…, see nthActionId).
 */
export function registerAction(app: App, actionId: string, run: (input: ActionInput) => Promise<void>): void {
  app.action<BlockAction>(
    { type: 'block_actions', action_id: actionIdPattern(actionId) },
    async ({ ack, action, body, client, respond, context }) => {
      await ack();
      observeAck('block_action', context);
      const reply = actionReplier(body, client, respond);
      await afterAck(CLICK, async () => {
        try {
          await run({ actor: slackActor(body.user), action, body, client, reply });
        } catch (error) {
          await reply(sentenceFor(error));
        }
      });
    },
  );
}

/**
 * Buttons that change something at once (restore access): acknowledged means kept, so the change is made
 * before the ack (keepBeforeAck); its sentence follows the ack, since a click's ack carries no message. A change
 * the database did not take in time is answered with NOT_SAVED, and clicking again is safe (the changes are
 * idempotent).
 */
export function registerChangeAction(
  app: App,
  actionId: string,
  change: (input: Pick<ActionInput, 'actor' | 'action' | 'body'>) => Promise<string>,
): void {
  app.action<BlockAction>(
    { type: 'block_actions', action_id: actionIdPattern(actionId) },
    async ({ ack, action, body, client, respond, context }) => {
      const reply = actionReplier(body, client, respond);
      const outcome = await keepBeforeAck(() => change({ actor: slackActor(body.user), action, body }));
      const sentence = sentenceOfChange(outcome, (kept) => kept);
      await ack();
      observeAck('block_action', context);
      await afterAck(CLICK, () =>
        reply(sentence).catch((error) => log.warn({ err: error }, 'could not answer a click')),
      );
    },
  );
}

function actionReplier(body: BlockAction, client: webApi.WebClient, respond: RespondFn): CommandInput['reply'] {
  const view = body.view;
  const content = (message: string | { text: string; blocks?: types.KnownBlock[] }) =>
    typeof message === 'string' ? { text: message } : message;
  if (view?.type === 'modal') {
    return async (message) => {
      await client.views.update({ view_id: view.id, view: noticeModal(view.title.text, content(message).text) });
    };
  }
  // App Home has no response URL and no channel: the person hears back in the bot's DM.
  if (view?.type === 'home') {
    return async (message) => {
      await client.chat.postMessage({ channel: body.user.id, ...content(message) });
    };
  }
  return replier(respond);
}

export interface ConfirmationInput {
  actor: Actor;
  /** The submitted modal: its id, private_metadata and what was entered (state.values). */
  view: ViewOutput;
}

export interface SubmissionInput extends ConfirmationInput {
  client: webApi.WebClient;
  /** Replaces what the modal shows; it stays open under the same view id. */
  show(view: Modal): Promise<void>;
}

/** How long a change before its ack waits for the database to keep it; Slack gives an ack 3 seconds in all. */
export const KEEP_MS = 2_000;

export interface SubmissionHandler {
  /**
   * Before the ack, within KEEP_MS: checks the person and keeps what they confirmed with one insert keyed by the
   * view id (a job in its 'creating' state, a review decision). Returns what the modal shows in the ack. The
   * slow part belongs to the worker, which finds the kept request in the database.
   */
  keep(input: ConfirmationInput): Promise<Modal>;
  /** After the ack: what can follow in this process (a crash here loses nothing: a worker redoes it). */
  after?(input: SubmissionInput): Promise<void>;
}

class NotKeptInTime extends Error {}

function withinKeepTime<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NotKeptInTime()), KEEP_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** What a change made before its ack came to: what it returned, the refusal to show, or not saved. */
type KeepOutcome<T> = { kept: T } | { refused: string } | { notSaved: true };

/**
 * Acknowledged means kept: the one way a listener makes a change before its ack — modal submissions, change
 * buttons and the slash commands that change something. The change gets KEEP_MS. A refusal (DomainError) is
 * the person's to read; anything else (a timeout, a lost connection, a socket ended) means the change may not
 * have been made, and is answered with NOT_SAVED: doing it again is safe, because every change kept this way is
 * idempotent or keyed by its request (a view id, a trigger id).
 */
async function keepBeforeAck<T>(change: () => Promise<T>): Promise<KeepOutcome<T>> {
  try {
    return { kept: await withinKeepTime(change()) };
  } catch (error) {
    if (error instanceof DomainError) return { refused: error.message };
    if (!(error instanceof NotKeptInTime || isConnectionError(error)))
      log.warn({ err: error }, 'a change could not be kept');
    return { notSaved: true };
  }
}

/** The sentence a change answers with: what it kept says `sentence`, else its refusal, else NOT_SAVED. */
function sentenceOfChange<T>(outcome: KeepOutcome<T>, sentence: (kept: T) => string): string {
  if ('kept' in outcome) return sentence(outcome.kept);
  return 'refused' in outcome ? outcome.refused : NOT_SAVED;
}

/**
 * Modal submissions that confirm a change. Acknowledged means kept: the ack leaves only once the request is in
 * the database, or tells the person it was not saved (the database did not answer within KEEP_MS) so that they
 * submit again; a retry of the same view finds what was kept, if it was after all.
 */
export function registerSubmission(app: App, callbackId: string, handler: SubmissionHandler): void {
  app.view<ViewSubmitAction>(
    { type: 'view_submission', callback_id: callbackId },
    async ({ ack: slackAck, body, view, client, context }) => {
      const ack = async (response: Parameters<typeof slackAck>[0]) => {
        await slackAck(response);
        observeAck('view_submission', context);
      };
      const actor = slackActor(body.user);
      const outcome = await keepBeforeAck(() => handler.keep({ actor, view }));
      if ('refused' in outcome) {
        await ack({ response_action: 'update', view: noticeModal(view.title.text, outcome.refused) });
        return;
      }
      // Not saved: the same view submitted again is safe (it finds what was kept, if it was after all).
      if ('notSaved' in outcome) {
        await ack(notSaved(view));
        return;
      }
      await ack({ response_action: 'update', view: outcome.kept });
      const after = handler.after;
      if (!after) return;
      const show = async (next: Modal) => {
        await client.views.update({ view_id: view.id, view: next });
      };
      await afterAck(CLICK, async () => {
        try {
          await after({ actor, view, client, show });
        } catch (error) {
          await show(noticeModal(view.title.text, sentenceFor(error)));
        }
      });
    },
  );
}

/** NOT_SAVED on the modal's first input (Slack keeps what was entered), or the modal again with it on top. */
function notSaved(view: ViewOutput) {
  const input = view.blocks.find((block) => block.type === 'input' && block.block_id);
  if (input?.block_id) return { response_action: 'errors' as const, errors: { [input.block_id]: NOT_SAVED } };
  return { response_action: 'update' as const, view: notSavedModal(view) };
}
