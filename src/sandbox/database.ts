import { MongoClient } from 'mongodb';
import { ConfigError } from '../config';
import { NoDatabaseError } from '../db/connection';
import { isDuplicateKeyError } from '../db/errors';
import { log } from '../log';

/**
 * The sandbox writes fake roles, subscriptions and a demo directory, so it never writes into a directory it did
 * not create: it uses a database of its own, `<db>_sandbox`, marked with a sandboxMeta document when it creates it.
 */

const META = 'sandboxMeta';
const MARK = 'sandbox';

export const sandboxDatabaseName = (name: string) => `${name}_sandbox`;

/**
 * Before the first write: a database marked as the sandbox's is used again; an empty one is marked and used; one
 * holding anything else is refused with one sentence. Two sandboxes marking one empty database at once both win.
 */
export async function claimSandboxDatabase(uri: string, name: string): Promise<void> {
  let client: MongoClient;
  try {
    client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  } catch (error) {
    log.debug({ err: error }, 'MongoDB connection failed');
    throw new NoDatabaseError();
  }
  try {
    const db = client.db(name);
    const meta = db.collection<{ _id: string; createdAt: Date }>(META);
    if (await meta.findOne({ _id: MARK })) return;
    const collections = await db.listCollections({}, { nameOnly: true }).toArray();
    if (collections.length > 0) {
      throw new ConfigError(
        `The database ${name} holds data the sandbox did not create, so the sandbox will not write into it: drop it, or name another database in MONGODB_URI.`,
      );
    }
    try {
      await meta.insertOne({ _id: MARK, createdAt: new Date() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  } finally {
    await client.close();
  }
}
