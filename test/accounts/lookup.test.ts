import { findByEmail } from '../../src/accounts/lookup';
import { setSiteAccess } from '../../src/accounts/siteAccess';
import { loadFixture, testContext, useTestDatabase } from '../support/database';

useTestDatabase('lookup');
beforeEach(loadFixture);

describe('find by email', () => {
  it("reports jsmith@abc.com's portal-only profile on acme and Atlassian account on acme-eu", async () => {
    const lookup = await findByEmail('jsmith@abc.com');
    expect(lookup.portalProfiles).toEqual([
      expect.objectContaining({ site: 'acme', status: 'active', displayName: 'Jane Smith', requestCount: 2 }),
    ]);
    expect(lookup.account).toMatchObject({
      id: '8f6d05584ef8aa3892276658',
      emailVerified: true,
      sites: [{ site: 'acme-eu', siteAccess: true, products: ['confluence'], roles: [], groups: [], requestCount: 0 }],
      billing: { guard: true, sites: [{ site: 'acme-eu', licensedProducts: ['confluence'], jsmAgent: false }] },
    });
    expect(lookup.warnings).toEqual([]);
    expect(lookup.nextActions).toEqual([
      { kind: 'migrate', site: 'acme' },
      { kind: 'make-portal-only', site: 'acme-eu' },
    ]);
  });

  it('flags alee@example.org as invited but not migrated, with an unverified email', async () => {
    const lookup = await findByEmail('ALee@Example.org');
    expect(lookup.portalProfiles[0]).toMatchObject({
      site: 'acme',
      invitedToProduct: new Date('2026-10-02T09:15:00Z'),
    });
    expect(lookup.warnings.map((w) => w.kind)).toEqual(['invited-not-migrated', 'email-not-verified']);
    expect(lookup.warnings[0]?.message).toMatch(/cannot see the 1 request raised as portal-only\. Migrate/);
  });

  it('flags a duplicate: an active portal-only profile and an account with access to the same site', async () => {
    expect((await findByEmail('dmurphy@xyz.com')).warnings).toEqual([]);
    await setSiteAccess({ email: 'dmurphy@xyz.com', site: 'acme-eu', enabled: true }, testContext());
    const lookup = await findByEmail('dmurphy@xyz.com');
    expect(lookup.warnings).toEqual([expect.objectContaining({ kind: 'duplicate', site: 'acme-eu' })]);
  });

  it('shows a migrated profile as inactive, with the roles its groups grant', async () => {
    const lookup = await findByEmail('old.customer@example.com');
    expect(lookup.portalProfiles[0]).toMatchObject({ status: 'inactive', migratedTo: '923a736994e3bf911a61dbe2' });
    expect(lookup.account?.sites[0]).toMatchObject({
      roles: ['customer'],
      groups: ['jira-servicemanagement-customers-acme'],
      requestCount: 1,
    });
    expect(lookup.account?.billing.guard).toBe(false);
    expect(lookup.nextActions).toEqual([{ kind: 'make-portal-only', site: 'acme' }]);
  });

  it('offers to restore site access that was turned off', async () => {
    await setSiteAccess({ email: 'bwong@example.net', site: 'acme', enabled: false }, testContext());
    expect((await findByEmail('bwong@example.net')).nextActions).toEqual([
      { kind: 'restore-site-access', site: 'acme' },
    ]);
  });

  it('names the email as the directory stores it, whatever its case as typed', async () => {
    expect((await findByEmail(' JSmith@ABC.com ')).email).toBe('jsmith@abc.com');
    expect((await findByEmail('KPATEL@example.com')).email).toBe('kpatel@example.com');
    expect((await findByEmail('Nobody@Example.com')).email).toBe('Nobody@Example.com');
  });

  it('answers an unknown email with no profiles, and a malformed one with a sentence', async () => {
    const lookup = await findByEmail('nobody@example.com');
    expect(lookup).toMatchObject({ portalProfiles: [], account: null, warnings: [], nextActions: [] });
    await expect(findByEmail('jsmith at abc.com')).rejects.toThrow('"jsmith at abc.com" is not an email address.');
  });
});
