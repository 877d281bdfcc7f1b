import mongoose from 'mongoose';
import { log } from '../log';
import { useServerLimits } from './bulk';

/**
 * One connection per process (mongoose's default connection). MONGODB_URI when set; otherwise an embedded
 * mongodb-memory-server, which downloads mongod on first use where there is internet.
 */

export class NoDatabaseError extends Error {
  constructor() {
    super(
      'No MongoDB server is available: set MONGODB_URI to a MongoDB server, for example mongodb://127.0.0.1:27017/accounts.',
    );
    this.name = 'NoDatabaseError';
  }
}

export interface ConnectOptions {
  uri?: string;
  /** Overrides the database named in the URI (tests use one database per file). */
  dbName?: string;
  /** How long an operation waits for a server before failing with "cannot be reached". */
  serverSelectionTimeoutMS?: number;
  /** Makes the driver emit commandStarted/commandSucceeded/commandFailed events (benchmarks count commands). */
  monitorCommands?: boolean;
  /** false (production, see databaseChoice in config.ts): no MONGODB_URI is NoDatabaseError, never an embedded server. */
  allowEmbedded?: boolean;
}

const DEFAULT_DB = 'accounts';
let embedded: { stop(): Promise<unknown> } | undefined;

async function startEmbeddedServer(): Promise<string> {
  try {
    const { MongoBinary, MongoMemoryServer } = await import('mongodb-memory-server');
    // Find (or download) mongod first: that fails quietly, whereas a failed create() prints a stack trace.
    await MongoBinary.getPath();
    const server = await MongoMemoryServer.create();
    embedded = server;
    log.info('Started an embedded MongoDB (mongodb-memory-server); data is lost when the process stops.');
    return server.getUri();
  } catch (error) {
    log.debug({ err: error }, 'embedded MongoDB failed to start');
    throw new NoDatabaseError();
  }
}

export async function connectDatabase(options: ConnectOptions = {}): Promise<typeof mongoose> {
  const given = options.uri || process.env.MONGODB_URI;
  if (!given && options.allowEmbedded === false) throw new NoDatabaseError();
  const uri = given || (await startEmbeddedServer());
  const dbName = options.dbName ?? (new URL(uri).pathname.slice(1) || DEFAULT_DB);
  try {
    await mongoose.connect(uri, {
      dbName,
      autoIndex: false,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
      monitorCommands: options.monitorCommands ?? false,
    });
  } catch (error) {
    log.debug({ err: error }, 'MongoDB connection failed');
    throw new NoDatabaseError();
  }
  watchConnection();
  const server = (await mongoose.connection.db?.admin().command({ buildInfo: 1 }))?.ferretdbVersion
    ? 'ferretdb'
    : 'mongodb';
  useServerLimits(server);
  log.debug({ server, dbName }, 'connected to the database');
  await ensureIndexes();
  return mongoose;
}

/** Creates every registered model's collection and indexes; unique indexes are how invariants hold. */
export async function ensureIndexes(): Promise<void> {
  for (const name of mongoose.modelNames()) {
    await mongoose.model(name).createIndexes();
  }
}

export async function disconnectDatabase(): Promise<void> {
  closing = true;
  await mongoose.disconnect();
  closing = false;
  await embedded?.stop();
  embedded = undefined;
}

let watching = false;
let closing = false;
/** A lost connection is reported and recovered by the driver's reconnect, never fatal. */
function watchConnection() {
  if (watching) return;
  watching = true;
  const connection = mongoose.connection;
  connection.on('disconnected', () => {
    if (!closing) log.warn('Lost the connection to MongoDB; reconnecting.');
  });
  connection.on('reconnected', () => log.info('Reconnected to MongoDB.'));
  connection.on('error', (error) => log.error({ err: error }, 'MongoDB connection error'));
}

export function databaseState(): 'connected' | 'connecting' | 'disconnected' {
  const state = mongoose.connection.readyState;
  if (state === mongoose.ConnectionStates.connected) return 'connected';
  if (state === mongoose.ConnectionStates.connecting) return 'connecting';
  return 'disconnected';
}
