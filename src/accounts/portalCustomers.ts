import { isDuplicateKeyError } from '../db/errors';
import { accountSitesOf, changeAccountSite } from './accountSiteChange';
import { recordAudit } from './audit';
import type { OperationContext } from './context';
import { parseEmail } from './email';
import { conflict, invalid, refused } from './errors';
import { openAccountByEmail, requireActivePortalCustomer } from './finders';
import { newAccountId, newPortalCustomerId } from './ids';
import { AtlassianAccount, PortalCustomer, type PortalCustomerDoc, PRODUCTS } from './models';
import { requireWritableSite } from './sites';

export interface CreatePortalCustomerInput {
  site: string;
  email: string;
  /** Defaults to the part of the email before the @. */
  displayName?: string;
}

/** DOMAIN.md operation 2: adds a customer to a site's service projects as a portal-only customer. */
export async function createPortalCustomer(
  input: CreatePortalCustomerInput,
  context: OperationContext,
): Promise<PortalCustomerDoc> {
  const email = parseEmail(input.email);
  const site = await requireWritableSite(input.site);
  const displayName = input.displayName?.trim() || email.split('@')[0] || email;
  const account = await openAccountByEmail(email);
  if (account && (await accountSitesOf(account._id)).get(site._id)?.siteAccess) {
    throw refused(
      `${email} already has an Atlassian account with access to ${site._id}; give it the Customer role instead of creating a portal-only duplicate.`,
    );
  }
  let customer: PortalCustomerDoc;
  try {
    customer = (
      await PortalCustomer.create({
        _id: newPortalCustomerId(),
        site: site._id,
        email,
        displayName,
        status: 'active',
      })
    ).toObject();
  } catch (error) {
    if (isDuplicateKeyError(error)) throw conflict(`${email} is already a portal-only customer on site ${site._id}.`);
    throw error;
  }
  await recordAudit(context, {
    action: 'portal-customer.create',
    target: email,
    site: site._id,
    summary: `Created portal-only customer ${email} on ${site._id}.`,
    changes: { portalCustomer: customer._id, site: site._id },
  });
  return customer;
}

export interface InviteInput {
  site: string;
  email: string;
  product: string;
}

export interface InviteResult {
  accountId: string;
  createdAccount: boolean;
  portalCustomerId: string;
}

/**
 * DOMAIN.md operation 3: gives a portal-only customer's email an Atlassian account with product access on
 * the site. The portal-only profile stays active and keeps its requests, which the account cannot see until
 * the customer is migrated; lookups flag that.
 */
export async function inviteToProduct(input: InviteInput, context: OperationContext): Promise<InviteResult> {
  const email = parseEmail(input.email);
  const site = await requireWritableSite(input.site);
  if (!PRODUCTS.includes(input.product)) {
    throw invalid(`"${input.product}" is not a product; products are ${PRODUCTS.join(', ')}.`);
  }
  const customer = await requireActivePortalCustomer(site._id, email);
  const { account, created } = await openOrCreateAccount(email, customer.displayName);
  if (account.status !== 'active') {
    throw refused(`The Atlassian account of ${email} is ${account.status}; reactivate it before inviting.`);
  }
  await changeAccountSite(account._id, site._id, { set: { siteAccess: true }, add: { products: [input.product] } });
  await PortalCustomer.updateOne(
    { _id: customer._id, invitedToProduct: null },
    { $set: { invitedToProduct: new Date() } },
  );
  await recordAudit(context, {
    action: 'portal-customer.invite',
    target: email,
    site: site._id,
    summary: `Invited ${email} to ${input.product} on ${site._id}${created ? ' with a new Atlassian account' : ''}; their portal-only requests stay hidden from the account until they are migrated.`,
    changes: { account: account._id, createdAccount: created, product: input.product, site: site._id },
  });
  return { accountId: account._id, createdAccount: created, portalCustomerId: customer._id };
}

/** The email's open account, or a new unverified one; a concurrent creation is found rather than duplicated. */
async function openOrCreateAccount(email: string, displayName: string) {
  const existing = await openAccountByEmail(email);
  if (existing) return { account: existing, created: false };
  try {
    const account = await AtlassianAccount.create({
      _id: newAccountId(),
      email,
      displayName,
      emailVerified: false,
      status: 'active',
    });
    return { account: account.toObject(), created: true };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const raced = await openAccountByEmail(email);
    if (!raced) throw error;
    return { account: raced, created: false };
  }
}
