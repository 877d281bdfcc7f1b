import type { JobOutcome } from '../src/jobs/models';
import type { ItemResult, JobDetail, JobOverview, JobStatus } from '../src/jobs/overview';
import { phraseDuration, plural, progressBar } from '../src/text';
import { type Block, context, escapeText, header, linesToSections, section, slackDate } from './blocks';
import { jobAction, OUTCOME_ICON, requester } from './jobMessages';

/** Jobs as /migration-status and App Home show them: one line per job, or one job with its customers. */

/** "42 of 50 succeeded, 5 refused, 3 failed" (kinds with none are left out). */
function outcomeCounts({ progress }: JobStatus): string {
  const parts = [`${progress.succeeded} of ${progress.total} succeeded`];
  if (progress.refused) parts.push(`${progress.refused} refused`);
  if (progress.failed) parts.push(`${progress.failed} failed`);
  if (progress.pending) parts.push(`${progress.pending} not processed`);
  return parts.join(', ');
}

/** How long it ran, or has been running; null while it has not started. */
function duration({ job }: JobStatus, now: Date): string | null {
  if (!job.startedAt) return null;
  const ms = (job.endedAt ?? now).getTime() - job.startedAt.getTime();
  return job.endedAt ? `took ${phraseDuration(ms)}` : `${phraseDuration(ms)} so far`;
}

/** One job on one line: what it does, its state, its progress or outcome, and how long it took. */
export function jobLine(status: JobStatus, now: Date): string {
  const { job, progress } = status;
  const what = `\`${job._id}\` ${escapeText(jobAction(job))}`;
  const took = duration(status, now);
  if (!job.endedAt) {
    const icon = job.state === 'running' ? ':hourglass_flowing_sand:' : ':clock3:';
    const shown = job.state === 'running' ? `\`${progressBar(progress.done, progress.total, 10)}\`` : job.state;
    return [`${icon} ${what}`, shown, took].filter(Boolean).join(' · ');
  }
  // finishJob sets the end time and the outcome together: an ended job's state is its outcome.
  return [
    `${OUTCOME_ICON[job.state as JobOutcome]} ${what}`,
    job.state,
    outcomeCounts(status),
    took,
    `ended ${slackDate(job.endedAt)}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The running jobs, then the recent ones. */
export function jobOverviewBlocks(overview: JobOverview, now: Date): Block[] {
  const running = overview.active.length
    ? linesToSections(overview.active.map((s) => jobLine(s, now)))
    : [section('No job is running or queued.')];
  const recent = overview.ended.length
    ? linesToSections(overview.ended.map((s) => jobLine(s, now)))
    : [section('No job has ended yet.')];
  return [section('*Running and queued*'), ...running, section('*Recent*'), ...recent];
}

function itemLine(item: ItemResult): string {
  const why = item.reason ? `: ${escapeText(item.reason)}` : item.note ? ` · ${escapeText(item.note)}` : '';
  return `• *${escapeText(item.email)}* ${item.state}${why}`;
}

/** One job: what it does, who asked, its progress or outcome, and each customer's result. */
export function jobDetailBlocks(detail: JobDetail, now: Date): Block[] {
  const { job, progress } = detail;
  const facts = [
    `*State:* ${job.state}`,
    `*Requested by* ${requester(job.requestedBy)} ${slackDate(job.requestedAt)}`,
    duration(detail, now),
  ].filter(Boolean);
  const blocks: Block[] = [
    header(`Job ${job._id}`),
    section(`It ${job.endedAt ? 'was to' : 'will'} ${escapeText(jobAction(job))}.`),
    section(facts.join('\n')),
    section(`\`${progressBar(progress.done, progress.total)}\`\n${outcomeCounts(detail)}`),
    ...linesToSections(detail.items.map(itemLine)),
  ];
  if (detail.more > 0) {
    blocks.push(
      context(
        `… and ${plural(detail.more, 'more customer')}: \`/migration-status ${job._id} csv\` sends you every one.`,
      ),
    );
  }
  return blocks;
}
