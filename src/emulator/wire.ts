import type { JsonObject } from './json';
import type { EmulatorConfig } from './options';
import type { EmulatedUser } from './state/directory';
import type { FileSnapshot } from './state/files';
import type { StoredMessage } from './state/messages';

/** The shapes Slack puts on the wire for what the workspace stores: messages, files and users. */

export function slackMessage(message: StoredMessage, config: EmulatorConfig): JsonObject {
  const fromApp = message.user === config.bot.userId;
  return {
    type: 'message',
    user: message.user,
    ...(fromApp ? { bot_id: config.bot.botId, app_id: config.bot.appId } : {}),
    text: message.text,
    ts: message.ts,
    team: config.team.id,
    blocks: message.blocks,
    ...(message.attachments.length > 0 ? { attachments: message.attachments } : {}),
    ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
    ...(message.files === undefined ? {} : { files: message.files, upload: false }),
  };
}

/** url_private points back at the emulator, which serves the bytes (for the sandbox page's download links). */
export function slackFile(file: FileSnapshot, config: EmulatorConfig, baseUrl: string): JsonObject {
  const url = `${baseUrl}/files/${file.id}/${encodeURIComponent(file.name)}`;
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    user: file.user,
    user_team: config.team.id,
    size: file.bytes.length,
    mode: 'hosted',
    is_external: false,
    is_public: file.channels.length > 0,
    url_private: url,
    url_private_download: `${url}?download=1`,
    permalink: `https://${config.team.domain}.slack.com/files/${file.user}/${file.id}/${file.name}`,
    channels: file.channels,
    groups: [],
    ims: [],
    comments_count: 0,
  };
}

export function slackUser(user: EmulatedUser, config: EmulatorConfig, at: Date): JsonObject {
  return {
    id: user.id,
    team_id: config.team.id,
    name: user.name,
    deleted: user.deleted,
    real_name: user.real_name,
    tz: user.tz,
    ...timeZone(user.tz, at),
    is_admin: user.is_admin,
    is_owner: user.is_owner,
    is_bot: user.is_bot,
    is_app_user: false,
    profile: {
      real_name: user.real_name,
      real_name_normalized: user.real_name,
      display_name: user.display_name,
      display_name_normalized: user.display_name,
      ...(user.email === undefined ? {} : { email: user.email }),
      team: config.team.id,
    },
  };
}

/** Slack's tz_label ("Central European Standard Time") and tz_offset (seconds east of UTC) for an IANA zone. */
function timeZone(tz: string, at: Date): { tz_label: string; tz_offset: number } {
  const name = (style: 'long' | 'longOffset') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? '';
  // "GMT+05:30", or plain "GMT" at UTC.
  const [, sign, hours, minutes] = /GMT([+-])(\d\d):(\d\d)/.exec(name('longOffset')) ?? [];
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(hours) * 3600 + Number(minutes) * 60);
  return { tz_label: name('long'), tz_offset: offset };
}
