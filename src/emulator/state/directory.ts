import type { IdSource } from '../ids';

export interface EmulatedUser {
  id: string;
  name: string;
  real_name: string;
  display_name: string;
  email?: string;
  /** An IANA time zone, as in Slack's `tz`. */
  tz: string;
  is_admin: boolean;
  is_owner: boolean;
  is_bot: boolean;
  /** Deactivated: Slack's `deleted`. The app can no longer open a DM with them. */
  deleted: boolean;
}

export interface EmulatedChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_im: boolean;
  is_archived: boolean;
  /** Whether the app's bot user is in the conversation (always, for its DMs). */
  is_member: boolean;
  /** For a DM: the user on the other side. */
  user?: string;
}

/** The workspace's people and conversations, including the DMs conversations.open creates. */
export class Directory {
  private readonly users: Map<string, EmulatedUser>;
  private readonly channels: Map<string, EmulatedChannel>;
  private readonly dms = new Map<string, EmulatedChannel>();

  constructor(
    users: readonly EmulatedUser[],
    channels: readonly EmulatedChannel[],
    private readonly ids: IdSource,
  ) {
    this.users = new Map(users.map((user) => [user.id, user]));
    this.channels = new Map(channels.map((channel) => [channel.id, channel]));
  }

  user(id: string): EmulatedUser | undefined {
    return this.users.get(id);
  }

  allUsers(): EmulatedUser[] {
    return [...this.users.values()];
  }

  channel(id: string): EmulatedChannel | undefined {
    return this.channels.get(id);
  }

  allChannels(): EmulatedChannel[] {
    return [...this.channels.values()];
  }

  /** A channel by id or by `#name`, as chat.postMessage accepts either. */
  find(reference: string): EmulatedChannel | undefined {
    const name = reference.replace(/^#/, '');
    return (
      this.channels.get(reference) ?? this.allChannels().find((channel) => !channel.is_im && channel.name === name)
    );
  }

  /** The DM with a user keeps one id for the life of the workspace, as in Slack. */
  openDm(user: string): { channel: EmulatedChannel; alreadyOpen: boolean } {
    const existing = this.dms.get(user);
    if (existing !== undefined) return { channel: existing, alreadyOpen: true };
    const channel: EmulatedChannel = {
      id: this.ids.next('D'),
      name: user,
      is_private: true,
      is_im: true,
      is_archived: false,
      is_member: true,
      user,
    };
    this.dms.set(user, channel);
    this.channels.set(channel.id, channel);
    return { channel, alreadyOpen: false };
  }

  /** The bot joins a channel (conversations.join, or someone /invites it). */
  join(id: string): void {
    const channel = this.channels.get(id);
    if (channel) channel.is_member = true;
  }

  /** Changes a person or a channel as a workspace admin would: deactivates, archives, removes the bot. */
  change(
    id: string,
    patch: Partial<Pick<EmulatedUser, 'deleted'> & Pick<EmulatedChannel, 'is_archived' | 'is_member'>>,
  ) {
    const user = this.users.get(id);
    if (user && patch.deleted !== undefined) user.deleted = patch.deleted;
    const channel = this.channels.get(id);
    if (channel && patch.is_archived !== undefined) channel.is_archived = patch.is_archived;
    if (channel && patch.is_member !== undefined) channel.is_member = patch.is_member;
  }

  dmWith(user: string): EmulatedChannel | undefined {
    return this.dms.get(user);
  }
}
