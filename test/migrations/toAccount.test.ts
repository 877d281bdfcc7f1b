import { findByEmail } from '../../src/accounts/lookup';
import { previewMigration } from '../../src/accounts/migration';
import {
  AccountSite,
  AtlassianAccount,
  AuditEvent,
  CustomerRequest,
  Group,
  PortalCustomer,
} from '../../src/accounts/models';
import { loadFixture, useTestDatabase } from '../support/database';
import { admin, migrate } from '../support/jobs';

useTestDatabase('to_account');
beforeEach(loadFixture);

const JSMITH_PORTAL = 'qm:6513270e-269e-4d37-b2a7-4de452e6b438:d23f0824-128b-4f33-8c5c-7fd0a6a3a450';
const KPATEL_PORTAL = 'qm:0fd630f1-f29d-4da9-953f-48f1a09f76b5:0cb1e29c-658c-4a14-95e6-0af593bd04cf';
const JSMITH_ACCOUNT = '8f6d05584ef8aa3892276658';
const request = (key: string) => CustomerRequest.findOne({ site: 'acme', key }).lean();

describe('migrate a portal-only customer to an Atlassian account', () => {
  it('moves jsmith@abc.com’s requests to their existing account, with the Customer role and group on acme', async () => {
    const { job, items } = await migrate('migrate-to-account', 'acme', ['jsmith@abc.com']);
    expect(job?.state).toBe('succeeded');
    expect(items[0]).toMatchObject({ state: 'succeeded', counts: { requestsMoved: 2, accountsCreated: 0 } });

    expect((await request('HELP-1'))?.reporter).toBe(JSMITH_ACCOUNT);
    expect(await request('HELP-2')).toMatchObject({ reporter: JSMITH_ACCOUNT, participants: [KPATEL_PORTAL] });
    expect(await AccountSite.findById(`${JSMITH_ACCOUNT}/acme`, { _id: 0 }).lean()).toEqual({
      account: JSMITH_ACCOUNT,
      site: 'acme',
      siteAccess: true,
      products: [],
      roles: ['customer'],
      groups: ['jira-servicemanagement-customers-acme'],
      admin: false,
    });
    expect((await AccountSite.findById(`${JSMITH_ACCOUNT}/acme-eu`).lean())?.products).toEqual(['confluence']);
    const profile = await PortalCustomer.findById(JSMITH_PORTAL).lean();
    expect(profile).toMatchObject({ status: 'inactive', migratedTo: JSMITH_ACCOUNT, migratedAt: expect.any(Date) });

    const lookup = await findByEmail('jsmith@abc.com');
    expect(lookup.account?.sites.find((s) => s.site === 'acme')).toMatchObject({
      requestCount: 2,
      roles: ['customer'],
    });
    expect(lookup.account?.billing.sites.find((s) => s.site === 'acme')?.licensedProducts).toEqual([]);
    const audit = await AuditEvent.findOne({ action: 'migration.to-account', target: 'jsmith@abc.com' }).lean();
    expect(audit).toMatchObject({ actor: admin, correlationId: job?._id });
    expect(audit?.summary).toBe(
      'Migrated jsmith@abc.com to their Atlassian account on acme: 2 requests moved, added to jira-servicemanagement-customers-acme.',
    );
  });

  it('creates an unverified account when the email has none, and moves participant entries to it', async () => {
    const { items } = await migrate('migrate-to-account', 'acme', ['kpatel@example.com']);
    expect(items[0]).toMatchObject({ state: 'succeeded', counts: { accountsCreated: 1, requestsMoved: 0 } });
    const account = await AtlassianAccount.findOne({ emailKey: 'kpatel@example.com' }).lean();
    expect(account).toMatchObject({ emailVerified: false, status: 'active', displayName: 'Kiran Patel' });
    expect(account?._id).toMatch(/^[0-9a-f]{24}$/);
    expect((await request('HELP-2'))?.participants).toEqual([account?._id]);
    expect((await findByEmail('kpatel@example.com')).warnings.map((w) => w.kind)).toEqual(['email-not-verified']);
  });

  it('reuses alee@example.org’s invited account, which now sees HELP-3', async () => {
    const before = await findByEmail('alee@example.org');
    expect(before.account?.sites[0]?.requestCount).toBe(0);
    const { items } = await migrate('migrate-to-account', 'acme', ['alee@example.org']);
    expect(items[0]?.counts).toMatchObject({ accountsCreated: 0, requestsMoved: 1 });
    expect((await request('HELP-3'))?.reporter).toBe('2e44158bae97ba94d0eda82f');
    const after = await findByEmail('alee@example.org');
    expect(after.account?.sites[0]).toMatchObject({
      requestCount: 1,
      products: ['jira-software'],
      roles: ['customer'],
    });
    expect(after.warnings.map((w) => w.kind)).toEqual(['email-not-verified']);
  });

  it('creates the customers group of the site when it is missing', async () => {
    expect(await Group.exists({ _id: 'acme-eu/jira-servicemanagement-customers-acme-eu' })).toBeNull();
    await migrate('migrate-to-account', 'acme-eu', ['rgarcia@example.es']);
    expect(await Group.findById('acme-eu/jira-servicemanagement-customers-acme-eu', { _id: 0 }).lean()).toEqual({
      site: 'acme-eu',
      name: 'jira-servicemanagement-customers-acme-eu',
      roles: ['customer'],
      origin: 'default',
      review: null,
    });
  });

  it('refuses to migrate again, naming when and to which account', async () => {
    await migrate('migrate-to-account', 'acme', ['jsmith@abc.com']);
    const today = new Date().toISOString().slice(0, 10);
    const { job, items } = await migrate('migrate-to-account', 'acme', ['jsmith@abc.com']);
    expect(job?.state).toBe('failed');
    expect(items[0]).toMatchObject({
      state: 'refused',
      reason: `jsmith@abc.com was already migrated on ${today} to Atlassian account ${JSMITH_ACCOUNT}; a migration cannot be undone.`,
    });
  });

  it('refuses to un-migrate: the migrated account cannot be made portal-only again on that site', async () => {
    const { items } = await migrate('make-portal-only', 'acme', ['old.customer@example.com']);
    expect(items[0]).toMatchObject({
      state: 'refused',
      reason:
        'old.customer@example.com was migrated on 2026-03-11 from a portal-only profile to Atlassian account 923a736994e3bf911a61dbe2; a migration cannot be undone.',
    });
    expect((await AccountSite.findById('923a736994e3bf911a61dbe2/acme').lean())?.siteAccess).toBe(true);
  });

  it('previews exactly what the run then does, without writing', async () => {
    const preview = await previewMigration({
      kind: 'migrate-to-account',
      site: 'acme',
      target: { emails: ['JSmith@abc.com', 'kpatel@example.com', 'nobody@example.com'] },
    });
    expect(preview).toMatchObject({
      targets: 3,
      planned: 2,
      refused: 1,
      counts: { requestsMoved: 2, accountsCreated: 1 },
    });
    expect(preview.sample[0]?.plan).toMatchObject({
      email: 'jsmith@abc.com',
      account: JSMITH_ACCOUNT,
      createAccount: false,
      requests: ['HELP-1', 'HELP-2'],
      participantOf: [],
      group: 'jira-servicemanagement-customers-acme',
      grantSiteAccess: true,
    });
    expect(preview.sample[1]?.plan?.warnings[0]).toMatch(/must verify their email/);
    expect(preview.refusals).toEqual([
      { email: 'nobody@example.com', refused: 'There is no portal-only customer nobody@example.com on site acme.' },
    ]);
    expect((await PortalCustomer.findById(JSMITH_PORTAL).lean())?.status).toBe('active');

    const { items } = await migrate('migrate-to-account', 'acme', [
      'JSmith@abc.com',
      'kpatel@example.com',
      'nobody@example.com',
    ]);
    expect(items.map((i) => i.plan)).toEqual([preview.sample[0]?.plan, preview.sample[1]?.plan, null]);
  });
});
