import { readableText, type SlackEmulator, type SlackView } from '../../src/emulator';

/** What a modal says, as a person reads it. */
export const viewText = (view: SlackView) => readableText({ blocks: view.blocks });

/**
 * Waits until the modal shows text matching `match` and returns that text: a modal changes after the ack (the
 * preview replaces "Preparing…", the queued job replaces "Starting…").
 */
export function waitForViewText(emulator: SlackEmulator, viewId: string, match: RegExp): Promise<string> {
  return emulator.state.waitFor(
    () => {
      const view = emulator.state.view(viewId);
      const text = view && viewText(view);
      return text && match.test(text) ? text : undefined;
    },
    10_000,
    `view ${viewId} to show ${match}`,
  );
}

/** Polls the database until `probe` returns something: what the bot's worker does has no event to wait on. */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`still not there after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs `open` (a command, a click) and waits for the new modal it opens on `user`'s screen to reach
 * `callbackId`: the modal left from an earlier step may have the same callback id.
 */
export async function waitForNewModal(
  emulator: SlackEmulator,
  user: string,
  callbackId: string,
  open: () => Promise<unknown>,
): Promise<SlackView> {
  const before = emulator.state.openViews(user).at(-1)?.id;
  await open();
  return emulator.state.waitFor(
    () => {
      const top = emulator.state.openViews(user).at(-1);
      return top && top.id !== before && top.callback_id === callbackId ? top : undefined;
    },
    10_000,
    `a new modal ${callbackId} on ${user}'s screen`,
  );
}

/** The first message in the bot's DM with `user` that matches, once the DM is open and the message there. */
export function waitForDm(emulator: SlackEmulator, user: string, match: RegExp, timeoutMs = 15_000) {
  return emulator.state.waitFor(
    () => {
      const channel = emulator.state.dmChannel(user);
      return channel ? emulator.state.messages(channel).find((m) => match.test(readableText(m))) : undefined;
    },
    timeoutMs,
    `a DM to ${user} matching ${match}`,
  );
}
