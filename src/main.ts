import { stderr } from 'node:process';
import { ConfigError, databaseChoice, startMode } from './config';
import { connectDatabase, disconnectDatabase, NoDatabaseError } from './db/connection';
import { log } from './log';
import { startSandbox } from './sandbox';
import { claimSandboxDatabase, sandboxDatabaseName } from './sandbox/database';
import { startBot } from './server';

/** A SIGTERM'd bot is gone within this, drained or not (orchestrators kill at 30 s; Slack retries after 3). */
const EXIT_MS = 10_000;

/**
 * `npm start`: the bot, its workers and its notifier, until SIGTERM or Ctrl-C. Without SLACK_BOT_TOKEN, outside
 * production, the same bot in the local sandbox: a Slack look-alike page on PORT, backed by the Slack emulator, on
 * a database of its own. It fails closed: anything missing in production is an exit with one sentence.
 */
async function main(): Promise<void> {
  const start = startMode();
  const database = databaseChoice();
  const dbName = start.mode === 'sandbox' ? sandboxDatabaseName(database.name) : database.name;
  log.info(
    { mode: start.mode, database: { hosts: database.hosts, name: dbName } },
    `starting in ${start.mode} mode on database ${dbName} at ${database.hosts}`,
  );
  // An embedded server is new and empty: only a MONGODB_URI can name a database someone else's data is in.
  if (start.mode === 'sandbox' && database.uri) await claimSandboxDatabase(database.uri, dbName);
  await connectDatabase({ uri: database.uri, dbName, embedded: database.allowEmbedded });
  const running = start.mode === 'sandbox' ? await startSandbox() : await startBot(start.slack);
  stderr.write(
    'pageUrl' in running
      ? `No SLACK_BOT_TOKEN: running the sandbox, the bot in a Slack look-alike page. Open ${running.pageUrl}\n`
      : `The bot is listening on ${running.url}/slack/events (health: ${running.url}/healthz).\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info('stopping: finishing the work in progress');
  // Whatever still holds the event loop after the drain's bound (a hung socket, a slow database) does not
  // keep the process: everything acknowledged is in the database already.
  setTimeout(() => process.exit(process.exitCode ?? 0), EXIT_MS).unref();
  await running.stop();
  await disconnectDatabase();
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof NoDatabaseError;
  stderr.write(`${known ? (error as Error).message : `Could not start: ${(error as Error).message}`}\n`);
  if (!known) log.debug({ err: error }, 'start-up failed');
  process.exitCode = 1;
});
