import { type Logger, LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { type SlackEmulator, type SlackEmulatorOptions, startSlackEmulator } from '../../src/emulator';

/** WebClient logs refused calls at error level; the tests assert on them instead. */
export const quietLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

export interface EmulatorFixture {
  emulator: SlackEmulator;
  /** A real WebClient pointed at the emulator, with the bot token. */
  client: WebClient;
  /** Another WebClient for the same emulator, with other options (a token, retry behaviour…). */
  clientWith(token: string | undefined, options?: WebClientOptions): WebClient;
}

/** A fresh emulator for each test, stopped after it. */
export function useEmulator(options: SlackEmulatorOptions = {}): EmulatorFixture {
  const fixture = {} as EmulatorFixture;
  beforeEach(async () => {
    const emulator = await startSlackEmulator(options);
    const clientWith = (token: string | undefined, more: WebClientOptions = {}) =>
      new WebClient(token, { slackApiUrl: emulator.apiUrl, logger: quietLogger, ...more });
    Object.assign(fixture, { emulator, clientWith, client: clientWith(emulator.token) });
  });
  afterEach(() => fixture.emulator.stop());
  return fixture;
}

/** The error a WebClient call was refused with. */
export async function refusal(call: Promise<unknown>): Promise<{ error: string; messages: string[] }> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { error: string; response_metadata?: { messages?: string[] } } }).data;
    if (data !== undefined) return { error: data.error, messages: data.response_metadata?.messages ?? [] };
    throw error;
  }
  throw new Error('Expected the call to be refused');
}
