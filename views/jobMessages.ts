import type { Actor } from '../src/accounts/models';
import type { ActivityReport } from '../src/jobs/activity';
import { describeActivity, describeJobEnded } from '../src/jobs/describe';
import type { JobEndedEvent } from '../src/jobs/finish';
import type { JobKind } from '../src/jobs/kinds';
import type { JobDoc, JobOutcome } from '../src/jobs/models';
import type { JobProgress } from '../src/jobs/progress';
import { ACTION } from '../src/slack/actionIds';
import type { Message } from '../src/slack/notifier/poster';
import { progressBar } from '../src/text';
import { actions, button, context, escapeText, message, section } from './blocks';

/** The messages about jobs: a batch's (or a sync's) progress, updated in place, and the summary when a job ends. */

const PHRASE: Record<JobKind, (job: Pick<JobDoc, 'description' | 'site' | 'total'>) => string> = {
  'migrate-to-account': (job) =>
    `migrate ${job.description} to ${job.total === 1 ? 'an Atlassian account' : 'Atlassian accounts'} on ${job.site}`,
  'make-portal-only': (job) => `make ${job.description} portal-only on ${job.site}`,
  'copy-customers': (job) => `copy ${job.description} to ${job.site}`,
  sync: (job) => `sync ${job.description}`,
};

/** What a job does, as the rest of a sentence: "migrate 5 emails to Atlassian accounts on acme". */
export const jobAction = (job: Pick<JobDoc, 'kind' | 'description' | 'site' | 'total'>) => PHRASE[job.kind](job);

/** Who asked, as people read it: a mention for a Slack user, the name otherwise. */
export const requester = (actor: Actor) => (actor.kind === 'slack' ? `<@${actor.id}>` : escapeText(actor.name));

/**
 * A running job's message: a batch's progress bar and tallies, or, for a job whose chunk says what it is doing
 * (a sync reading Atlassian), that and what it has done so far.
 */
export function jobProgressMessage(
  job: JobDoc,
  progress: JobProgress,
  activity: ActivityReport | null = null,
): Message {
  const head = section(
    `:hourglass_flowing_sand: Job \`${job._id}\` is under way: it will ${escapeText(jobAction(job))}.`,
  );
  if (activity) {
    const doing = describeActivity(activity);
    return message(`Job ${job._id} is under way: ${doing}`, [
      head,
      section(escapeText(doing)),
      context(`requested by ${requester(job.requestedBy)}`),
    ]);
  }
  return message(`Job ${job._id} is under way: ${progress.done} of ${progress.total} done.`, [
    head,
    section(`\`${progressBar(progress.done, progress.total)}\``),
    context(
      `${progress.succeeded} succeeded · ${progress.refused} refused · ${progress.failed} failed · requested by ${requester(job.requestedBy)}`,
    ),
  ]);
}

/** How each outcome looks at a glance, wherever jobs are listed. */
export const OUTCOME_ICON: Record<JobOutcome, string> = {
  succeeded: ':white_check_mark:',
  'partly-succeeded': ':warning:',
  failed: ':x:',
  cancelled: ':no_entry_sign:',
  stale: ':arrows_counterclockwise:',
};
const PROBLEMS_SHOWN = 5;

/** describeJobEnded's sentence, with the first customers that were refused or failed and why. */
export function jobEndedMessage(event: JobEndedEvent): Message {
  const text = describeJobEnded(event);
  const problems = event.total > 1 ? event.items.filter((item) => item.reason).slice(0, PROBLEMS_SHOWN) : [];
  return message(text, [
    section(`${OUTCOME_ICON[event.outcome]} ${escapeText(text)}`),
    ...(problems.length
      ? [
          context(
            ...problems.map((item) => `*${escapeText(item.email)}* ${item.state}: ${escapeText(item.reason ?? '')}`),
          ),
        ]
      : []),
    ...(event.outcome === 'stale'
      ? [actions('job.stale', [button('See the new preview', ACTION.newPreview, event.jobId, 'primary')])]
      : []),
    context(
      `Job \`${event.jobId}\` · requested by ${requester(event.requestedBy)} · \`/migration-status ${event.jobId}\` for every customer`,
    ),
  ]);
}
