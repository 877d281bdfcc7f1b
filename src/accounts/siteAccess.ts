import { accountSitesOf, changeAccountSite } from './accountSiteChange';
import { recordAudit } from './audit';
import type { OperationContext } from './context';
import { parseEmail } from './email';
import { refused } from './errors';
import { requireOpenAccount } from './finders';
import { requireWritableSite } from './sites';

export interface SiteAccessInput {
  email: string;
  site: string;
  enabled: boolean;
}

export interface SiteAccessResult {
  accountId: string;
  changed: boolean;
  message: string;
}

/** DOMAIN.md operation 4: "Has access on site" on, or off, for an Atlassian account. */
export async function setSiteAccess(input: SiteAccessInput, context: OperationContext): Promise<SiteAccessResult> {
  const email = parseEmail(input.email);
  const site = await requireWritableSite(input.site);
  const account = await requireOpenAccount(email);
  const entry = (await accountSitesOf(account._id)).get(site._id);
  const has = entry?.siteAccess ?? false;
  if (has === input.enabled) {
    const state = input.enabled ? 'already has' : 'already has no';
    return { accountId: account._id, changed: false, message: `${email} ${state} access on ${site._id}.` };
  }
  if (!input.enabled && entry?.admin) {
    throw refused(`${email} is an admin of ${site._id}; remove the admin role before turning off their site access.`);
  }
  if (input.enabled && account.status !== 'active') {
    throw refused(`The Atlassian account of ${email} is ${account.status}; reactivate it before restoring access.`);
  }
  await changeAccountSite(account._id, site._id, { set: { siteAccess: input.enabled } });
  const message = input.enabled
    ? `Restored ${email}'s access on ${site._id}.`
    : `Turned off ${email}'s access on ${site._id}.`;
  await recordAudit(context, {
    action: input.enabled ? 'site-access.on' : 'site-access.off',
    target: email,
    site: site._id,
    summary: message,
    changes: { account: account._id, site: site._id, siteAccess: input.enabled },
  });
  return { accountId: account._id, changed: true, message };
}
