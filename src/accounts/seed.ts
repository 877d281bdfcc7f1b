import { derivedAccountId, derivedPortalCustomerId } from './ids';
import { customersGroupName, Organization } from './models';
import { requireNoneConnected } from './sites';
import type {
  SnapshotAccount,
  SnapshotGroup,
  SnapshotPortalCustomer,
  SnapshotRequest,
  SnapshotSite,
} from './snapshot/format';
import { formatTime } from './snapshot/format';
import { DirectoryWriter } from './snapshot/writer';

/**
 * `accounts seed`: a realistic directory of any size, the same every time for the same size and seed.
 * Each customer is one of the situations an admin meets, in proportions like a real service desk's.
 */
export interface SeedOptions {
  customers: number;
  seed?: number;
  /** How many sites the customers spread over (2 to 5). */
  sites?: number;
  onProgress?: (done: number, total: number) => void;
}

export type CustomerKind =
  | 'portal-only'
  | 'invited-not-migrated'
  | 'migrated'
  | 'duplicate'
  | 'customer-account'
  | 'eligible-for-portal-only'
  | 'agent';

/** Share of each kind, in percent. */
const MIX: [CustomerKind, number][] = [
  ['portal-only', 55],
  ['invited-not-migrated', 5],
  ['migrated', 5],
  ['duplicate', 5],
  ['customer-account', 15],
  ['eligible-for-portal-only', 10],
  ['agent', 5],
];

const SITE_NAMES = ['globex', 'globex-eu', 'globex-apac', 'globex-us', 'globex-latam'];
const FIRST = [
  'Ana',
  'Ben',
  'Chen',
  'Dara',
  'Eli',
  'Fatima',
  'Goran',
  'Hana',
  'Ivan',
  'Jade',
  'Kofi',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rui',
  'Sofia',
  'Tariq',
];
const LAST = [
  'Adams',
  'Bauer',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Huang',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Rossi',
  'Silva',
  'Tanaka',
  'Weber',
];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com'];
const CHUNK = 1000;
const DAY = 86_400_000;
const EPOCH = Date.UTC(2026, 0, 1);

