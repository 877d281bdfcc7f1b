import { randomBytes } from 'node:crypto';
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
import { noticeModal } from '../../views/notice';
import { DomainError } from '../accounts/errors';
import type { Actor } from '../accounts/models';
import { explainDatabaseError } from '../db/errors';
import { log } from '../log';
import { meterAfterAckQueue, observeAck, timedAfterAck } from '../metrics';
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

/**
 * The one wrapper around every listener (slash commands, buttons, modal submissions): it acks first — before
 * any database or Web API call — then identifies the person, checks their role and turns any failure into one
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
 * <#C123|team> → C123.
 */
export function unescapeWord(word: string): string {
  const escaped = /^<(?:mailto:|@|#|!subteam\^)?([^|>]+)(?:\|[^>]*)?>$/.exec(word);
  return escaped?.[1] ?? word;
}

export interface CommandInput {
  actor: Actor;
  /** The words after the command, unescaped. */
  args: string[];
  payload: SlashCommand;
  client: webApi.WebClient;
  /** An ephemeral reply to the person, where they typed the command. */
  reply: (message: string | { text: string; blocks?: types.KnownBlock[] }) => Promise<void>;
}

export interface SlashCommandModule {
  /** '/customer' */
  name: string;
  /** Usage hint, as in the manifest: '<email>' */
  usage: string;
  description: string;
  /** Longer help (mrkdwn), shown for `help` and for no arguments. */
  help: string;
  /** It does something without arguments (lists, say): then only `help` answers with the usage. */
  runsWithoutArguments?: boolean;
  /** Fast checks of the words, answered in the ack itself: an error sentence, or null. No I/O here. */
  check?(args: string[]): string | null;
  run(input: CommandInput): Promise<void>;
  /** The command's own buttons and modals. */
  register?(app: App): void;
}

const helpText = (m: SlashCommandModule) => `*${m.name} ${m.usage}*\n${m.description}\n${m.help}`;

export function registerCommand(app: App, module: SlashCommandModule): void {
  app.command(module.name, async ({ ack: slackAck, command, client, respond, context }) => {
    const ack = async (response?: Parameters<typeof slackAck>[0]) => {
      await slackAck(response);
      observeAck('slash_command', context);
    };
    const args = command.text.trim().split(/\s+/).filter(Boolean).map(unescapeWord);
    if ((args.length === 0 && !module.runsWithoutArguments) || (args.length === 1 && args[0] === 'help')) {
      await ack({ response_type: 'ephemeral', text: helpText(module) });
      return;
    }
    const problem = module.check?.(args);
    if (problem) {
      await ack({ response_type: 'ephemeral', text: `${problem}\nUsage: \`${module.name} ${module.usage}\`` });
      return;
    }
    await ack();
    const reply = replier(respond);
    await afterAcks.schedule(
      COMMAND,
      timedAfterAck(async () => {
        try {
          await module.run({
            actor: slackActor({ id: command.user_id, name: command.user_name }),
            args,
            payload: command,
            client,
            reply,
          });
        } catch (error) {
          await reply(sentenceFor(error));
        }
      }),
    );
  });
  module.register?.(app);
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

/** Buttons and other elements, in messages, modals or App Home: ack first, then as registerCommand. */
export function registerAction(app: App, actionId: string, run: (input: ActionInput) => Promise<void>): void {
  app.action<BlockAction>(
    { type: 'block_actions', action_id: actionId },
    async ({ ack, action, body, client, respond, context }) => {
      await ack();
      observeAck('block_action', context);
      const reply = actionReplier(body, client, respond);
      await afterAcks.schedule(
        CLICK,
        timedAfterAck(async () => {
          try {
            await run({ actor: slackActor(body.user), action, body, client, reply });
          } catch (error) {
            await reply(sentenceFor(error));
          }
        }),
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

export interface SubmissionInput {
  actor: Actor;
  /** The submitted modal: its id, private_metadata and what was entered (state.values). */
  view: ViewOutput;
  client: webApi.WebClient;
  /** Replaces what the modal shows; it stays open under the same view id. */
  show(view: Modal): Promise<void>;
}

export interface SubmissionHandler {
  /** What the modal shows at once, sent in the ack (`response_action: 'update'`): no I/O here. */
  interim(view: ViewOutput): Modal;
  run(input: SubmissionInput): Promise<void>;
}

/** Modal submissions: the ack updates the modal to `interim`, the work follows, a failure shows in the modal. */
export function registerSubmission(app: App, callbackId: string, handler: SubmissionHandler): void {
  app.view<ViewSubmitAction>(
    { type: 'view_submission', callback_id: callbackId },
    async ({ ack, body, view, client, context }) => {
      await ack({ response_action: 'update', view: handler.interim(view) });
      observeAck('view_submission', context);
      const show = async (next: Modal) => {
        await client.views.update({ view_id: view.id, view: next });
      };
      await afterAcks.schedule(
        CLICK,
        timedAfterAck(async () => {
          try {
            await handler.run({ actor: slackActor(body.user), view, client, show });
          } catch (error) {
            await show(noticeModal(view.title.text, sentenceFor(error)));
          }
        }),
      );
    },
  );
}
