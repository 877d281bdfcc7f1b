import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import mongoose from 'mongoose';
import type { OperationContext } from '../../src/accounts/context';
import { loadSnapshotFile } from '../../src/accounts/snapshot/load';
import { connectDatabase, disconnectDatabase } from '../../src/db/connection';

/**
 * Every test file talks to the real server named by MONGODB_URI (FerretDB in CI, any MongoDB elsewhere), in a
 * database of its own that is dropped when the file ends.
 */
export function useTestDatabase(
  label: string,
  options: { monitorCommands?: boolean } = {},
): { dbName: string; beforeClose(closer: () => Promise<void>): void } {
  const dbName = `test_${label.replace(/\W/g, '_')}_${process.pid}`;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    // Never a server of the tests' own: child processes (workers, the CLI) must reach the same MONGODB_URI.
    await connectDatabase({ dbName, embedded: false, ...options });
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await mongoose.connection.dropDatabase();
    await disconnectDatabase();
  });
  // What runs on the database (a bot, workers) stops before it closes.
  return { dbName, beforeClose: (closer) => closers.push(closer) };
}

/** Empties every collection (indexes stay), so each test starts from a known directory. */
export async function clearDatabase(): Promise<void> {
  for (const name of mongoose.modelNames()) await mongoose.model(name).deleteMany({});
}

export const FIXTURE = join(__dirname, '..', 'fixtures', 'directory.example.json');

export function testContext(name = 'test-operator'): OperationContext {
  return { actor: { kind: 'cli', id: 'cli', name }, correlationId: randomUUID() };
}

/** Clears the database and loads the example directory of ../fixtures. */
export async function loadFixture(): Promise<void> {
  await clearDatabase();
  await loadSnapshotFile(FIXTURE, testContext());
}
