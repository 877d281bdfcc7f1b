import { billingOf, describeBilling } from '../../src/accounts/billing';
import type { AccountSiteDoc } from '../../src/accounts/models';

type Entry = Pick<AccountSiteDoc, 'site' | 'siteAccess' | 'products'>;
const entry = (fields: Partial<Entry>): Entry => ({ site: 'acme', siteAccess: true, products: [], ...fields });
const active = { status: 'active' as const };

describe('billing', () => {
  it('does not bill an account with only the Customer role, for JSM nor for Guard', () => {
    const billing = billingOf(active, [entry({})]);
    expect(billing).toEqual({ guard: false, sites: [{ site: 'acme', licensedProducts: [], jsmAgent: false }] });
    expect(describeBilling(billing)).toMatch(/^Not billable/);
  });

  it('bills JSM only for agent access', () => {
    const billing = billingOf(active, [entry({ products: ['jira-servicemanagement'] })]);
    expect(billing.sites[0]?.jsmAgent).toBe(true);
    expect(billing.guard).toBe(true);
  });

  it('bills Guard for any product access in the organization, even where the account is only a customer', () => {
    const billing = billingOf(active, [entry({}), entry({ site: 'wiki', products: ['confluence'] })]);
    expect(billing.guard).toBe(true);
    expect(billing.sites.map((s) => s.jsmAgent)).toEqual([false, false]);
    expect(describeBilling(billing)).toBe('Billable for confluence on wiki; counts towards Atlassian Guard.');
  });

  it('bills nothing without site access or for an account that is not active', () => {
    expect(billingOf(active, [entry({ siteAccess: false, products: ['confluence'] })]).guard).toBe(false);
    expect(billingOf({ status: 'closed' }, [entry({ products: ['confluence'] })]).guard).toBe(false);
  });
});
