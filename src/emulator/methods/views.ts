import type { EmulatorContext } from '../context';
import { invalidArgument, SlackApiError } from '../errors';
import type { JsonObject } from '../json';
import type { SlackView } from '../state/views';
import { readView } from '../validation';
import { stringArg } from './args';
import type { ApiHandler, ApiMethod } from './types';

// Each method checks the view before spending the trigger, so a rejected view leaves the trigger usable.

const open: ApiHandler = (args, ctx) => {
  const view = modal(args, ctx);
  const user = ctx.triggers.exchange(triggerOf(args));
  return { view: ctx.workspace.views.open(user, view) };
};

const push: ApiHandler = (args, ctx) => {
  const view = modal(args, ctx);
  const user = ctx.triggers.exchange(triggerOf(args));
  return { view: ctx.workspace.views.push(user, view) };
};

/** By view_id or external_id; with a hash, only if the view has not changed since the app last saw it. */
const update: ApiHandler = (args, ctx) => {
  const view = readView(args.view);
  const viewId = stringArg(args, 'view_id');
  const externalId = stringArg(args, 'external_id');
  if (viewId === undefined && externalId === undefined) {
    throw invalidArgument('view_id', 'either view_id or external_id is required');
  }
  const { views } = ctx.workspace;
  const current = (viewId === undefined ? views.withExternalId(externalId ?? '') : views.get(viewId))?.view;
  if (current === undefined) throw new SlackApiError('not_found');
  if (view.type !== current.type) throw invalidArgument('view/type', `must be ${current.type}, the type of the view`);
  checkHash(args, current);
  checkExternalIdFree(view, ctx, current.id);
  return { view: views.update(current.id, view) };
};

const publish: ApiHandler = (args, ctx) => {
  const view = readView(args.view);
  if (view.type !== 'home') throw invalidArgument('view/type', 'must be home for views.publish');
  const user = stringArg(args, 'user_id');
  if (user === undefined || ctx.workspace.directory.user(user) === undefined) {
    throw invalidArgument('user_id', 'invalid `user_id`');
  }
  const current = ctx.workspace.views.home(user);
  if (current !== undefined) checkHash(args, current);
  checkExternalIdFree(view, ctx, current?.id);
  return { view: ctx.workspace.views.publishHome(user, view) };
};

export const viewMethods: Record<string, ApiMethod> = {
  'views.open': { handle: open },
  'views.push': { handle: push },
  'views.update': { handle: update },
  'views.publish': { handle: publish },
};

function modal(args: JsonObject, ctx: EmulatorContext): JsonObject {
  const view = readView(args.view);
  if (view.type !== 'modal') throw invalidArgument('view/type', 'must be modal');
  checkExternalIdFree(view, ctx);
  return view;
}

/** Slack accepts a trigger_id, or an interactivity_pointer (the same thing under another name). */
function triggerOf(args: JsonObject): string {
  const trigger = stringArg(args, 'trigger_id') ?? stringArg(args, 'interactivity_pointer');
  if (trigger === undefined) throw invalidArgument('trigger_id', 'missing required field: trigger_id');
  return trigger;
}

function checkHash(args: JsonObject, current: SlackView): void {
  const hash = stringArg(args, 'hash');
  if (hash !== undefined && hash !== current.hash) throw new SlackApiError('hash_conflict');
}

/** An external_id names one view in the whole workspace. */
function checkExternalIdFree(view: JsonObject, ctx: EmulatorContext, exceptViewId?: string): void {
  if (typeof view.external_id !== 'string' || view.external_id === '') return;
  const holder = ctx.workspace.views.withExternalId(view.external_id);
  if (holder !== undefined && holder.view.id !== exceptViewId) throw new SlackApiError('duplicate_external_id');
}
