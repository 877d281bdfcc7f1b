import { emailKey } from '../email';
import { AtlassianAccount, accountKeys, migratedProfileProblem, Organization, PortalCustomer } from '../models';
import type { Snapshot } from './format';
import type { LocatedProblem } from './locate';
import { portalCustomerDoc } from './records';

/**
 * The checks a schema cannot express: references inside the snapshot, the invariants of DOMAIN.md section 2
 * among its records, and conflicts with what the database already holds. A snapshot is self-contained:
 * everything it references must be in it.
 */
export async function checkSnapshot(snapshot: Snapshot): Promise<LocatedProblem[]> {
  const problems: LocatedProblem[] = [];
  const problem = (path: (string | number)[], message: string) => problems.push({ path, message });

  const sites = new Map(snapshot.sites.map((s) => [s.id, s]));
  const accounts = new Map(snapshot.accounts.map((a) => [a.id, a]));
  const portalIds = new Set(snapshot.portalCustomers.map((p) => p.id));

  const firstSeen = new Map<string, number>();
  const unique = (kind: string, key: string, index: number, path: (string | number)[], what: string) => {
    const seen = firstSeen.get(`${kind}\u0000${key}`);
    if (seen === undefined) firstSeen.set(`${kind}\u0000${key}`, index);
    else problem(path, `${what} (same as ${kind}[${seen}])`);
  };

  snapshot.sites.forEach((s, i) => {
    unique('sites', s.id, i, ['sites', i, 'id'], `duplicate site id "${s.id}"`);
    const keys = new Set<string>();
    s.projects.forEach((p, j) => {
      if (keys.has(p.key)) problem(['sites', i, 'projects', j, 'key'], `duplicate project key "${p.key}"`);
      keys.add(p.key);
    });
  });
  const knownSite = (path: (string | number)[], site: string) => {
    if (!sites.has(site)) problem(path, `site "${site}" is not in this snapshot's sites`);
  };

  snapshot.portalCustomers.forEach((p, i) => {
    const at = ['portalCustomers', i];
    unique('portalCustomers', p.id, i, [...at, 'id'], `duplicate portal-only customer id "${p.id}"`);
    knownSite([...at, 'site'], p.site);
    if (p.status === 'active') {
      unique(
        'active',
        `${p.site}/${emailKey(p.email)}`,
        i,
        [...at, 'email'],
        `a second active portal-only customer ${p.email} on ${p.site}`,
      );
    }
    const invariant5 = migratedProfileProblem(portalCustomerDoc(p));
    if (invariant5) problem([...at, 'status'], invariant5);
    if (p.migratedTo && !accounts.has(p.migratedTo))
      problem([...at, 'migratedTo'], `account ${p.migratedTo} is not in this snapshot`);
  });

  snapshot.accounts.forEach((a, i) => {
    const at = ['accounts', i];
    unique('accounts', a.id, i, [...at, 'id'], `duplicate account id "${a.id}"`);
    if (a.status !== 'closed')
      unique('open-email', emailKey(a.email), i, [...at, 'email'], `a second open account for ${a.email}`);
    const entries = new Set<string>();
    a.sites.forEach((s, j) => {
      knownSite([...at, 'sites', j, 'site'], s.site);
      if (entries.has(s.site)) problem([...at, 'sites', j, 'site'], `a second entry for site "${s.site}"`);
      entries.add(s.site);
    });
  });

  snapshot.groups.forEach((g, i) => {
    const at = ['groups', i];
    unique('groups', `${g.site}/${g.name}`, i, [...at, 'name'], `duplicate group "${g.name}" on ${g.site}`);
    knownSite([...at, 'site'], g.site);
    if ((g.origin === 'imported') !== (g.review !== null)) {
      problem([...at, 'review'], 'imported groups have a review and default groups have none (null)');
    }
    if (g.review) knownSite([...at, 'review', 'sourceSite'], g.review.sourceSite);
    g.members.forEach((member, j) => {
      const account = accounts.get(member);
      if (!account) problem([...at, 'members', j], `account ${member} is not in this snapshot`);
      else if (!account.sites.some((s) => s.site === g.site)) {
        problem([...at, 'members', j], `account ${member} has no entry for site ${g.site}`);
      }
    });
  });

  const principal = (id: string) => accounts.has(id) || portalIds.has(id);
  snapshot.requests.forEach((r, i) => {
    const at = ['requests', i];
    unique('requests', `${r.site}/${r.key}`, i, [...at, 'key'], `duplicate request ${r.key} on ${r.site}`);
    const site = sites.get(r.site);
    if (!site) knownSite([...at, 'site'], r.site);
    else if (!site.projects.some((p) => p.key === r.project)) {
      problem([...at, 'project'], `project "${r.project}" is not a project of site ${r.site}`);
    }
    if (!r.key.startsWith(`${r.project}-`))
      problem([...at, 'key'], `key ${r.key} does not belong to project ${r.project}`);
    if (!principal(r.reporter)) problem([...at, 'reporter'], `reporter ${r.reporter} is not in this snapshot`);
    r.participants.forEach((p, j) => {
      if (!principal(p)) problem([...at, 'participants', j], `participant ${p} is not in this snapshot`);
    });
  });

  problems.push(...(await databaseConflicts(snapshot)));
  return problems;
}

/** Records that the database would refuse because other documents already hold their unique keys. */
async function databaseConflicts(snapshot: Snapshot): Promise<LocatedProblem[]> {
  const problems: LocatedProblem[] = [];
  const organization = await Organization.findOne().lean();
  if (organization && organization._id !== snapshot.organization.id) {
    problems.push({
      path: ['organization', 'id'],
      message: `this database holds organization "${organization._id}"; load snapshots of that organization only`,
    });
  }

  const portal = snapshot.portalCustomers.map((p, i) => ({ i, doc: portalCustomerDoc(p) }));
  const holders = await PortalCustomer.find(
    { activeKey: { $in: portal.map((p) => p.doc.activeKey) } },
    { activeKey: 1 },
  ).lean();
  const portalHolder = new Map(holders.map((h) => [h.activeKey, h._id]));
  for (const { i, doc } of portal) {
    const holder = portalHolder.get(doc.activeKey);
    if (holder && holder !== doc._id) {
      problems.push({
        path: ['portalCustomers', i, 'email'],
        message: `the database already has another active portal-only customer ${doc.email} on ${doc.site} (${holder})`,
      });
    }
  }

  const open = snapshot.accounts.map((a, i) => ({
    i,
    doc: { _id: a.id, email: a.email, ...accountKeys({ _id: a.id, ...a }) },
  }));
  const owners = await AtlassianAccount.find(
    { openEmailKey: { $in: open.map((a) => a.doc.openEmailKey) } },
    { openEmailKey: 1 },
  ).lean();
  const accountHolder = new Map(owners.map((o) => [o.openEmailKey, o._id]));
  for (const { i, doc } of open) {
    const holder = accountHolder.get(doc.openEmailKey);
    if (holder && holder !== doc._id) {
      problems.push({
        path: ['accounts', i, 'email'],
        message: `the database already has another open account for ${doc.email} (${holder})`,
      });
    }
  }
  return problems;
}
