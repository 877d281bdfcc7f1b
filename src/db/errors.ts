import { MongoError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { DomainError } from '../accounts/errors';

// FerretDB v1 reports a duplicate made by an update as an internal error carrying its backend's message.
const BACKEND_DUPLICATE = /UNIQUE constraint failed|duplicate key value violates unique constraint/;

/** Duplicate key: a unique index turned a repeat or a race into a refusal. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (!(error instanceof MongoError)) return false;
  return error.code === 11000 || error.code === 11001 || (error.code === 1 && BACKEND_DUPLICATE.test(error.message));
}

/** The database cannot be reached (down, restarting, network gone). */
export function isConnectionError(error: unknown): boolean {
  return (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    (error instanceof Error && error.name === 'MongooseServerSelectionError')
  );
}

export const databaseUnavailable = () =>
  new DomainError(
    'unavailable',
    'The account database cannot be reached right now; nothing was changed. Try again in a minute.',
  );

/** Turns a lost connection into the one sentence people see; anything else passes through unchanged. */
export function explainDatabaseError(error: unknown): unknown {
  return isConnectionError(error) ? databaseUnavailable() : error;
}
