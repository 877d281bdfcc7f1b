import { stderr, stdout } from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { formatDistanceToNow } from 'date-fns';
import { cliContext } from '../accounts/context';
import {
  type MigrationKind,
  type MigrationRequest,
  type MigrationTarget,
  previewMigration,
} from '../accounts/migration';
import { metricsPortFromEnv, workerOptionsFromEnv } from '../config';
import { describeJobEnded, describePreview } from '../jobs/describe';
import type { JobEndedEvent } from '../jobs/finish';
import { firstItems, itemsIn } from '../jobs/items';
import { jobProgress } from '../jobs/progress';
import { cancelJob, enqueueJob, isEnded, recentJobs, requireJob } from '../jobs/queue';
import { JobWorker } from '../jobs/worker';
import { log } from '../log';
import { startMetricsServer } from '../metrics';
import { OutboxEvent } from '../outbox';
import { phraseDuration, plural, progressBar } from '../text';
import { readEmails } from './options';
import { withDatabase } from './run';

interface RunOptions {
  site: string;
  preview?: boolean;
  wait: boolean;
  revokeLicences?: boolean;
  file?: string;
}

/** migrate, make-portal-only, batch, jobs, cancel, worker: migrations without Slack. */
export function registerJobCommands(program: Command): void {
  const migration = (kind: MigrationKind, name: string, description: string) => {
    const command = program
      .command(`${name} [emails...]`)
      .description(description)
      .requiredOption('--site <site>', 'the site')
      .option('--file <path>', 'read more emails from a file, one per line')
      .option('--preview', 'show what would change, without changing anything')
      .option('--no-wait', 'queue the job and return; a worker runs it');
    if (kind === 'make-portal-only') command.option('--revoke-licences', 'confirm revoking product access on the site');
    command.action(
      withDatabase(async (emails: string[], options: RunOptions) => {
        const all = [...emails, ...(options.file ? await readEmails(options.file) : [])];
        await previewOrRun(
          { kind, site: options.site, target: { emails: all }, revokeLicences: options.revokeLicences },
          options,
        );
      }),
    );
  };
  migration('migrate-to-account', 'migrate', 'migrate portal-only customers of a site to Atlassian accounts');
  migration('make-portal-only', 'make-portal-only', 'make Atlassian accounts portal-only on one site');

  program
    .command('batch <selector>')
    .description('run a batch over a selector: invited-not-migrated (migrate) or eligible-for-portal-only')
    .requiredOption('--site <site>', 'the site')
    .option('--revoke-licences', 'confirm revoking product access (eligible accounts have none)')
    .option('--preview', 'show what would change, without changing anything')
    .option('--no-wait', 'queue the job and return; a worker runs it')
    .action(
      withDatabase(async (selector: string, options: RunOptions) => {
        const kind: MigrationKind = selector === 'eligible-for-portal-only' ? 'make-portal-only' : 'migrate-to-account';
        const target = { selector } as MigrationTarget;
        await previewOrRun({ kind, site: options.site, target, revokeLicences: options.revokeLicences }, options);
      }),
    );

  program
    .command('jobs [id]')
    .description('recent jobs with their state and duration, or one job in detail')
    .action(
      withDatabase(async (id?: string) => {
        stdout.write(`${id ? await jobDetail(id) : await jobList()}\n`);
      }),
    );

  program
    .command('cancel <id>')
    .description('cancel a queued or running job (customers already migrated stay migrated)')
    .action(
      withDatabase(async (id: string) => {
        const job = await cancelJob(id, cliContext().actor);
        stdout.write(
          `Job ${job._id} is ${job.state === 'cancelled' ? 'cancelled' : 'stopping after its current chunk'}.\n`,
        );
      }),
    );

  program
    .command('worker')
    .description('run a job worker until stopped (Ctrl-C)')
    .action(
      withDatabase(async () => {
        if (!process.env.LOG_LEVEL) log.level = 'info';
        const worker = new JobWorker(workerOptionsFromEnv());
        const metricsPort = metricsPortFromEnv();
        const metrics = metricsPort === undefined ? undefined : await startMetricsServer(metricsPort, '0.0.0.0');
        worker.start();
        stderr.write(`Worker ${worker.id} is running; Ctrl-C stops it.${metrics ? ` Metrics: ${metrics.url}` : ''}\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        stderr.write('Stopping: finishing the chunks in progress…\n');
        await worker.stop();
        await metrics?.stop();
      }),
    );
}

async function previewOrRun(request: MigrationRequest, options: RunOptions): Promise<void> {
  if (options.preview) {
    stdout.write(`${describePreview(await previewMigration(request))}\n`);
    return;
  }
  const { job } = await enqueueJob(request, { requestedBy: cliContext().actor });
  stderr.write(`Queued job ${job._id} (${plural(job.total, 'customer')}).\n`);
  if (!options.wait) return;
  const event = await waitForJob(job._id, job.total);
  stdout.write(`${describeJobEnded(event)}\n`);
  const problems = await itemsIn(job._id, ['refused', 'failed']);
  for (const item of problems) stdout.write(`  ${item.email}: ${item.state}: ${item.reason}\n`);
  if (event.outcome !== 'succeeded') process.exitCode = 1;
}

/** Runs a worker in this process until the job ends (another worker may end it first). */
async function waitForJob(jobId: string, total: number): Promise<JobEndedEvent> {
  const worker = new JobWorker(workerOptionsFromEnv());
  worker.start();
  const bar = total >= 100 && stderr.isTTY ? new SingleBar({ stream: stderr }) : undefined;
  bar?.start(total, 0);
  try {
    for (;;) {
      const job = await requireJob(jobId);
      if (isEnded(job)) break;
      if (bar) bar.update((await jobProgress(jobId)).done);
      await sleep(200);
    }
  } finally {
    bar?.stop();
    await worker.stop();
  }
  const event = await OutboxEvent.findById(`job:${jobId}`).lean();
  return event?.payload as unknown as JobEndedEvent;
}

async function jobList(): Promise<string> {
  const jobs = await recentJobs();
  if (jobs.length === 0) return 'No jobs yet.';
  const rows = await Promise.all(
    jobs.map(async (job) => {
      const progress = await jobProgress(job._id);
      const duration = job.endedAt
        ? `took ${phraseDuration(job.endedAt.getTime() - (job.startedAt ?? job.requestedAt).getTime())}`
        : progressBar(progress.done, progress.total, 10);
      const age = formatDistanceToNow(job.requestedAt, { addSuffix: true });
      return `${job._id}  ${job.state.padEnd(16)} ${job.kind.padEnd(18)} ${job.site.padEnd(10)} ${job.description} · by ${job.requestedBy.name} ${age} · ${duration}`;
    }),
  );
  return rows.join('\n');
}

async function jobDetail(id: string): Promise<string> {
  const job = await requireJob(id);
  const progress = await jobProgress(job._id);
  const items = await firstItems(job._id, 50);
  const lines = [
    `Job ${job._id}: ${job.kind} of ${job.description} on ${job.site}, ${job.state}`,
    `  requested by ${job.requestedBy.name} ${formatDistanceToNow(job.requestedAt, { addSuffix: true })}`,
    `  ${progressBar(progress.done, progress.total)} (${progress.succeeded} succeeded, ${progress.refused} refused, ${progress.failed} failed)`,
    ...items.map((item) => `  ${item.email}: ${item.state}${item.reason ? `: ${item.reason}` : ''}`),
  ];
  if (progress.total > items.length) lines.push(`  … and ${progress.total - items.length} more`);
  if (isEnded(job)) {
    const event = await OutboxEvent.findById(`job:${job._id}`).lean();
    if (event) lines.push(`  ${describeJobEnded(event.payload as unknown as JobEndedEvent)}`);
  }
  return lines.join('\n');
}
