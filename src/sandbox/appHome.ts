import { randomBytes } from 'node:crypto';
import { type SlackEmulator, slackSignature } from '../emulator';

export interface AppHomeTarget {
  emulator: SlackEmulator;
  /** The app's Request URL for events. */
  eventsUrl: string;
  signingSecret: string;
}

/**
 * What Slack sends when a person opens the app's Home tab: an Events API `app_home_opened`, signed. The emulator's
 * simulator covers commands and interactions only (it leaves the Events API out), so the sandbox sends this one
 * event itself; the app answers, if it has a Home tab, with views.publish into the emulator.
 */
export async function openAppHome(target: AppHomeTarget, user: string, channel: string): Promise<number> {
  const { team, bot } = target.emulator.config;
  const now = Math.floor(Date.now() / 1000);
  const home = target.emulator.state.home(user);
  const body = JSON.stringify({
    token: 'emulator-verification',
    team_id: team.id,
    api_app_id: bot.appId,
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: now,
    authorizations: [{ team_id: team.id, user_id: bot.userId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event: {
      type: 'app_home_opened',
      user,
      channel,
      tab: 'home',
      event_ts: `${now}.000100`,
      ...(home === undefined ? {} : { view: home }),
    },
  });
  const response = await fetch(target.eventsUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Slack-Request-Timestamp': String(now),
      'X-Slack-Signature': slackSignature(target.signingSecret, now, body),
    },
    body,
    signal: AbortSignal.timeout(3000),
  });
  await response.arrayBuffer();
  return response.status;
}
