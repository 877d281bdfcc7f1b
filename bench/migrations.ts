import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { stderr, stdout } from 'node:process';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import type { Actor } from '../src/accounts/models';
import { PortalCustomer } from '../src/accounts/models';
import { requireSite } from '../src/accounts/sites';
import { JOB_ENDED, type JobEndedEvent } from '../src/jobs/finish';
import type { JobChunkDoc } from '../src/jobs/progress';
import { enqueueJob } from '../src/jobs/queue';
import { defaultWorkerOptions, JobWorker } from '../src/jobs/worker';
import { OutboxEvent } from '../src/outbox';
import type { Benchmark } from './run';
import { CommandCounter, type CommandTally } from './support/commands';
import { type FreshDatabase, withFreshDatabase } from './support/database';
import { type DirectoryDigest, digestDifferences, directoryDigest } from './support/directory';
import { type MemoryPeak, MemorySampler, mb } from './support/memory';
import { reportProgress } from './support/progress';
import { migrateRaw, type RawProgress } from './support/rawMigration';
import { benchSizes, scaling } from './support/sizes';

const SEED = 1;
/** The first of the seed's sites; it gets about a third of the customers. */
const SITE = 'globex';
const ACTOR: Actor = { kind: 'system', id: 'bench', name: 'bench' };

interface Run {
  batch: number;
  migrated: number;
  seconds: number;
  commands: CommandTally[];
  totalCommands: number;
  digest: DirectoryDigest;
}

interface OursRun extends Run {
  peak: MemoryPeak;
  /** RSS when the run started: what the process held already (modules, the seed's leftovers). */
  rssBefore: number;
}

export const migrationsBenchmark: Benchmark = {
  name: 'migrations',
  description: `a batch migrate-to-account of every active portal-only customer of ${SITE}, ours vs the raw driver`,
  run,
};

async function run(): Promise<void> {
  // MIGRATIONS_BENCH_SIZES=10000,100000 picks other sizes (100,000 is long, so it is opt-in).
  const sizes = benchSizes('MIGRATIONS_BENCH_SIZES', [10_000]);
  stdout.write(`# chunkSize=${defaultWorkerOptions.chunkSize}; N customers seeded with seed ${SEED} over 3 sites\n`);
  let last = '';
  const perCustomer = new Map<number, number>();
  // The raw floor's own scaling: what the server's cost per write does with the table's size, whoever writes.
  const rawPerCustomer = new Map<number, number>();
  for (const customers of sizes) {
    const ours = await withFreshDatabase(`migrations_${customers}_ours`, (database) =>
      measureOurs(database, customers),
    );
    const raw = await withFreshDatabase(`migrations_${customers}_raw`, (database) => measureRaw(database, customers));
    const perSecond = (ours.migrated / ours.seconds).toFixed(1);
    const rawPerSecond = raw.migrated / raw.seconds;
    const ratio = (ours.migrated / ours.seconds / rawPerSecond).toFixed(2);
    const cmds = (ours.totalCommands / ours.migrated).toFixed(2);
    const rss = mb(ours.peak.rss);
    const ms = (ours.seconds * 1000) / ours.batch;
    perCustomer.set(customers, ms);
    rawPerCustomer.set(customers, (raw.seconds * 1000) / ours.batch);
    stdout.write(
      `N=${customers} batch=${ours.batch} ours_s=${ours.seconds.toFixed(1)} migrations_per_s=${perSecond}` +
        ` per_customer_ms=${ms.toFixed(2)} db_cmds_per_migration=${cmds} peak_rss_mb=${rss} heap_mb=${mb(ours.peak.heapUsed)}` +
        ` rss_before_mb=${mb(ours.rssBefore)} raw_s=${raw.seconds.toFixed(1)} raw_per_s=${rawPerSecond.toFixed(1)}` +
        ` raw_cmds_per_migration=${(raw.totalCommands / raw.migrated).toFixed(2)} ratio_vs_raw=${ratio}\n`,
    );
    stdout.write(`  ours: ${breakdown(ours)}\n  raw:  ${breakdown(raw)}\n`);
    const differences = digestDifferences(ours.digest, raw.digest);
    if (ours.migrated !== raw.migrated || differences.length) {
      stdout.write(
        `  MISMATCH: ours migrated ${ours.migrated}, raw ${raw.migrated}; differing: ${differences.join(', ') || 'none'}\n`,
      );
      process.exitCode = 1;
    } else {
      stdout.write(`  same end state: ${describeDigest(ours.digest)}\n`);
    }
    last = `migrations_per_s=${perSecond} ratio_vs_raw=${ratio} db_cmds_per_migration=${cmds} peak_rss_mb=${rss}`;
  }
  stdout.write(`${last} ${scaling(perCustomer)} ${scaling(rawPerCustomer, 'raw_scaling')}\n`);
}

