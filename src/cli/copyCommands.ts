import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stderr, stdout } from 'node:process';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { cliContext } from '../accounts/context';
import { type CopyRequest, describeCopyPreview, previewCopy, REPORT_FILE } from '../accounts/copy';
import { type ReviewInput, reviewImportedGroup } from '../accounts/groupReview';
import { workerOptionsFromEnv } from '../config';
import { jobActivity } from '../jobs/activity';
import { describeActivity, describeJobEnded } from '../jobs/describe';
import type { JobEndedEvent } from '../jobs/finish';
import { copyReport, copySummary } from '../jobs/kinds/copy';
import { jobProgress } from '../jobs/progress';
import { enqueueJob, isEnded, requireJob } from '../jobs/queue';
import { JobWorker } from '../jobs/worker';
import { OutboxEvent } from '../outbox';
import { plural } from '../text';
import { withDatabase } from './run';

interface ReportOptions {
  out: string;
  json?: boolean;
}

interface CopyOptions extends ReportOptions {
  from: string;
  to: string;
  projects?: string[];
  preview?: boolean;
  wait: boolean;
}

const keys = (value: string) => value.split(',').map((key) => key.trim());

/** copy, copy-report, review: copying customers between sites and reviewing the imported groups it makes. */
export function registerCopyCommands(program: Command): void {
  program
    .command('copy')
    .description(`copy the customers of one site to another, then write ${REPORT_FILE} and print a summary`)
    .requiredOption('--from <site>', 'the source site')
    .requiredOption('--to <site>', 'the destination site')
    .option('--projects <keys>', 'only customers of requests in these source projects (comma-separated)', keys)
    .option('--preview', 'show what would change, without changing anything')
    .option('--out <dir>', `the directory to write ${REPORT_FILE} to`, '.')
    .option('--json', 'print the summary as JSON')
    .option('--no-wait', 'queue the job and return; `accounts copy-report <job>` writes the report later')
    .action(
      withDatabase(async (options: CopyOptions) => {
        const request: CopyRequest = { kind: 'copy-customers', from: options.from, to: options.to };
        if (options.projects) request.projects = options.projects;
        if (options.preview) {
          stdout.write(`${describeCopyPreview(await previewCopy(request))}\n`);
          return;
        }
        const { job } = await enqueueJob(request, { requestedBy: cliContext().actor });
        stderr.write(`Queued job ${job._id} (${plural(job.total, 'customer')}).\n`);
        if (!options.wait) return;
        await runUntilEnded(job._id, job.total);
        await writeReport(job._id, options);
      }),
    );

  program
    .command('copy-report <job>')
    .description(`write the ${REPORT_FILE} of a copy job and print its summary`)
    .option('--out <dir>', `the directory to write ${REPORT_FILE} to`, '.')
    .option('--json', 'print the summary as JSON')
    .action(withDatabase(writeReport));

  program
    .command('review <group> <decision>')
    .description('approve or reject an imported group; approving gives its members the Customer role on its site')
    .requiredOption('--reason <text>', 'why; recorded with the review')
    .option('--site <site>', "the group's site, when several sites have a group of that name")
    .action(
      withDatabase(async (group: string, decision: string, options: { reason: string; site?: string }) => {
        const input = { group, decision, reason: options.reason, site: options.site } as ReviewInput;
        stdout.write(`${(await reviewImportedGroup(input, cliContext())).message}\n`);
      }),
    );
}

/**
 * Runs a worker in this process until the job ends (another worker may end it first). The bar shows customers
 * done or, for a job whose chunks report their activity (a sync), its steps and what it has done so far, read
 * from the database as the Slack message reads it: it moves whichever worker runs the job.
 */
export async function runUntilEnded(jobId: string, total: number, activity = false): Promise<void> {
  const worker = new JobWorker(workerOptionsFromEnv());
  worker.start();
  const format = activity ? ' {bar} {doing}' : undefined;
  const bar = (activity || total >= 100) && stderr.isTTY ? new SingleBar({ stream: stderr, format }) : undefined;
  bar?.start(activity ? 1 : total, 0, { doing: 'Starting.' });
  try {
    while (!isEnded(await requireJob(jobId))) {
      if (bar && activity) {
        const now = await jobActivity(jobId);
        if (now) {
          bar.setTotal(now.steps);
          bar.update(now.step - 1, { doing: describeActivity(now) });
        }
      } else bar?.update((await jobProgress(jobId)).done);
      await sleep(200);
    }
  } finally {
    bar?.stop();
    await worker.stop();
  }
}

/** Writes the report file (streamed) and prints the job's outcome, or its summary as JSON. */
async function writeReport(jobId: string, options: ReportOptions): Promise<void> {
  const summary = await copySummary(jobId);
  await mkdir(options.out, { recursive: true });
  const path = join(options.out, REPORT_FILE);
  await pipeline(await copyReport(jobId), createWriteStream(path));
  if (options.json) {
    stdout.write(`${JSON.stringify({ ...summary, report: path }, null, 2)}\n`);
    return;
  }
  const ended = await OutboxEvent.findById(`job:${summary.jobId}`).lean();
  const lines = [
    ended
      ? describeJobEnded(ended.payload as unknown as JobEndedEvent)
      : `Job ${summary.jobId} is ${summary.state}: ${summary.total - summary.notProcessed} of ${plural(summary.total, 'customer')} done so far.`,
  ];
  if (summary.importedGroup) {
    lines.push(
      `Imported group ${summary.importedGroup} on ${summary.to} awaits review: accounts review ${summary.importedGroup} approve --reason "…"`,
    );
  }
  lines.push(`Wrote ${path} (${plural(summary.requiresAttention, 'customer')} needing an action).`);
  stdout.write(`${lines.join('\n')}\n`);
}
