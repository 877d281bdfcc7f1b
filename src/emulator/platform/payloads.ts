import type { JsonObject } from '../json';
import type { TeamInfo } from '../options';
import type { EmulatedChannel, EmulatedUser } from '../state/directory';
import type { SlackView } from '../state/views';

/**
 * The bodies Slack sends to an app's Request URL. Slash commands are a form; interactions are a form with one
 * field, `payload`, holding JSON. Field names follow Slack's payload reference.
 */

/** Who acts, and for which app, as every payload says. */
export interface Actor {
  user: EmulatedUser;
  team: TeamInfo;
  appId: string;
  /** The deprecated verification token Slack still includes. */
  verificationToken: string;
}

export function slashCommandForm(
  actor: Actor,
  channel: EmulatedChannel,
  command: string,
  text: string,
  links: { triggerId: string; responseUrl: string },
): string {
  return new URLSearchParams({
    token: actor.verificationToken,
    team_id: actor.team.id,
    team_domain: actor.team.domain,
    channel_id: channel.id,
    channel_name: channel.is_im ? 'directmessage' : channel.name,
    user_id: actor.user.id,
    user_name: actor.user.name,
    command,
    text,
    api_app_id: actor.appId,
    is_enterprise_install: 'false',
    response_url: links.responseUrl,
    trigger_id: links.triggerId,
  }).toString();
}

export function interactionForm(payload: JsonObject): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** block_actions from a message; an ephemeral message comes without its content, as in Slack. */
export function messageActionPayload(
  actor: Actor,
  where: { channel: EmulatedChannel; ts: string; ephemeral: boolean; message: JsonObject },
  action: JsonObject,
  links: { triggerId: string; responseUrl: string },
): JsonObject {
  return {
    ...envelope('block_actions', actor),
    container: { type: 'message', message_ts: where.ts, channel_id: where.channel.id, is_ephemeral: where.ephemeral },
    trigger_id: links.triggerId,
    channel: { id: where.channel.id, name: where.channel.name },
    ...(where.ephemeral ? {} : { message: where.message }),
    state: { values: {} },
    response_url: links.responseUrl,
    actions: [action],
  };
}

/** block_actions from a modal or App Home view; these have no response_url. */
export function viewActionPayload(actor: Actor, view: SlackView, action: JsonObject, triggerId: string): JsonObject {
  return {
    ...envelope('block_actions', actor),
    container: { type: 'view', view_id: view.id },
    trigger_id: triggerId,
    view,
    actions: [action],
  };
}

export function viewSubmissionPayload(actor: Actor, view: SlackView, triggerId: string): JsonObject {
  return { ...envelope('view_submission', actor), trigger_id: triggerId, view, response_urls: [] };
}

/** Sent only for views that set notify_on_close. */
export function viewClosedPayload(actor: Actor, view: SlackView): JsonObject {
  return { ...envelope('view_closed', actor), view, is_cleared: false };
}

/** The Events API's app_home_opened: JSON (not a form), with the Home view the person had, if any. */
export function appHomeOpenedEvent(
  actor: Actor,
  where: { botUserId: string; channel: string; home: SlackView | undefined; eventId: string; now: number },
): string {
  return JSON.stringify({
    token: actor.verificationToken,
    team_id: actor.team.id,
    api_app_id: actor.appId,
    type: 'event_callback',
    event_id: where.eventId,
    event_time: where.now,
    authorizations: [{ team_id: actor.team.id, user_id: where.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event: {
      type: 'app_home_opened',
      user: actor.user.id,
      channel: where.channel,
      tab: 'home',
      event_ts: `${where.now}.000100`,
      ...(where.home === undefined ? {} : { view: where.home }),
    },
  });
}

function envelope(type: string, actor: Actor): JsonObject {
  return {
    type,
    user: { id: actor.user.id, username: actor.user.name, name: actor.user.name, team_id: actor.team.id },
    api_app_id: actor.appId,
    token: actor.verificationToken,
    team: { id: actor.team.id, domain: actor.team.domain },
    enterprise: null,
    is_enterprise_install: false,
  };
}
