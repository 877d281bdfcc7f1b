import { findByEmail } from '../../src/accounts/lookup';
import { AccountSite, AuditEvent, CustomerRequest, PortalCustomer } from '../../src/accounts/models';
import { setSiteAccess } from '../../src/accounts/siteAccess';
import { loadFixture, testContext, useTestDatabase } from '../support/database';
import { migrate } from '../support/jobs';

useTestDatabase('to_portal_only');
beforeEach(loadFixture);

const BWONG = '5f557203301850c5a38fd547';

describe('make an Atlassian account portal-only on one site', () => {
  it('gives bwong@example.net a portal-only profile on acme that now reports IT-2; other sites untouched', async () => {
    await setSiteAccess({ email: 'bwong@example.net', site: 'acme-eu', enabled: true }, testContext());
    const { job, items } = await migrate('make-portal-only', 'acme', ['bwong@example.net']);
    expect(job?.state).toBe('succeeded');
    const profile = await PortalCustomer.findOne({ emailKey: 'bwong@example.net', site: 'acme' }).lean();
    expect(profile).toMatchObject({ status: 'active', displayName: 'Bo Wong', migratedTo: null });
    expect(profile?._id).toBe(items[0]?.plan?.portalCustomer);
    expect((await CustomerRequest.findOne({ key: 'IT-2' }).lean())?.reporter).toBe(profile?._id);
    expect(await AccountSite.findById(`${BWONG}/acme`).lean()).toMatchObject({
      siteAccess: false,
      roles: [],
      groups: [],
    });
    expect((await AccountSite.findById(`${BWONG}/acme-eu`).lean())?.siteAccess).toBe(true);

    const lookup = await findByEmail('bwong@example.net');
    expect(lookup.portalProfiles).toEqual([
      expect.objectContaining({ site: 'acme', status: 'active', requestCount: 1 }),
    ]);
    expect(lookup.warnings).toEqual([]);
  });

  it('removes the Customer role and the customers group membership', async () => {
    const { items } = await migrate('make-portal-only', 'acme', ['dmurphy@xyz.com']);
    expect(items[0]?.plan).toMatchObject({
      removedRoles: ['customer'],
      removedGroups: ['jira-servicemanagement-customers-acme'],
    });
    expect(await AccountSite.findById('1e27a1c08a6a63ec24ede6a4/acme').lean()).toMatchObject({
      siteAccess: false,
      roles: [],
      groups: [],
    });
    expect((await CustomerRequest.findOne({ key: 'HELP-4' }).lean())?.reporter).toBe(items[0]?.plan?.portalCustomer);
  });

  it('refuses an account with product access unless the revocation is confirmed, then lists what was revoked', async () => {
    const refused = await migrate('make-portal-only', 'acme', ['agent1@acme.com']);
    expect(refused.items[0]?.reason).toBe(
      'agent1@acme.com holds jira-servicemanagement on acme; confirm revoking their licences to make them portal-only.',
    );
    const { items } = await migrate('make-portal-only', 'acme', ['agent1@acme.com'], { revokeLicences: true });
    expect(items[0]).toMatchObject({ state: 'succeeded', counts: { licencesRevoked: 1 } });
    expect(items[0]?.plan).toMatchObject({ revokedProducts: ['jira-servicemanagement'] });
    expect(await AccountSite.findById('b64ce4228c38fb2918f135d2/acme').lean()).toMatchObject({
      products: [],
      siteAccess: false,
    });
    const audit = await AuditEvent.findOne({ action: 'migration.to-portal-only', target: 'agent1@acme.com' }).lean();
    expect(audit?.summary).toBe(
      'Made agent1@acme.com portal-only on acme: 0 requests moved, licences revoked: jira-servicemanagement.',
    );
    expect(audit?.changes).toMatchObject({ revokedProducts: ['jira-servicemanagement'] });
  });

  it('refuses admins and accounts without access to the site', async () => {
    const { items } = await migrate('make-portal-only', 'acme', [
      'admin@acme.com',
      'jsmith@abc.com',
      'nobody@example.com',
    ]);
    expect(items.map((i) => i.reason)).toEqual([
      'admin@acme.com is an admin of acme; an admin cannot be made portal-only.',
      'jsmith@abc.com has no access to site acme.',
      'There is no Atlassian account for nobody@example.com.',
    ]);
  });
});
