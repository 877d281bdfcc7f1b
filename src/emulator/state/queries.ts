import { readableText } from '../blockTree';
import type { ChangeListener } from './changes';
import type { EmulatedChannel, EmulatedUser } from './directory';
import { type FileSnapshot, snapshot } from './files';
import type { StoredMessage } from './messages';
import type { SlackView } from './views';
import type { Workspace } from './workspace';

/** Text the message shows (its text or any text in its blocks), a pattern for it, or any test on the message. */
export type MessageMatch = string | RegExp | ((message: StoredMessage) => boolean);

const DEFAULT_WAIT_MS = 5000;

/**
 * What the people in the emulated workspace would see, for tests and the sandbox page. Read-only: things change
 * through the Web API (the app) and the platform simulator (the users). Results are copies taken when asked.
 */
export class EmulatorState {
  constructor(private readonly workspace: Workspace) {}

  user(id: string): EmulatedUser | undefined {
    return copy(this.workspace.directory.user(id));
  }

  users(): EmulatedUser[] {
    return copy(this.workspace.directory.allUsers());
  }

  channel(id: string): EmulatedChannel | undefined {
    return copy(this.workspace.directory.channel(id));
  }

  channels(): EmulatedChannel[] {
    return copy(this.workspace.directory.allChannels());
  }

  /** The id of the app's DM with this user, once conversations.open (or a post to the user id) created it. */
  dmChannel(user: string): string | undefined {
    return this.workspace.directory.dmWith(user)?.id;
  }

  /** The channel's messages, oldest first, each with its current content and every earlier version. */
  messages(channel: string): StoredMessage[] {
    return copy([...this.workspace.messages.inChannel(channel)]);
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return copy(this.workspace.messages.find(channel, ts));
  }

  /** Ephemeral messages only this user sees, oldest first, optionally only those in one channel. */
  ephemerals(user: string, channel?: string): StoredMessage[] {
    const all = this.workspace.messages.ephemeralFor(user);
    return copy(all.filter((message) => channel === undefined || message.channel === channel));
  }

  /** The user's modal stack: the first opened first, the one on screen last. Empty when no modal is open. */
  openViews(user: string): SlackView[] {
    return copy(this.workspace.views.stack(user));
  }

  /** A view that is open (a modal in some stack, or an App Home view). */
  view(viewId: string): SlackView | undefined {
    return copy(this.workspace.views.get(viewId)?.view);
  }

  /** Field errors shown on an open view (block_id → message), from `response_action: 'errors'`. */
  viewErrors(viewId: string): Record<string, string> {
    return { ...this.workspace.views.get(viewId)?.errors };
  }

  home(user: string): SlackView | undefined {
    return copy(this.workspace.views.home(user));
  }

  /** Uploaded files, with their bytes, optionally only those shared into one channel. */
  files(channel?: string): FileSnapshot[] {
    return this.workspace.files.list(channel).map(snapshot);
  }

  file(id: string): FileSnapshot | undefined {
    const file = this.workspace.files.get(id);
    return file?.status === 'complete' ? snapshot(file) : undefined;
  }

  /** Calls `listener` with every change. Returns the function that stops it. */
  on(listener: ChangeListener): () => void {
    return this.workspace.changes.on(listener);
  }

  /** Resolves with the first truthy value `probe` returns, probing now and after every change; no sleeping. */
  waitFor<T>(
    probe: () => T | undefined | null | false,
    timeoutMs = DEFAULT_WAIT_MS,
    description = 'a condition',
  ): Promise<T> {
    return this.workspace.changes.waitFor(probe, timeoutMs, description);
  }

  /** The first message in the channel, oldest first, that matches; waits for one to appear or be updated to match. */
  waitForMessage(channel: string, match: MessageMatch, timeoutMs = DEFAULT_WAIT_MS): Promise<StoredMessage> {
    const probe = () => this.messages(channel).find((message) => matches(message, match));
    return this.waitFor(probe, timeoutMs, `a message matching ${String(match)} in ${channel}`);
  }

  /** The modal on the user's screen, once one is (with this callback_id, if given). */
  waitForModal(user: string, callbackId?: string, timeoutMs = DEFAULT_WAIT_MS): Promise<SlackView> {
    const probe = () => {
      const onScreen = this.openViews(user).at(-1);
      return callbackId === undefined || onScreen?.callback_id === callbackId ? onScreen : undefined;
    };
    return this.waitFor(probe, timeoutMs, `a modal ${callbackId ?? ''} on ${user}'s screen`);
  }

  /** Like waitForMessage, for the ephemeral messages only `user` sees. */
  waitForEphemeral(user: string, match: MessageMatch, timeoutMs = DEFAULT_WAIT_MS): Promise<StoredMessage> {
    const probe = () => this.ephemerals(user).find((message) => matches(message, match));
    return this.waitFor(probe, timeoutMs, `an ephemeral message matching ${String(match)} for ${user}`);
  }
}

function matches(message: StoredMessage, match: MessageMatch): boolean {
  if (typeof match === 'function') return match(message);
  const text = readableText(message);
  return typeof match === 'string' ? text.includes(match) : match.test(text);
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
