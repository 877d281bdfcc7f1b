import type { EmulatorContext } from '../context';
import { SlackApiError } from '../errors';
import { isJsonObject, type JsonObject } from '../json';
import { applyResponse, type ResponseTarget } from '../responseUrls';
import type { SlackView, StateValues } from '../state/views';
import { readView } from '../validation';

/** What Slack did with a view_submission ack, or why it could not (the user would see an error in the modal). */
export interface ViewAckOutcome {
  action: 'closed' | 'errors' | 'updated' | 'pushed' | 'cleared' | 'kept';
  problem?: string;
}

/**
 * What the Slack platform does around a user's action, beyond relaying it to the app: issuing trigger ids and
 * response URLs, and acting on the app's ack. The platform simulator drives these; so can the sandbox page.
 */
export interface PlatformHooks {
  issueTriggerId(user: string): string;
  issueResponseUrl(target: ResponseTarget): string;
  /** A slash command's ack body is a response to the command. Returns what was wrong with it, if anything. */
  applyCommandAck(target: ResponseTarget, body: JsonObject): string | undefined;
  applyViewSubmissionAck(user: string, viewId: string, body: unknown): ViewAckOutcome;
  /** Errors under a view's fields, from the app or from the Slack client itself (an empty required field). */
  showViewErrors(viewId: string, errors: Record<string, string>): void;
  /** What the user typed or picked in a view, kept in its state.values until they submit. */
  enterValues(viewId: string, values: StateValues): SlackView;
  /** The user closes the modal on screen. */
  closeView(user: string): void;
  /** The user's DM with the app, opened if need be (Slack has one for every person who opens the app). */
  appDm(user: string): string;
}

export function createPlatformHooks(ctx: EmulatorContext): PlatformHooks {
  const { views } = ctx.workspace;
  return {
    issueTriggerId: (user) => ctx.triggers.issue(user),
    issueResponseUrl: (target) => ctx.responseUrls.issue(target),
    applyCommandAck(target, body) {
      try {
        applyResponse(ctx, target, body);
        return undefined;
      } catch (error) {
        return problemOf(error);
      }
    },
    applyViewSubmissionAck(user, viewId, body) {
      try {
        return applyViewAck(ctx, user, viewId, isJsonObject(body) ? body : {});
      } catch (error) {
        return { action: 'kept', problem: problemOf(error) };
      }
    },
    showViewErrors: (viewId, errors) => views.showErrors(viewId, errors),
    enterValues: (viewId, values) => views.enterValues(viewId, values),
    closeView: (user) => views.closeTop(user),
    appDm: (user) => ctx.workspace.directory.openDm(user).channel.id,
  };
}

/** An empty ack closes the submitted view; `response_action` asks for something else. */
function applyViewAck(ctx: EmulatorContext, user: string, viewId: string, body: JsonObject): ViewAckOutcome {
  const { views } = ctx.workspace;
  switch (body.response_action) {
    case undefined:
      views.closeTop(user);
      return { action: 'closed' };
    case 'errors':
      views.showErrors(viewId, fieldErrors(body.errors));
      return { action: 'errors' };
    case 'update':
      views.update(viewId, readView(body.view));
      return { action: 'updated' };
    case 'push':
      views.push(user, readView(body.view));
      return { action: 'pushed' };
    case 'clear':
      views.clear(user);
      return { action: 'cleared' };
    default:
      return { action: 'kept', problem: `unknown response_action: ${String(body.response_action)}` };
  }
}

function fieldErrors(errors: unknown): Record<string, string> {
  if (!isJsonObject(errors)) throw new SlackApiError('invalid_arguments', ['errors must map block_ids to messages']);
  return Object.fromEntries(Object.entries(errors).map(([blockId, message]) => [blockId, String(message)]));
}

function problemOf(error: unknown): string {
  if (error instanceof SlackApiError) return error.message;
  throw error;
}
