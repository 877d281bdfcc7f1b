import { CallLog } from './callLog';
import type { EmulatorContext } from './context';
import { Faults } from './faults';
import { close, listen, serve } from './http';
import { IdSource } from './ids';
import { type EmulatorConfig, resolveOptions, type SlackEmulatorOptions } from './options';
import { createPlatformHooks, type PlatformHooks } from './platform/hooks';
import { ResponseUrls, responseUrlRoute } from './responseUrls';
import { SocketModeHub } from './socketMode';
import type { Directory } from './state/directory';
import { EmulatorState } from './state/queries';
import { createWorkspace } from './state/workspace';
import { TriggerRegistry } from './triggers';
import { downloadRoute, uploadRoute } from './uploads';
import { webApiRoute } from './webApi';

export interface SlackEmulator {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Give this to WebClient (and Bolt's clientOptions) as `slackApiUrl`. Ends in `/api/`. */
  readonly apiUrl: string;
  /** A bot token the emulator accepts. */
  readonly token: string;
  /** An app-level token apps.connections.open accepts (Socket Mode's SLACK_APP_TOKEN). */
  readonly appToken: string;
  /** Socket Mode's side: the app's connections, envelopes to them, and `disconnect`. */
  readonly socketMode: SocketModeHub;
  readonly config: EmulatorConfig;
  /** What users would see: messages, ephemerals, modals, App Homes, files; and a way to wait for changes. */
  readonly state: EmulatorState;
  /** Every request the app made, accepted or refused. */
  readonly calls: CallLog;
  /** The platform's side of user interactions, for the platform simulator (or the sandbox page). */
  readonly platform: PlatformHooks;
  /** Failures to answer with, for tests of how the app copes (fault injection). */
  readonly faults: Faults;
  /** What a workspace admin does meanwhile: deactivate a person, archive a channel, remove the bot from one. */
  change(id: string, patch: Parameters<Directory['change']>[1]): void;
  stop(): Promise<void>;
}

/** Starts a Slack Web API emulator on a free loopback port (unless options say otherwise). */
export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const config = resolveOptions(options);
  const { server, url } = await listen(config.host, config.port);
  const now = () => Date.now();
  const ids = new IdSource();
  const owner = { team_id: config.team.id, app_id: config.bot.appId, bot_id: config.bot.botId };
  const workspace = createWorkspace({ users: config.users, channels: config.channels, owner }, ids, now);
  const ctx: EmulatorContext = {
    config,
    workspace,
    ids,
    triggers: new TriggerRegistry(ids, now, config.triggerTtlMs),
    responseUrls: new ResponseUrls(ids, now, url),
    socketMode: new SocketModeHub(url, config.bot.appId),
    baseUrl: url,
    now,
    faults: new Faults(),
  };
  const calls = new CallLog();
  ctx.socketMode.attach(server);
  serve(server, [webApiRoute(ctx, calls), uploadRoute(ctx, calls), downloadRoute(ctx), responseUrlRoute(ctx, calls)]);
  return {
    url,
    apiUrl: `${url}/api/`,
    token: config.tokens[0] ?? '',
    appToken: config.appTokens[0] ?? '',
    socketMode: ctx.socketMode,
    config,
    state: new EmulatorState(workspace),
    calls,
    platform: createPlatformHooks(ctx),
    faults: ctx.faults,
    change: (id, patch) => workspace.directory.change(id, patch),
    stop: async () => {
      await ctx.socketMode.close();
      await close(server);
    },
  };
}
