import { eligibleForPortalOnly } from '../../src/accounts/eligibility';
import { findByEmail } from '../../src/accounts/lookup';
import { AccountSite, AtlassianAccount, AuditEvent, CustomerRequest, PortalCustomer } from '../../src/accounts/models';
import { createPortalCustomer, inviteToProduct } from '../../src/accounts/portalCustomers';
import { setSiteAccess } from '../../src/accounts/siteAccess';
import { loadFixture, testContext, useTestDatabase } from '../support/database';

useTestDatabase('operations');
beforeEach(loadFixture);

const auditFor = (target: string) => AuditEvent.find({ target }).sort({ at: 1 }).lean();

describe('create portal-only customer', () => {
  it('adds an active profile on the site and audits it with the actor', async () => {
    const context = testContext('ada');
    const customer = await createPortalCustomer(
      { site: 'acme-eu', email: ' New.Person@Example.com ', displayName: 'New Person' },
      context,
    );
    expect(customer).toMatchObject({
      site: 'acme-eu',
      email: 'New.Person@Example.com',
      status: 'active',
      invitedToProduct: null,
    });
    expect(customer._id).toMatch(/^qm:[0-9a-f-]{36}:[0-9a-f-]{36}$/);
    const [event] = await auditFor('New.Person@Example.com');
    expect(event).toMatchObject({
      action: 'portal-customer.create',
      actor: { name: 'ada' },
      correlationId: context.correlationId,
    });
  });

  it('refuses a second active profile for the same email on the site, whatever its case', async () => {
    await expect(createPortalCustomer({ site: 'acme', email: 'KPatel@example.com' }, testContext())).rejects.toThrow(
      'KPatel@example.com is already a portal-only customer on site acme.',
    );
    expect(await PortalCustomer.countDocuments({ emailKey: 'kpatel@example.com' })).toBe(1);
  });

  it('refuses to create a duplicate of an Atlassian account with access to the site', async () => {
    await expect(createPortalCustomer({ site: 'acme', email: 'bwong@example.net' }, testContext())).rejects.toThrow(
      /already has an Atlassian account with access to acme/,
    );
  });

  it('rejects a bad email and an unknown site with a sentence, writing nothing', async () => {
    await expect(createPortalCustomer({ site: 'acme', email: 'not-an-email' }, testContext())).rejects.toThrow(
      '"not-an-email" is not an email address.',
    );
    await expect(createPortalCustomer({ site: 'acne', email: 'x@example.com' }, testContext())).rejects.toThrow(
      'There is no site "acne". Known sites: acme, acme-eu.',
    );
    expect(await PortalCustomer.countDocuments()).toBe(6);
    expect(await AuditEvent.countDocuments({ action: 'portal-customer.create' })).toBe(0);
  });
});

describe('invite a portal-only customer to a product', () => {
  it('creates an unverified account with the product; the portal-only requests stay hidden from it', async () => {
    const result = await inviteToProduct(
      { site: 'acme', email: 'kpatel@example.com', product: 'confluence' },
      testContext(),
    );
    expect(result.createdAccount).toBe(true);
    const account = await AtlassianAccount.findById(result.accountId).lean();
    expect(account).toMatchObject({ emailVerified: false, status: 'active' });
    expect(await AccountSite.find({ account: result.accountId }, { _id: 0 }).lean()).toEqual([
      {
        account: result.accountId,
        site: 'acme',
        siteAccess: true,
        products: ['confluence'],
        roles: [],
        groups: [],
        admin: false,
      },
    ]);
    const profile = await PortalCustomer.findById(result.portalCustomerId).lean();
    expect(profile).toMatchObject({ status: 'active', invitedToProduct: expect.any(Date) });
    expect(await CustomerRequest.countDocuments({ reporter: result.accountId })).toBe(0);
    const lookup = await findByEmail('kpatel@example.com');
    expect(lookup.warnings.map((w) => w.kind)).toEqual(['invited-not-migrated', 'email-not-verified']);
    expect(lookup.nextActions).toContainEqual({ kind: 'migrate', site: 'acme' });
  });

  it('links the existing account of the email and keeps the first invitation time', async () => {
    const before = await PortalCustomer.findOne({ emailKey: 'alee@example.org' }).lean();
    const result = await inviteToProduct(
      { site: 'acme', email: 'alee@example.org', product: 'confluence' },
      testContext(),
    );
    expect(result).toMatchObject({ accountId: '2e44158bae97ba94d0eda82f', createdAccount: false });
    const entry = await AccountSite.findOne({ account: result.accountId, site: 'acme' }).lean();
    expect(entry?.products).toEqual(['jira-software', 'confluence']);
    const after = await PortalCustomer.findById(before?._id).lean();
    expect(after?.invitedToProduct).toEqual(before?.invitedToProduct);
  });

  it('refuses an unknown product and an email that is not a portal-only customer of the site', async () => {
    await expect(
      inviteToProduct({ site: 'acme', email: 'kpatel@example.com', product: 'jira' }, testContext()),
    ).rejects.toThrow(/"jira" is not a product; products are jira-software/);
    await expect(
      inviteToProduct({ site: 'acme-eu', email: 'kpatel@example.com', product: 'confluence' }, testContext()),
    ).rejects.toThrow('There is no active portal-only customer kpatel@example.com on site acme-eu.');
    expect(await AtlassianAccount.countDocuments({ emailKey: 'kpatel@example.com' })).toBe(0);
  });
});

