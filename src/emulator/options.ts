import type { RateLimit } from './rateLimiter';
import type { EmulatedChannel, EmulatedUser } from './state/directory';
import { TRIGGER_TTL_MS } from './triggers';

export interface TeamInfo {
  id: string;
  name: string;
  domain: string;
}

/** The app under test as Slack knows it: its bot user, bot and app ids. */
export interface BotInfo {
  userId: string;
  botId: string;
  appId: string;
  name: string;
}

/** A user the workspace knows; only the id and name are required. */
export type UserOptions = Pick<EmulatedUser, 'id' | 'name'> & Partial<Omit<EmulatedUser, 'id' | 'name' | 'is_bot'>>;

/** A channel; the bot is a member unless `is_member: false` (then it must join, or be invited, to post). */
export type ChannelOptions = Pick<EmulatedChannel, 'id' | 'name'> &
  Partial<Pick<EmulatedChannel, 'is_private' | 'is_archived' | 'is_member'>>;

export interface SlackEmulatorOptions {
  /** 127.0.0.1 unless told otherwise. */
  host?: string;
  /** 0 (any free port) unless told otherwise. */
  port?: number;
  /** Bot tokens the Web API accepts as `Authorization: Bearer …` or a `token` field. */
  tokens?: string[];
  /** App-level tokens (xapp-…) apps.connections.open accepts, for Socket Mode. */
  appTokens?: string[];
  team?: Partial<TeamInfo>;
  bot?: Partial<BotInfo>;
  users?: UserOptions[];
  channels?: ChannelOptions[];
  /** chat.postMessage calls allowed per channel; `false` turns the limit off. Defaults to DEFAULT_RATE_LIMIT. */
  rateLimit?: RateLimit | false;
  /** How long a trigger id stays exchangeable; Slack's is 3 s. Tests may shorten it. */
  triggerTtlMs?: number;
}

/** Options with every default filled in. */
export interface EmulatorConfig {
  host: string;
  port: number;
  tokens: string[];
  appTokens: string[];
  team: TeamInfo;
  bot: BotInfo;
  users: EmulatedUser[];
  channels: EmulatedChannel[];
  rateLimit: RateLimit | false;
  triggerTtlMs: number;
}

export const DEFAULT_TOKEN = 'xoxb-emulator-token';
export const DEFAULT_APP_TOKEN = 'xapp-1-A0APP000001-emulator';

/** About one chat.postMessage per second per channel, after a burst of three, as Slack's "short bursts allowed". */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 1, burst: 3 };

/** Enough people and places to use the emulator without configuring it: an admin, an agent and #general. */
const DEFAULT_USERS: UserOptions[] = [
  { id: 'U0ADMIN0001', name: 'ada', real_name: 'Ada Admin', is_admin: true },
  { id: 'U0AGENT0001', name: 'ben', real_name: 'Ben Agent' },
];
const DEFAULT_CHANNELS: ChannelOptions[] = [{ id: 'C0GENERAL01', name: 'general' }];

export function resolveOptions(options: SlackEmulatorOptions): EmulatorConfig {
  const team: TeamInfo = { id: 'T0EMULATED1', name: 'Emulated Workspace', domain: 'emulated', ...options.team };
  const bot: BotInfo = {
    userId: 'U0BOT000001',
    botId: 'B0BOT000001',
    appId: 'A0APP000001',
    name: 'bot',
    ...options.bot,
  };
  const botUser: EmulatedUser = { ...user({ id: bot.userId, name: bot.name }), is_bot: true };
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    tokens: options.tokens ?? [DEFAULT_TOKEN],
    appTokens: options.appTokens ?? [DEFAULT_APP_TOKEN],
    team,
    bot,
    users: [...(options.users ?? DEFAULT_USERS).map(user), botUser],
    channels: (options.channels ?? DEFAULT_CHANNELS).map((channel) => ({
      is_private: false,
      is_archived: false,
      is_member: true,
      ...channel,
      is_im: false,
    })),
    rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT,
    triggerTtlMs: options.triggerTtlMs ?? TRIGGER_TTL_MS,
  };
}

function user(options: UserOptions): EmulatedUser {
  return {
    real_name: options.name,
    display_name: options.real_name ?? options.name,
    tz: 'UTC',
    is_admin: false,
    is_owner: false,
    deleted: false,
    ...options,
    is_bot: false,
  };
}
