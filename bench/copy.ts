import { createWriteStream } from 'node:fs';
import { stderr, stdout } from 'node:process';
import { pipeline } from 'node:stream/promises';
import type { Document } from 'mongodb';
import type { CopyRequest } from '../src/accounts/copy';
import { derivedAccountId, derivedPortalCustomerId } from '../src/accounts/ids';
import {
  AccountSite,
  type AccountSiteDoc,
  type Actor,
  AtlassianAccount,
  accountKeys,
  accountSiteId,
  customersGroupName,
  Group,
  Organization,
  PortalCustomer,
  type PortalCustomerDoc,
  portalCustomerKeys,
  Site,
} from '../src/accounts/models';
import { copyReport, copySummary } from '../src/jobs/kinds/copy';
import { jobProgress } from '../src/jobs/progress';
import { enqueueJob } from '../src/jobs/queue';
import { defaultWorkerOptions, JobWorker } from '../src/jobs/worker';
import type { Benchmark } from './run';
import { CommandCounter } from './support/commands';
import { withFreshDatabase } from './support/database';
import { MemorySampler, mb } from './support/memory';
import { reportProgress } from './support/progress';
import { benchSizes, scaling } from './support/sizes';

const FROM = 'north';
const TO = 'south';
const ACTOR: Actor = { kind: 'system', id: 'bench', name: 'bench' };
const SEED_BATCH = 1000;

export const copyBenchmark: Benchmark = {
  name: 'copy',
  description: `copy N customers of ${FROM} to ${TO}, every case of the table, then write RequiresAttention.csv`,
  run,
};

async function run(): Promise<void> {
  // COPY_BENCH_SIZES=10000,100000 picks other sizes (100,000 takes a quarter of an hour, so it is opt-in).
  const sizes = benchSizes('COPY_BENCH_SIZES', [10_000]);
  stdout.write(`# chunkSize=${defaultWorkerOptions.chunkSize}; sizes ${sizes.join(', ')}\n`);
  let last = '';
  const perCustomer = new Map<number, number>();
  for (const customers of sizes) {
    last = await withFreshDatabase(`copy_${customers}`, async ({ client }) => {
      const label = `copy N=${customers}`;
      await seed(customers, label);
      const rssBefore = process.memoryUsage().rss;
      const memory = new MemorySampler();
      const counter = new CommandCounter(client);
      let jobId: string | undefined;
      const stopProgress = reportProgress(label, async () =>
        jobId ? `${(await jobProgress(jobId)).done} of ${customers} customers done` : 'queueing the job',
      );
      const started = performance.now();
      try {
        const request: CopyRequest = { kind: 'copy-customers', from: FROM, to: TO };
        jobId = (await enqueueJob(request, { requestedBy: ACTOR })).job._id;
        await new JobWorker().runUntilIdle();
        await pipeline(await copyReport(jobId), createWriteStream('/dev/null'));
      } finally {
        counter.stop();
        memory.stop();
        stopProgress();
      }
      const seconds = (performance.now() - started) / 1000;
      const summary = await copySummary(jobId as string);
      const perSecond = (summary.succeeded / seconds).toFixed(1);
      const ms = (seconds * 1000) / customers;
      perCustomer.set(customers, ms);
      // The commands the job waited on longest (the busiest ones are not always those).
      const top = [...counter.breakdown()]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 8)
        .map((t) => `${t.key} ${t.count} (${(t.ms / 1000).toFixed(1)} s)`)
        .join(', ');
      stdout.write(
        `N=${customers} copy_s=${seconds.toFixed(1)} customers_per_s=${perSecond} per_customer_ms=${ms.toFixed(2)}` +
          ` db_cmds_per_customer=${(counter.total / customers).toFixed(2)} peak_rss_mb=${mb(memory.peak.rss)}` +
          ` heap_mb=${mb(memory.peak.heapUsed)} rss_before_mb=${mb(rssBefore)} report_rows=${summary.requiresAttention}` +
          ` succeeded=${summary.succeeded} failed=${summary.failed}\n  counts: ${JSON.stringify(summary.counts)}\n` +
          `  ${counter.total} cmds: ${top}\n`,
      );
      return `copy_customers_per_s=${perSecond} db_cmds_per_customer=${(counter.total / customers).toFixed(2)} peak_rss_mb=${mb(memory.peak.rss)}`;
    });
  }
  stdout.write(`${last} ${scaling(perCustomer)}\n`);
}

