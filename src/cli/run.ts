import { stderr } from 'node:process';
import { DomainError } from '../accounts/errors';
import { ConfigError, databaseChoice } from '../config';
import { connectDatabase, disconnectDatabase, NoDatabaseError } from '../db/connection';
import { explainDatabaseError } from '../db/errors';

/** Runs a command with a database connection and turns every failure into one sentence on stderr. */
export function withDatabase<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      // As npm start: in production only MONGODB_URI, never an embedded server.
      await connectDatabase({ embedded: databaseChoice().allowEmbedded });
      await action(...args);
    } catch (error) {
      const explained = explainDatabaseError(error);
      if (
        explained instanceof DomainError ||
        explained instanceof NoDatabaseError ||
        explained instanceof ConfigError
      ) {
        stderr.write(`${explained.message}\n`);
        process.exitCode = explained instanceof DomainError && explained.kind === 'invalid' ? 2 : 1;
      } else {
        stderr.write(`Unexpected error: ${(error as Error).message} (run with LOG_LEVEL=debug for details)\n`);
        if (process.env.LOG_LEVEL === 'debug') stderr.write(`${(error as Error).stack}\n`);
        process.exitCode = 1;
      }
    } finally {
      await disconnectDatabase();
    }
  };
}
