import mongoose from 'mongoose';
import { log } from '../log';
import { useServerLimits } from './bulk';
import { type LocalServer, startLocalServer } from './localServer';

/**
 * One connection per process (mongoose's default connection). MONGODB_URI when set; otherwise, outside
 * production, a server of the process's own (localServer.ts): mongodb-memory-server, else the project's FerretDB.
 */

const NO_DATABASE = {
  local:
    "No MongoDB server is available: set MONGODB_URI to a MongoDB server (for example mongodb://127.0.0.1:27017/accounts), let mongodb-memory-server download mongod (needs the internet), or install Go so that npm start can build the project's FerretDB (tools/ferretdb).",
  production:
    'No MongoDB server is configured: set MONGODB_URI to the MongoDB server, for example mongodb://db.internal:27017/accounts?replicaSet=rs0.',
  unreachable: 'The MongoDB server in MONGODB_URI cannot be reached: check that it runs and that the URI is right.',
};

export class NoDatabaseError extends Error {
  constructor(why: keyof typeof NO_DATABASE = 'local') {
    super(NO_DATABASE[why]);
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
  /**
   * Without a URI, start a server of the process's own (mongodb-memory-server, else FerretDB). Default: outside
   * production only; with NODE_ENV=production a missing MONGODB_URI is an error, never a throwaway database.
   */
  embedded?: boolean;
}

const DEFAULT_DB = 'accounts';
let local: LocalServer | undefined;

async function serverUri(options: ConnectOptions): Promise<string> {
  const uri = options.uri || process.env.MONGODB_URI;
  if (uri) return uri;
  const embedded = options.embedded ?? process.env.NODE_ENV !== 'production';
  if (embedded) local = await startLocalServer();
  if (!local) throw new NoDatabaseError(embedded ? 'local' : 'production');
  return local.uri;
}

export async function connectDatabase(options: ConnectOptions = {}): Promise<typeof mongoose> {
  const uri = await serverUri(options);
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
    throw new NoDatabaseError(local ? 'local' : 'unreachable');
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
  await local?.stop();
  local = undefined;
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
