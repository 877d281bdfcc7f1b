import { emailKey } from './email';
import { notFound } from './errors';
import {
  AtlassianAccount,
  type AtlassianAccountDoc,
  PortalCustomer,
  type PortalCustomerDoc,
  portalActiveKey,
} from './models';

/** The account of an email that is not closed (invariant 2: at most one). */
export function openAccountByEmail(email: string): Promise<AtlassianAccountDoc | null> {
  return AtlassianAccount.findOne({ openEmailKey: emailKey(email) }).lean();
}

/** The active portal-only profile of an email on a site (invariant 1: at most one). */
export function activePortalCustomer(site: string, email: string): Promise<PortalCustomerDoc | null> {
  return PortalCustomer.findOne({ activeKey: portalActiveKey({ _id: '', site, email, status: 'active' }) }).lean();
}

export async function requireOpenAccount(email: string): Promise<AtlassianAccountDoc> {
  const account = await openAccountByEmail(email);
  if (!account) throw notFound(`There is no Atlassian account for ${email}.`);
  return account;
}

export async function requireActivePortalCustomer(site: string, email: string): Promise<PortalCustomerDoc> {
  const customer = await activePortalCustomer(site, email);
  if (!customer) throw notFound(`There is no active portal-only customer ${email} on site ${site}.`);
  return customer;
}
