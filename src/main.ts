import { stderr } from 'node:process';
import { ConfigError, missingSlackSettings, slackConfigFromEnv } from './config';
import { connectDatabase, disconnectDatabase, NoDatabaseError } from './db/connection';
import { log } from './log';
import { startBot } from './server';

/** `npm start`: the bot, its workers and its notifier, until SIGTERM or Ctrl-C. */
async function main(): Promise<void> {
  const missing = missingSlackSettings();
  if (missing) {
    stderr.write(`${missing}\n`);
    process.exitCode = 1;
    return;
  }
  const config = slackConfigFromEnv();
  await connectDatabase();
  const bot = await startBot(config);
  stderr.write(`The bot is listening on ${bot.url}/slack/events (health: ${bot.url}/healthz).\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info('stopping: finishing the work in progress');
  await bot.stop();
  await disconnectDatabase();
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof NoDatabaseError;
  stderr.write(`${known ? (error as Error).message : `Could not start: ${(error as Error).message}`}\n`);
  if (!known) log.debug({ err: error }, 'start-up failed');
  process.exitCode = 1;
});