/**
 * N customers of the source, in the proportions below, written with plain inserts in batches (bounded memory;
 * FerretDB inserts fast but updates slowly, so no upserts here). Out of 20: 12 portal-only; 3 accounts with the
 * Customer role (one through the customers group); 1 portal-only with an account on the destination (imported
 * group); 1 account with a portal-only profile on the destination (duplicate); 1 migrated profile with its
 * account; 1 already portal-only on both; 1 inactive profile.
 */
async function seed(customers: number, label: string): Promise<void> {
  const started = performance.now();
  await Organization.collection.insertOne({ _id: 'org-bench', name: 'Bench' } as never);
  await Site.collection.insertMany(
    [FROM, TO].map((id) => ({
      _id: id,
      organization: 'org-bench',
      host: `${id}.atlassian.net`,
      workspace: id,
      portalUrl: `https://${id}.atlassian.net/servicedesk/customer/portals`,
      projects: [{ key: 'HELP', name: 'Help' }],
    })) as never[],
  );
  const customersGroup = customersGroupName({ workspace: FROM });
  await Group.collection.insertOne({
    _id: `${FROM}/${customersGroup}`,
    site: FROM,
    name: customersGroup,
    roles: ['customer'],
    origin: 'default',
    review: null,
  } as never);

  for (let start = 0; start < customers; start += SEED_BATCH) {
    const profiles: PortalCustomerDoc[] = [];
    const accounts: Document[] = [];
    const entries: AccountSiteDoc[] = [];
    const profile = (i: number, site: string, status: 'active' | 'inactive', migratedTo: string | null = null) => {
      const doc = {
        _id: derivedPortalCustomerId('bench', String(i), site),
        site,
        email: `customer.${i}@example.com`,
        displayName: `Customer ${i}`,
        status,
        invitedToProduct: null,
        migratedTo,
        migratedAt: migratedTo ? new Date(Date.UTC(2026, 0, 1)) : null,
      };
      profiles.push({ ...doc, ...portalCustomerKeys(doc) });
    };
    const account = (i: number, site: string, change: Partial<AccountSiteDoc>) => {
      const doc = {
        _id: derivedAccountId('bench', String(i)),
        email: `customer.${i}@example.com`,
        displayName: `Customer ${i}`,
        emailVerified: true,
        status: 'active' as const,
      };
      accounts.push({ ...doc, ...accountKeys(doc) });
      entries.push({
        _id: accountSiteId(doc._id, site),
        account: doc._id,
        site,
        siteAccess: true,
        products: [],
        roles: [],
        groups: [],
        admin: false,
        ...change,
      });
      return doc._id;
    };
    for (let i = start; i < Math.min(start + SEED_BATCH, customers); i++) {
      const kind = i % 20;
      if (kind < 12) profile(i, FROM, 'active');
      else if (kind < 14) account(i, FROM, { roles: ['customer'] });
      else if (kind === 14) account(i, FROM, { groups: [customersGroup] });
      else if (kind === 15) {
        profile(i, FROM, 'active');
        account(i, TO, {});
      } else if (kind === 16) {
        account(i, FROM, { roles: ['customer'] });
        profile(i, TO, 'active');
      } else if (kind === 17) profile(i, FROM, 'inactive', account(i, FROM, { roles: ['customer'] }));
      else if (kind === 18) {
        profile(i, FROM, 'active');
        profile(i, TO, 'active');
      } else profile(i, FROM, 'inactive');
    }
    await PortalCustomer.collection.insertMany(profiles as never[], { ordered: false });
    if (accounts.length) await AtlassianAccount.collection.insertMany(accounts as never[], { ordered: false });
    if (entries.length) await AccountSite.collection.insertMany(entries as never[], { ordered: false });
  }
  stderr.write(`${label}: seeded in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