/** mulberry32: small, fast and deterministic, which is all a test directory needs. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}

export function seedSites(count: number): SnapshotSite[] {
  return SITE_NAMES.slice(0, count).map((id, i) => ({
    id,
    host: `${id}.atlassian.net`,
    workspace: id,
    portalUrl: `https://${id}.atlassian.net/servicedesk/customer/portals`,
    projects: [
      { key: `SD${i}`, name: `Service desk ${id}` },
      { key: `IT${i}`, name: `IT help ${id}` },
    ],
  }));
}

const agentsGroupName = (site: SnapshotSite) => `jira-servicemanagement-agents-${site.workspace}`;

export interface SeedSummary {
  organization: string;
  sites: string[];
  customers: Record<CustomerKind, number>;
  accounts: number;
  portalCustomers: number;
  requests: number;
}

export async function seedDirectory(options: SeedOptions): Promise<SeedSummary> {
  const seed = options.seed ?? 1;
  const rng = random(seed);
  const sites = seedSites(Math.min(Math.max(options.sites ?? 3, 2), SITE_NAMES.length));
  await requireNoneConnected(sites.map((site) => site.id));
  const existing = await Organization.findOne().lean();
  const organization = existing
    ? { id: existing._id, name: existing.name }
    : { id: 'org-globex', name: 'Globex Corporation' };
  const writer = new DirectoryWriter(organization, 'keep');
  await writer.organizationRecord();
  await writer.sites(sites);
  await writer.groups(
    sites.flatMap((site): SnapshotGroup[] => [
      { site: site.id, name: agentsGroupName(site), roles: [], origin: 'default', review: null, members: [] },
      {
        site: site.id,
        name: customersGroupName(site),
        roles: ['customer'],
        origin: 'default',
        review: null,
        members: [],
      },
    ]),
  );

  const summary: SeedSummary = {
    organization: organization.id,
    sites: sites.map((s) => s.id),
    customers: Object.fromEntries(MIX.map(([kind]) => [kind, 0])) as Record<CustomerKind, number>,
    accounts: 0,
    portalCustomers: 0,
    requests: 0,
  };
  const nextRequestNumber = new Map<string, number>();
  const time = (daysAgoMax: number) => formatTime(new Date(EPOCH + 300 * DAY - rng.int(daysAgoMax * DAY))) as string;

  for (let start = 0; start < options.customers; start += CHUNK) {
    const portal: SnapshotPortalCustomer[] = [];
    const accounts: SnapshotAccount[] = [];
    const requests: SnapshotRequest[] = [];
    const memberships = new Map<string, Map<string, string[]>>();

    const end = Math.min(start + CHUNK, options.customers);
    for (let i = start; i < end; i++) {
      const kind = pickKind(rng.next() * 100);
      summary.customers[kind]++;
      const site = rng.pick(sites);
      const first = rng.pick(FIRST);
      const last = rng.pick(LAST);
      const email = `${first}.${last}.${i}@${rng.pick(DOMAINS)}`.toLowerCase();
      const displayName = `${first} ${last}`;
      const portalId = derivedPortalCustomerId('seed', String(seed), String(i));
      const accountId = derivedAccountId('seed', String(seed), String(i));
      const withPortal =
        kind === 'portal-only' || kind === 'invited-not-migrated' || kind === 'migrated' || kind === 'duplicate';
      const withAccount = kind !== 'portal-only';
      const migrated = kind === 'migrated';

      if (withPortal) {
        const migratedAt = migrated ? time(200) : null;
        portal.push({
          id: portalId,
          site: site.id,
          email,
          displayName,
          status: migrated ? 'inactive' : 'active',
          invitedToProduct: kind === 'invited-not-migrated' ? time(60) : null,
          migratedTo: migrated ? accountId : null,
          migratedAt,
        });
      }
      if (withAccount) {
        const products =
          kind === 'agent'
            ? ['jira-servicemanagement']
            : kind === 'invited-not-migrated'
              ? [rng.pick(['jira-software', 'confluence'])]
              : [];
        const roles = kind === 'migrated' || kind === 'customer-account' ? ['customer'] : [];
        accounts.push({
          id: accountId,
          email,
          displayName,
          emailVerified: kind !== 'invited-not-migrated' || rng.next() < 0.5,
          status: 'active',
          sites: [{ site: site.id, siteAccess: true, products, roles, admin: false }],
        });
        const group = kind === 'agent' ? agentsGroupName(site) : roles.length ? customersGroupName(site) : null;
        if (group) memberships.set(accountId, new Map([[site.id, [group]]]));
      }

      // Requests belong to whoever can see them now: the portal profile unless it was migrated.
      const reporter = withPortal && !migrated ? portalId : accountId;
      const requestCount = kind === 'agent' ? 0 : rng.int(4);
      for (let r = 0; r < requestCount; r++) {
        const project = rng.pick(site.projects).key;
        const number = (nextRequestNumber.get(project) ?? 0) + 1;
        nextRequestNumber.set(project, number);
        requests.push({
          key: `${project}-${number}`,
          site: site.id,
          project,
          reporter,
          participants: [],
          createdAt: time(300),
        });
      }
    }

    await writer.accounts(accounts, (id) => memberships.get(id) ?? new Map());
    await writer.portalCustomers(portal);
    await writer.requests(requests);
    summary.accounts += accounts.length;
    summary.portalCustomers += portal.length;
    summary.requests += requests.length;
    options.onProgress?.(end, options.customers);
  }
  return summary;
}

function pickKind(percent: number): CustomerKind {
  let total = 0;
  for (const [kind, share] of MIX) {
    total += share;
    if (percent < total) return kind;
  }
  return 'portal-only';
}
