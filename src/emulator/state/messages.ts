import { withGeneratedIds } from '../blockTree';
import type { IdSource } from '../ids';
import type { JsonObject } from '../json';
import type { ChangeFeed } from './changes';

/** What a message says. chat.update and replace_original give a message a new version of it. */
export interface MessageContent {
  text: string;
  blocks: JsonObject[];
  attachments: JsonObject[];
}

export interface StoredMessage extends MessageContent {
  channel: string;
  ts: string;
  /** Who posted it: the bot user for everything the app posts. */
  user: string;
  /** Only for an ephemeral message: the one user who sees it. */
  visibleTo?: string;
  thread_ts?: string;
  files?: JsonObject[];
  /** Every version, oldest first; the last is what users see now. A progress bar updated in place leaves a trail. */
  versions: MessageContent[];
}

export interface PostOptions {
  thread_ts?: string;
  files?: JsonObject[];
  /** Makes the message ephemeral, seen by this user only. */
  visibleTo?: string;
}

/** Channel messages and ephemeral messages, each with its versions. */
export class MessageStore {
  private readonly byChannel = new Map<string, StoredMessage[]>();
  private readonly ephemeral: StoredMessage[] = [];

  constructor(
    private readonly ids: IdSource,
    private readonly now: () => number,
    private readonly changes: ChangeFeed,
  ) {}

  post(channel: string, user: string, content: MessageContent, options: PostOptions = {}): StoredMessage {
    const version = this.stamp(content);
    const message: StoredMessage = { channel, ts: this.ids.ts(this.now()), user, ...version, versions: [version] };
    if (options.thread_ts !== undefined) message.thread_ts = options.thread_ts;
    if (options.files !== undefined) message.files = options.files;
    if (options.visibleTo !== undefined) message.visibleTo = options.visibleTo;
    (message.visibleTo === undefined ? this.channelMessages(channel) : this.ephemeral).push(message);
    this.changes.emit({ type: 'message_posted', message: structuredClone(message) });
    return message;
  }

  /** A message posted to a channel (not an ephemeral one). */
  find(channel: string, ts: string): StoredMessage | undefined {
    return this.byChannel.get(channel)?.find((message) => message.ts === ts);
  }

  findEphemeral(ts: string): StoredMessage | undefined {
    return this.ephemeral.find((message) => message.ts === ts);
  }

  edit(message: StoredMessage, content: MessageContent): StoredMessage {
    const version = this.stamp(content);
    Object.assign(message, version);
    message.versions.push(version);
    this.changes.emit({ type: 'message_updated', message: structuredClone(message) });
    return message;
  }

  remove(message: StoredMessage): void {
    const list = message.visibleTo === undefined ? this.channelMessages(message.channel) : this.ephemeral;
    list.splice(list.indexOf(message), 1);
    this.changes.emit({ type: 'message_deleted', message: structuredClone(message) });
  }

  inChannel(channel: string): readonly StoredMessage[] {
    return this.byChannel.get(channel) ?? [];
  }

  ephemeralFor(user: string): readonly StoredMessage[] {
    return this.ephemeral.filter((message) => message.visibleTo === user);
  }

  private channelMessages(channel: string): StoredMessage[] {
    let list = this.byChannel.get(channel);
    if (list === undefined) {
      list = [];
      this.byChannel.set(channel, list);
    }
    return list;
  }

  private stamp(content: MessageContent): MessageContent {
    return { ...content, blocks: withGeneratedIds(content.blocks, () => this.ids.blockId()) };
  }
}
