import { PortalCustomer } from '../../src/accounts/models';
import { connectSite } from '../../src/atlassian/connect';
import { applySync, planSync } from '../../src/atlassian/sync';
import type { AtlassianConfig } from '../../src/config';
import { type AtlassianEmulator, startAtlassianEmulator } from '../support/atlassianEmulator';
import { clearDatabase, testContext, useTestDatabase } from '../support/database';
import { CREDENTIALS, emulatorConfig, example } from './support';

/** Two syncs of one site that overlap (one resumed after a crash, one new): the older reading never wins. */
useTestDatabase('atlassian_overlap');
let emulator: AtlassianEmulator;
let config: AtlassianConfig;

beforeAll(async () => {
  emulator = await startAtlassianEmulator(await example(), CREDENTIALS);
  config = emulatorConfig(emulator, false);
});
afterAll(() => emulator.close());
beforeEach(clearDatabase);

it('does not apply a plan read before the one already applied, and says so', async () => {
  await connectSite('acme-eu', 'acme-eu.atlassian.net', testContext(), config);
  const older = await planSync('acme-eu', undefined, config);
  const customer = emulator.org.sites
    .get('acme-eu.atlassian.net')
    ?.customers.find((c) => c.emailAddress === 'dmurphy@xyz.com');
  if (!customer) throw new Error('the example has Dan Murphy on acme-eu');
  customer.displayName = 'Daniel Murphy';
  const newer = await planSync('acme-eu', undefined, config);

  const newerContext = testContext();
  expect(await applySync(newer, newerContext)).toBeNull();
  expect(await applySync(older, testContext())).toBe(
    `Not applied: sync job ${newerContext.correlationId} read acme-eu.atlassian.net later and has already applied its reading.`,
  );
  expect((await PortalCustomer.findOne({ email: 'dmurphy@xyz.com' }).lean())?.displayName).toBe('Daniel Murphy');
  // The same plan applied again (a resumed job) is applied, and changes nothing.
  expect(await applySync(newer, newerContext)).toBeNull();
});
