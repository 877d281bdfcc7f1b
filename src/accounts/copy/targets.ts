import { compareKeys } from '../../db/keyedStream';
import { emailKey } from '../email';
import { invalid, notFound } from '../errors';
import { groupsGrantingRole } from '../groups';
import { AccountSite, AtlassianAccount, CUSTOMER_ROLE, CustomerRequest, PortalCustomer, type SiteDoc } from '../models';
import { requireSite } from '../sites';
import type { CopyRequest } from './plan';

const BATCH = 1000;

/** The two sites of a request and its project keys (upper-cased), validated; bad input throws a DomainError. */
export async function validateCopy(request: CopyRequest): Promise<{ from: SiteDoc; to: SiteDoc; projects?: string[] }> {
  if (request.from === request.to) {
    throw invalid(
      `Copy customers between two different sites: the source and the destination are both ${request.from}.`,
    );
  }
  const [from, to] = await Promise.all([requireSite(request.from), requireSite(request.to)]);
  if (!request.projects) return { from, to };
  const projects = [...new Set(request.projects.map((p) => p.trim().toUpperCase()).filter(Boolean))];
  if (projects.length === 0) throw invalid('Give at least one project key, or none to copy every customer.');
  const known = new Set(from.projects.map((p) => p.key));
  const unknown = projects.filter((p) => !known.has(p));
  if (unknown.length) {
    throw notFound(
      `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a project' : 'are not projects'} of ${from._id}; its projects are ${[...known].join(', ') || 'none'}.`,
    );
  }
  return { from, to, projects };
}

/**
 * The emails of the source site's customers, sorted by email key: its portal-only profiles (active and inactive)
 * and the open Atlassian accounts holding the Customer role there, directly or through a group. Closed accounts
 * are not customers: they can never sign in again. With projects, only the customers who raised or participate
 * in a request of those source projects (through their portal-only profile or their account) are copied, and
 * then as a whole: all of that email's forms on the source.
 * Everything is streamed (FerretDB v1 runs each `$in` as a full scan, so batches of `$in` would scan per batch).
 */
export async function copyTargets(request: CopyRequest): Promise<string[]> {
  const { from, projects } = await validateCopy(request);
  const involved = projects ? await principalsOf(from._id, projects) : null;
  const wanted = (id: string) => !involved || involved.has(id);
  const emails = new Map<string, string>();
  const add = (email: string) => {
    const key = emailKey(email);
    if (!emails.has(key)) emails.set(key, email);
  };

  const profiles = PortalCustomer.find({ site: from._id }, { email: 1 }).lean().cursor({ batchSize: BATCH });
  for await (const profile of profiles) if (wanted(profile._id)) add(profile.email);

  const customerAccounts = new Set<string>();
  const granting = await groupsGrantingRole(from._id, CUSTOMER_ROLE);
  const filters = [{ roles: CUSTOMER_ROLE }, ...granting.map((group) => ({ groups: group }))];
  for (const filter of filters) {
    const entries = AccountSite.find({ site: from._id, ...filter }, { account: 1 })
      .lean()
      .cursor({ batchSize: BATCH });
    for await (const entry of entries) if (wanted(entry.account)) customerAccounts.add(entry.account);
  }
  if (customerAccounts.size) {
    const accounts = AtlassianAccount.find({ status: { $ne: 'closed' } }, { email: 1 })
      .lean()
      .cursor({ batchSize: BATCH });
    for await (const account of accounts) if (customerAccounts.has(account._id)) add(account.email);
  }

  if (emails.size === 0) {
    throw invalid(`Nothing to copy: ${from._id} has no customers${projects ? ` in ${projects.join(', ')}` : ''}.`);
  }
  return [...emails.keys()].sort(compareKeys).map((key) => emails.get(key) as string);
}

/** Reporters and participants of the site's requests in the projects (one streamed query per project). */
async function principalsOf(site: string, projects: readonly string[]): Promise<Set<string>> {
  const principals = new Set<string>();
  for (const project of projects) {
    const requests = CustomerRequest.find({ site, project }, { reporter: 1, participants: 1 })
      .lean()
      .cursor({ batchSize: BATCH });
    for await (const request of requests) {
      principals.add(request.reporter);
      for (const participant of request.participants) principals.add(participant);
    }
  }
  return principals;
}
