import type { Db, MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { connectDatabase, disconnectDatabase, ensureIndexes } from '../../src/db/connection';

export interface FreshDatabase {
  dbName: string;
  /** MONGODB_URI naming this database, for other connections and child processes. */
  uri: string;
  /** The connection's client, emitting command events. */
  client: MongoClient;
  db: Db;
}

/**
 * Connects mongoose to an empty database of its own (with command monitoring on), runs the work and drops the
 * database, so each measurement starts from the same place and leaves nothing behind.
 */
export async function withFreshDatabase<T>(label: string, work: (database: FreshDatabase) => Promise<T>): Promise<T> {
  const dbName = `bench_${label}_${process.pid}`;
  const uri = new URL(process.env.MONGODB_URI ?? '');
  uri.pathname = `/${dbName}`;
  await connectDatabase({ dbName, monitorCommands: true });
  try {
    const db = mongoose.connection.db;
    if (!db) throw new Error(`no database handle for ${dbName}`);
    // A run killed before its cleanup may have left this name behind.
    await db.dropDatabase();
    await ensureIndexes();
    return await work({ dbName, uri: uri.toString(), client: mongoose.connection.getClient(), db });
  } finally {
    await mongoose.connection.dropDatabase();
    await disconnectDatabase();
  }
}
