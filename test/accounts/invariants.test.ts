import { AtlassianAccount, CustomerRequest, Group, PortalCustomer } from '../../src/accounts/models';
import { clearDatabase, useTestDatabase } from '../support/database';

useTestDatabase('invariants');
beforeEach(clearDatabase);

const portal = (id: string, fields: object = {}) => ({
  _id: `qm:00000000-0000-4000-8000-${id.padStart(12, '0')}:00000000-0000-4000-8000-000000000000`,
  site: 'acme',
  email: 'jsmith@abc.com',
  displayName: 'Jane Smith',
  status: 'active' as 'active' | 'inactive',
  ...fields,
});
const account = (id: string, fields: object = {}) => ({
  _id: id.padStart(24, '0'),
  email: 'jsmith@abc.com',
  displayName: 'Jane Smith',
  emailVerified: true,
  status: 'active' as 'active' | 'inactive' | 'closed',
  ...fields,
});
const duplicateKey = expect.objectContaining({ code: 11000 });

describe('1. at most one active portal-only customer per site and email', () => {
  it('rejects a second active profile, whatever the case of the email', async () => {
    await PortalCustomer.create(portal('1'));
    await expect(PortalCustomer.create(portal('2', { email: 'JSmith@ABC.com' }))).rejects.toEqual(duplicateKey);
    await expect(PortalCustomer.insertMany([portal('3')])).rejects.toEqual(duplicateKey);
  });

  it('allows inactive profiles and other sites', async () => {
    await PortalCustomer.create(portal('1'));
    await PortalCustomer.create(portal('2', { status: 'inactive' }));
    await PortalCustomer.create(portal('3', { status: 'inactive' }));
    await PortalCustomer.create(portal('4', { site: 'acme-eu' }));
    expect(await PortalCustomer.countDocuments({ emailKey: 'jsmith@abc.com' })).toBe(4);
  });
});

describe('2. at most one non-closed Atlassian account per email', () => {
  it('rejects a second open account, whatever the case of the email', async () => {
    await AtlassianAccount.create(account('a1'));
    await expect(
      AtlassianAccount.create(account('a2', { email: 'JSMITH@abc.com', status: 'inactive' })),
    ).rejects.toEqual(duplicateKey);
  });

  it('allows any number of closed accounts beside the open one', async () => {
    await AtlassianAccount.create(account('a1'));
    await AtlassianAccount.create(account('a2', { status: 'closed' }));
    await AtlassianAccount.create(account('a3', { status: 'closed' }));
    expect(await AtlassianAccount.countDocuments({ emailKey: 'jsmith@abc.com' })).toBe(3);
  });
});

describe('3. group names are unique per site', () => {
  it('rejects a second group of the same name on a site, not on another site', async () => {
    await Group.create({ site: 'acme', name: 'helpers', origin: 'default' });
    await expect(Group.create({ site: 'acme', name: 'helpers', origin: 'default' })).rejects.toEqual(duplicateKey);
    await expect(Group.create({ site: 'acme-eu', name: 'helpers', origin: 'default' })).resolves.toBeDefined();
  });
});

describe("4. every request's reporter exists", () => {
  const request = (reporter: string) => ({
    site: 'acme',
    key: 'HELP-1',
    project: 'HELP',
    reporter,
    createdAt: new Date(),
  });

  it('rejects a request whose reporter is neither an account nor a portal-only customer', async () => {
    await expect(CustomerRequest.create(request('ffffffffffffffffffffffff'))).rejects.toThrow(
      /reporter ffffffffffffffffffffffff is neither an account nor a portal-only customer/,
    );
    expect(await CustomerRequest.countDocuments()).toBe(0);
  });

  it('accepts a portal-only customer or an account as reporter', async () => {
    const customer = await PortalCustomer.create(portal('1'));
    await CustomerRequest.create(request(customer._id));
    const owner = await AtlassianAccount.create(account('a1'));
    await CustomerRequest.create({ ...request(owner._id), key: 'HELP-2' });
    expect(await CustomerRequest.countDocuments()).toBe(2);
  });
});

describe('5. a migrated portal-only customer is inactive and has migratedTo', () => {
  it('rejects an active profile that says it was migrated', async () => {
    await expect(
      PortalCustomer.create(portal('1', { migratedTo: '923a736994e3bf911a61dbe2', migratedAt: new Date() })),
    ).rejects.toThrow(/a migrated portal-only customer must be inactive/);
  });

  it('rejects a migrated profile without the time it was migrated', async () => {
    await expect(
      PortalCustomer.create(portal('1', { status: 'inactive', migratedTo: '923a736994e3bf911a61dbe2' })),
    ).rejects.toThrow(/must have migratedAt/);
  });
});