/**
 * Seeds the directory with `accounts seed` in a child process, so that its memory is not the benchmark's, and
 * returns the batch: the emails of the site's active portal-only customers.
 */
async function seedBatch(customers: number, { uri }: FreshDatabase, label: string): Promise<string[]> {
  const started = performance.now();
  const cli = join(__dirname, '..', 'src', 'cli', 'accounts.js');
  await promisify(execFile)(process.execPath, [cli, 'seed', '--customers', String(customers), '--seed', String(SEED)], {
    env: { ...process.env, MONGODB_URI: uri },
  });
  const profiles = await PortalCustomer.find({ site: SITE, status: 'active' }, { email: 1 })
    .sort({ emailKey: 1 })
    .lean();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  stderr.write(`${label}: seeded in ${seconds} s; batch of ${profiles.length} customers\n`);
  return profiles.map((p) => p.email);
}

async function measureOurs(database: FreshDatabase, customers: number): Promise<OursRun> {
  const { client, db, dbName, uri } = database;
  const label = `ours N=${customers}`;
  const emails = await seedBatch(customers, database, label);
  // Progress is read over a connection of its own, so that it is not counted.
  const watcher = await new MongoClient(uri).connect();
  const chunks = watcher.db(dbName).collection<JobChunkDoc>('jobChunks');
  const stopProgress = reportProgress(label, async () => {
    let done = 0;
    for await (const c of chunks.find({}, { projection: { succeeded: 1, refused: 1, failed: 1 } })) {
      done += c.succeeded + c.refused + c.failed;
    }
    return `${done} of ${emails.length} customers done`;
  });
  const rssBefore = process.memoryUsage().rss;
  const memory = new MemorySampler();
  const counter = new CommandCounter(client);
  const started = performance.now();
  let jobId: string;
  let seconds: number;
  try {
    const { job } = await enqueueJob(
      { kind: 'migrate-to-account', site: SITE, target: { emails } },
      { requestedBy: ACTOR },
    );
    jobId = job._id;
    await new JobWorker().runUntilIdle();
  } finally {
    seconds = (performance.now() - started) / 1000;
    counter.stop();
    memory.stop();
    stopProgress();
    await watcher.close();
  }
  const event = await OutboxEvent.findOne({ _id: `job:${jobId}`, type: JOB_ENDED }).lean();
  if (!event) throw new Error(`job ${jobId} did not end`);
  const ended = event.payload as unknown as JobEndedEvent;
  stderr.write(`${label}: job ${ended.outcome} in ${seconds.toFixed(1)} s; ${JSON.stringify(ended.counts)}\n`);
  return {
    batch: emails.length,
    migrated: ended.succeeded,
    seconds,
    commands: counter.breakdown(),
    totalCommands: counter.total,
    digest: await directoryDigest(db),
    peak: memory.peak,
    rssBefore,
  };
}

async function measureRaw(database: FreshDatabase, customers: number): Promise<Run> {
  const { client, db } = database;
  const label = `raw N=${customers}`;
  const emails = await seedBatch(customers, database, label);
  const site = await requireSite(SITE);
  const progress: RawProgress = { phase: 'starting', done: 0, total: 0 };
  const stopProgress = reportProgress(label, () => `${progress.phase}: ${progress.done} of ${progress.total}`);
  const counter = new CommandCounter(client);
  const started = performance.now();
  let migrated: number;
  let seconds: number;
  try {
    migrated = await migrateRaw(db, site, emails, progress);
  } finally {
    seconds = (performance.now() - started) / 1000;
    counter.stop();
    stopProgress();
  }
  stderr.write(`${label}: done in ${seconds.toFixed(1)} s\n`);
  return {
    batch: emails.length,
    migrated,
    seconds,
    commands: counter.breakdown(),
    totalCommands: counter.total,
    digest: await directoryDigest(db),
  };
}

/** "412 cmds, 38.2 s waiting on the server: update requests 120 (20.1 s), …" */
function breakdown(run: Run): string {
  const waited = run.commands.reduce((sum, t) => sum + t.ms, 0) / 1000;
  const top = run.commands.map((t) => `${t.key} ${t.count} (${(t.ms / 1000).toFixed(1)} s)`).join(', ');
  return `${run.totalCommands} cmds, ${waited.toFixed(1)} s waiting on the server: ${top}`;
}

const describeDigest = (digest: DirectoryDigest) =>
  Object.entries(digest)
    .map(([name, { count }]) => `${name}=${count}`)
    .join(' ');
