import { Organization } from '../accounts/models';
import { seedDirectory } from '../accounts/seed';
import { loadSnapshotFile } from '../accounts/snapshot/load';
import { sandboxContext } from './context';
import { SANDBOX_PATHS } from './paths';

/** Enough seeded customers to make batches and the App Home's warnings worth looking at, loaded in seconds. */
const SEEDED_CUSTOMERS = 200;

/**
 * On an empty database, the example directory (acme, with jsmith@abc.com and friends, whom the README's examples
 * name) plus `accounts seed` customers on two more sites. A database that holds a directory is left alone.
 */
export async function ensureDemoDirectory(): Promise<'loaded' | 'kept'> {
  if ((await Organization.countDocuments()) > 0) return 'kept';
  await loadSnapshotFile(SANDBOX_PATHS.demoDirectory, sandboxContext());
  await seedDirectory({ customers: SEEDED_CUSTOMERS, sites: 2 });
  return 'loaded';
}
