import { buffer } from 'node:stream/consumers';
import type { Actor } from '../src/accounts/models';
import { jobDetail, jobOverview } from '../src/jobs/overview';
import { requireJob } from '../src/jobs/queue';
import { jobResultsCsv, resultsFile } from '../src/jobs/results';
import { OutboxEvent, type OutboxEventDoc } from '../src/outbox';
import { botUserOf } from '../src/slack/botUser';
import { type CommandInput, requireRole, type SlashCommandModule } from '../src/slack/handle';
import { noticeOf, undeliveredOn } from '../src/slack/notifier/undelivered';
import { readableSites } from '../src/slack/readableSites';
import { header, linesToSections, message } from '../views/blocks';
import { undeliveredLines } from '../views/deliveryViews';
import { jobDetailBlocks, jobOverviewBlocks } from '../views/jobStatus';
import { shown } from './words';

const JOB_ID = /^j[a-z0-9]{7}$/;

/** What /migration-status asks for: every job, one job, or one job's customers as a CSV file. */
export interface StatusRequest {
  job?: string;
  csv?: boolean;
}

/** `/migration-status [job [csv]]`: running and recent jobs, or one job with every customer's result. */
export const migrationStatus: SlashCommandModule<StatusRequest> = {
  name: '/migration-status',
  usage: '[job [csv]]',
  description: 'Show running and recent migration and copy jobs, or one job in detail.',
  help: 'Without a job id: the jobs running now and the latest that ended, with progress and duration. With one, e.g. `/migration-status j4k9m2x7`: its state and each customer’s result, refusals with their reasons; `/migration-status j4k9m2x7 csv` sends you every customer of the job as a CSV file.',
  runsWithoutArguments: true,
  parse([job, csv, ...rest]) {
    if (job === undefined) return { request: {} };
    if (!JOB_ID.test(job)) return { problem: `${shown(job)} is not a job id; job ids look like j4k9m2x7.` };
    if (csv === undefined) return { request: { job } };
    return csv === 'csv' && rest.length === 0
      ? { request: { job, csv: true } }
      : { problem: 'Give at most one job id, and csv after it for every customer as a file.' };
  },
  async run(input) {
    const { actor, request, client, reply } = input;
    const now = new Date();
    const id = request.job;
    await requireRole(actor, { role: 'viewer' }, 'see jobs');
    const readable = await readableSites(actor.id);
    if (id !== undefined && request.csv) {
      await reply(await sendResults(input, id, readable));
      return;
    }
    if (id === undefined) {
      const [overview, undelivered, bot] = await Promise.all([
        jobOverview(readable),
        undeliveredOn(readable),
        botUserOf(client),
      ]);
      const lines = undeliveredLines(undelivered, bot);
      await reply(
        message(`${overview.active.length} running or queued, ${overview.ended.length} recent.`, [
          header('Jobs'),
          ...jobOverviewBlocks(overview, now),
          ...(lines.length ? [header('Messages not delivered'), ...linesToSections(lines)] : []),
        ]),
      );
      return;
    }
    // A job on a site the person may not read is answered as one that does not exist.
    const detail = await jobDetail(id, readable);
    const event = await OutboxEvent.findById(`job:${detail.job._id}`).lean<OutboxEventDoc>();
    const undelivered = event?.delivery.state === 'undeliverable' ? noticeOf(event) : null;
    const lines = undelivered
      ? undeliveredLines([{ ...undelivered, at: event?.at ?? now }], await botUserOf(client))
      : [];
    await reply(
      message(`Job ${detail.job._id}: ${detail.job.state}, ${detail.progress.done} of ${detail.progress.total} done.`, [
        ...jobDetailBlocks(detail, now),
        ...linesToSections(lines),
      ]),
    );
  },
};

/** Every customer of a job as a CSV, in a DM to whoever asks (a file shared in a channel is read by all there). */
async function sendResults(
  { actor, client }: Pick<CommandInput, 'actor' | 'client'>,
  id: string,
  readable: readonly string[] | null,
): Promise<string> {
  const job = await requireJob(id, readable);
  const channel = await dmWith(client, actor);
  await client.filesUploadV2({
    channel_id: channel,
    file: await buffer(jobResultsCsv(job._id)),
    filename: resultsFile(job._id),
    title: resultsFile(job._id),
    initial_comment: `Every customer of job \`${job._id}\` with its result.`,
  });
  return `${resultsFile(job._id)} is in your DM with the bot.`;
}

async function dmWith(client: CommandInput['client'], actor: Actor): Promise<string> {
  const opened = await client.conversations.open({ users: actor.id });
  if (!opened.channel?.id) throw new Error(`Slack opened no DM with ${actor.id}`);
  return opened.channel.id;
}
