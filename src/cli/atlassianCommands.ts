import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stderr, stdout } from 'node:process';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { cliContext } from '../accounts/context';
import { connectSite } from '../atlassian/connect';
import { ConnectedSite } from '../atlassian/connectedSite';
import { requireConnectedSite } from '../atlassian/sync';
import { describeJobEnded } from '../jobs/describe';
import type { JobEndedEvent } from '../jobs/finish';
import { SYNC_REPORT_FILE, syncReport } from '../jobs/kinds/sync';
import { enqueueJob } from '../jobs/queue';
import { OutboxEvent } from '../outbox';
import { runUntilEnded } from './copyCommands';
import { withDatabase } from './run';

/** connect, sync, sync-report: reading Atlassian Cloud sites into the directory (read-only). */
export function registerAtlassianCommands(program: Command): void {
  program
    .command('connect <site> <host>')
    .description('connect a directory site to its Atlassian Cloud site (read-only): checks the credentials')
    .action(
      withDatabase(async (site: string, host: string) => {
        const result = await connectSite(site, host, cliContext());
        const lines = [
          result.alreadyConnected
            ? `${result.site} was already connected to ${result.host}; the token may see:`
            : `Connected ${result.site} to ${result.host} (read-only until write-back is released); the token may see:`,
          ...result.checks.map((c) => `  ${c.ok ? '✓' : '✗'} ${c.what}: ${c.detail}`),
          `Next: accounts sync --site ${result.site}`,
        ];
        stdout.write(`${lines.join('\n')}\n`);
      }),
    );

  program
    .command('sync')
    .description('read connected sites from Atlassian and reconcile the directory with them')
    .option('--site <site>', 'only this connected site (default: every connected site)')
    .option('--out <dir>', `the directory to write ${SYNC_REPORT_FILE} to, when something could not be read`, '.')
    .option('--no-wait', 'queue the sync job and return')
    .action(
      withDatabase(async (options: { site?: string; out: string; wait: boolean }) => {
        const sites = options.site
          ? [(await requireConnectedSite(options.site))._id]
          : (await ConnectedSite.find({}, { _id: 1 }).sort({ _id: 1 }).lean()).map((s) => s._id);
        if (sites.length === 0) {
          stderr.write('No site is connected yet: accounts connect <site> <host> first.\n');
          process.exitCode = 2;
          return;
        }
        for (const site of sites) {
          const { job } = await enqueueJob({ kind: 'sync', site }, { requestedBy: cliContext().actor });
          stderr.write(`Queued sync job ${job._id} for ${site}.\n`);
          if (!options.wait) continue;
          await runUntilEnded(job._id, 0, true);
          const ended = await OutboxEvent.findById(`job:${job._id}`).lean();
          const event = ended?.payload as unknown as JobEndedEvent | undefined;
          if (event) stdout.write(`${describeJobEnded(event)}\n`);
          if (event?.outcome !== 'succeeded') process.exitCode = 1;
          if (event?.counts.unreadable) await writeSyncReport(job._id, options.out);
        }
      }),
    );

  program
    .command('sync-report <job>')
    .description(`write the ${SYNC_REPORT_FILE} of a sync job: what could not be read, and why`)
    .option('--out <dir>', `the directory to write ${SYNC_REPORT_FILE} to`, '.')
    .action(withDatabase((job: string, options: { out: string }) => writeSyncReport(job, options.out)));
}

async function writeSyncReport(jobId: string, out: string): Promise<void> {
  const { plan, csv } = await syncReport(jobId);
  await mkdir(out, { recursive: true });
  const path = join(out, SYNC_REPORT_FILE);
  await pipeline(csv, createWriteStream(path));
  stdout.write(`Wrote ${path} (${plan.unreadable.length} records that could not be read, and why).\n`);
}