describe('site access', () => {
  it('turns access off and on again, auditing each change', async () => {
    const off = await setSiteAccess({ email: 'bwong@example.net', site: 'acme', enabled: false }, testContext());
    expect(off).toMatchObject({ changed: true, message: "Turned off bwong@example.net's access on acme." });
    const on = await setSiteAccess({ email: 'bwong@example.net', site: 'acme', enabled: true }, testContext());
    expect(on.changed).toBe(true);
    expect((await auditFor('bwong@example.net')).map((e) => e.action)).toEqual(['site-access.off', 'site-access.on']);
  });

  it('grants access on a site the account has never used', async () => {
    await setSiteAccess({ email: 'bwong@example.net', site: 'acme-eu', enabled: true }, testContext());
    const entries = await AccountSite.find({ account: '5f557203301850c5a38fd547' }).sort({ site: 1 }).lean();
    expect(entries.map((s) => [s.site, s.siteAccess])).toEqual([
      ['acme', true],
      ['acme-eu', true],
    ]);
  });

  it('says so when nothing changes, and refuses to lock out an admin', async () => {
    const same = await setSiteAccess({ email: 'bwong@example.net', site: 'acme', enabled: true }, testContext());
    expect(same).toMatchObject({ changed: false, message: 'bwong@example.net already has access on acme.' });
    await expect(
      setSiteAccess({ email: 'admin@acme.com', site: 'acme', enabled: false }, testContext()),
    ).rejects.toThrow(/is an admin of acme/);
    await expect(
      setSiteAccess({ email: 'kpatel@example.com', site: 'acme', enabled: true }, testContext()),
    ).rejects.toThrow('There is no Atlassian account for kpatel@example.com.');
  });
});

describe('eligible for portal-only (mark all as portal-only)', () => {
  it('counts accounts with site access, no product access, no group and no portal-only profile there', async () => {
    const acme = await eligibleForPortalOnly('acme');
    expect(acme).toMatchObject({ count: 1, sample: [{ email: 'bwong@example.net' }] });
    expect((await eligibleForPortalOnly('acme-eu')).count).toBe(0);
  });

  it('leaves out accounts that already have an active portal-only profile on the site', async () => {
    await setSiteAccess({ email: 'dmurphy@xyz.com', site: 'acme-eu', enabled: true }, testContext());
    expect((await eligibleForPortalOnly('acme-eu')).count).toBe(0);
    await setSiteAccess({ email: 'bwong@example.net', site: 'acme-eu', enabled: true }, testContext());
    expect((await eligibleForPortalOnly('acme-eu')).sample.map((a) => a.email)).toEqual(['bwong@example.net']);
  });

  it('rejects an unknown site', async () => {
    await expect(eligibleForPortalOnly('nowhere')).rejects.toThrow('There is no site "nowhere".');
  });
});
