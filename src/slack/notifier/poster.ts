import type { types, webApi } from '@slack/bolt';
import Bottleneck from 'bottleneck';
import { botUserOf } from '../botUser';

export interface Message {
  text: string;
  blocks?: types.KnownBlock[];
}

export interface Posted {
  channel: string;
  ts: string;
}

/** A file shared into a conversation, with a comment that introduces it. */
export interface SharedFile {
  filename: string;
  content: Buffer;
  title: string;
  comment: string;
}

/**
 * Sends bot messages at the pace Slack allows: about one message per second per channel (posts and updates of
 * one channel share a queue), a few other calls at a time, and bounded queues — past them a send is dropped
 * (its promise rejects) and the outbox offers the event again later. 429s are waited out by the WebClient
 * itself (short retry policy, see app.ts).
 */
export class SlackPoster {
  private readonly channels = new Bottleneck.Group({
    maxConcurrent: 1,
    minTime: 1000,
    highWater: 200,
    strategy: Bottleneck.strategy.OVERFLOW,
  });
  private readonly others = new Bottleneck({
    maxConcurrent: 4,
    highWater: 500,
    strategy: Bottleneck.strategy.OVERFLOW,
  });
  private readonly dmChannels = new Map<string, string>();

  constructor(private readonly client: webApi.WebClient) {}

  async post(channel: string, message: Message): Promise<Posted> {
    const result = await this.channels
      .key(channel)
      .schedule(() => this.client.chat.postMessage({ channel, ...message }));
    return { channel: result.channel ?? channel, ts: result.ts ?? '' };
  }

  async update(posted: Posted, message: Message): Promise<void> {
    await this.channels.key(posted.channel).schedule(() => this.client.chat.update({ ...posted, ...message }));
  }

  /**
   * Uploads a file with the files upload v2 flow (files.getUploadURLExternal, the upload, then
   * files.completeUploadExternal) and shares it into the conversation. Sharing posts a message there, so it waits
   * its turn in that conversation's queue like a post.
   */
  async upload(channel: string, file: SharedFile): Promise<void> {
    await this.channels.key(channel).schedule(() =>
      this.client.filesUploadV2({
        channel_id: channel,
        file: file.content,
        filename: file.filename,
        title: file.title,
        initial_comment: file.comment,
      }),
    );
  }

  /** A direct message from the bot to a person. */
  async dm(user: string, message: Message): Promise<Posted> {
    return this.post(await this.dmChannel(user), message);
  }

  async dmChannel(user: string): Promise<string> {
    const known = this.dmChannels.get(user);
    if (known) return known;
    const opened = await this.others.schedule(() => this.client.conversations.open({ users: user }));
    const channel = opened.channel?.id;
    if (!channel) throw new Error(`Slack opened no DM with ${user}`);
    this.dmChannels.set(user, channel);
    return channel;
  }

  /** The bot's own user id, for telling people how to invite it. */
  botUser(): Promise<string | null> {
    return botUserOf(this.client);
  }

  /** Any other Web API call (views.publish, files upload…), a few at a time. */
  call<T>(work: () => Promise<T>): Promise<T> {
    return this.others.schedule(work);
  }

  async stop(): Promise<void> {
    await this.others.stop({ dropWaitingJobs: true });
    await Promise.all(this.channels.limiters().map(({ limiter }) => limiter.stop({ dropWaitingJobs: true })));
  }
}
