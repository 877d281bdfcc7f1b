import { randomBytes } from 'node:crypto';
import { sandboxHost, slackConfigFromEnv } from '../config';
import { SlackClientSimulator, startSlackEmulator } from '../emulator';
import type { WorkerOptions } from '../jobs/worker';
import { startBot } from '../server';
import { changeStream } from './changeStream';
import { commandHints } from './commandList';
import { ensureDemoDirectory } from './demoDirectory';
import { interactionRoutes } from './interactions';
import { grantSandboxRoles, SANDBOX_BOT, SANDBOX_CHANNELS, SANDBOX_PEOPLE } from './people';
import { readRoutes, type WorkspaceInfo } from './reads';
import { staticRoutes } from './staticFiles';

export interface RunningSandbox {
  /** The page: http://127.0.0.1:<port>/ (SANDBOX_HOST's address, 127.0.0.1 for 0.0.0.0) */
  pageUrl: string;
  /** Whether the demo directory was loaded now, or the database already held one. */
  directory: 'loaded' | 'kept';
  stop(): Promise<void>;
}

export interface SandboxOptions {
  env?: NodeJS.ProcessEnv;
  workerOptions?: Partial<WorkerOptions>;
  /** The page's requests reach the bot over Socket Mode instead of HTTP (default: SANDBOX_SOCKET_MODE=true). */
  socketMode?: boolean;
}

/**
 * `npm start` without Slack credentials, on an open connection to the sandbox's own database (claimSandboxDatabase),
 * listening on SANDBOX_HOST (loopback by default): the demo directory if the database is
 * empty, the Slack emulator, the real app pointed at it (exactly as with Slack, only SLACK_API_URL differs), and the
 * page on the app's own HTTP server. The app does not know: the page's clicks reach it as signed requests on
 * /slack/events, and what it sends to the Web API lands in the emulator, which the page draws.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const directory = await ensureDemoDirectory();
  await grantSandboxRoles();
  const people = Object.values(SANDBOX_PEOPLE);
  const emulator = await startSlackEmulator({
    users: people,
    channels: Object.values(SANDBOX_CHANNELS),
    team: { name: 'Sandbox' },
    bot: SANDBOX_BOT,
  });
  // A fresh secret per run: only this process's simulator can sign requests the app accepts.
  const signingSecret = randomBytes(16).toString('hex');
  const env = options.env ?? process.env;
  const socketMode = options.socketMode ?? env.SANDBOX_SOCKET_MODE === 'true';
  const config = slackConfigFromEnv({
    ...env,
    SLACK_BOT_TOKEN: emulator.token,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_APP_TOKEN: socketMode ? emulator.appToken : '',
    SLACK_API_URL: emulator.apiUrl,
    HOST: sandboxHost(env),
  });
  config.bootstrapAdmins.push(SANDBOX_PEOPLE.admin.id);

  // The routes are handed to the app before it listens; the simulator needs the app's address, known only after.
  let session: SlackClientSimulator | undefined;
  const started = () => {
    if (!session) throw new Error('The sandbox is still starting.');
    return session;
  };
  const info: WorkspaceInfo = {
    team: emulator.config.team.name,
    bot: { id: emulator.config.bot.userId, name: SANDBOX_BOT.name },
    people: people.map((p) => ({ id: p.id, name: p.name, realName: p.real_name, title: p.title })),
    users: Object.fromEntries(emulator.state.users().map((user) => [user.id, user.real_name])),
    channels: Object.values(SANDBOX_CHANNELS).map(({ id, name }) => ({ id, name })),
    dms: {},
    commands: await commandHints(),
  };
  const changes = changeStream(emulator);
  const bot = await startBot(config, {
    workerOptions: options.workerOptions,
    extraRoutes: [
      ...staticRoutes(),
      ...readRoutes({ emulator, info }),
      ...interactionRoutes({ emulator, session: started }),
      changes.route,
    ],
  });
  session = new SlackClientSimulator({
    emulator,
    appUrl: bot.url,
    signingSecret,
    transport: socketMode ? 'socket-mode' : 'http',
  });
  // In Slack a person's DM with an installed app exists from the start.
  for (const person of people) info.dms[person.id] = emulator.platform.appDm(person.id);
  return {
    pageUrl: `${bot.url}/`,
    directory,
    async stop() {
      changes.close();
      await bot.stop();
      await emulator.stop();
    },
  };
}
