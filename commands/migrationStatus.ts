import { jobDetail, jobOverview } from '../src/jobs/overview';
import { OutboxEvent, type OutboxEventDoc } from '../src/outbox';
import { botUserOf } from '../src/slack/botUser';
import { requireRole, type SlashCommandModule } from '../src/slack/handle';
import { noticeOf, undeliveredOn } from '../src/slack/notifier/undelivered';
import { readableSites } from '../src/slack/readableSites';
import { header } from '../views/blocks';
import { undeliveredLines } from '../views/deliveryViews';
import { jobDetailBlocks, jobOverviewBlocks, linesToSections } from '../views/jobStatus';

const JOB_ID = /^j[a-z0-9]{7}$/;

/** `/migration-status [job]`: running and recent jobs, or one job with every customer's result. */
export const migrationStatus: SlashCommandModule = {
  name: '/migration-status',
  usage: '[job]',
  description: 'Show running and recent migration and copy jobs, or one job in detail.',
  help: 'Without a job id: the jobs running now and the latest that ended, with progress and duration. With one, e.g. `/migration-status j4k9m2x7`: its state and each customer’s result, refusals with their reasons.',
  runsWithoutArguments: true,
  check: (args) =>
    args.length > 1
      ? 'Give at most one job id.'
      : args[0] !== undefined && !JOB_ID.test(args[0])
        ? `"${args[0]}" is not a job id; job ids look like j4k9m2x7.`
        : null,
  async run({ actor, args, client, reply }) {
    const now = new Date();
    const [id] = args;
    if (id === undefined) {
      await requireRole(actor, { role: 'viewer' }, 'see jobs');
      const sites = await readableSites(actor.id);
      const [overview, undelivered, bot] = await Promise.all([
        jobOverview(sites),
        undeliveredOn(sites),
        botUserOf(client),
      ]);
      const lines = undeliveredLines(undelivered, bot);
      await reply({
        text: `${overview.active.length} running or queued, ${overview.ended.length} recent.`,
        blocks: [
          header('Jobs'),
          ...jobOverviewBlocks(overview, now),
          ...(lines.length ? [header('Messages not delivered'), ...linesToSections(lines)] : []),
        ].slice(0, 50),
      });
      return;
    }
    const detail = await jobDetail(id);
    await requireRole(actor, { role: 'viewer', site: detail.job.site }, `see jobs on ${detail.job.site}`);
    const event = await OutboxEvent.findById(`job:${detail.job._id}`).lean<OutboxEventDoc>();
    const undelivered = event?.delivery.state === 'undeliverable' ? noticeOf(event) : null;
    const lines = undelivered
      ? undeliveredLines([{ ...undelivered, at: event?.at ?? now }], await botUserOf(client))
      : [];
    await reply({
      text: `Job ${detail.job._id}: ${detail.job.state}, ${detail.progress.done} of ${detail.progress.total} done.`,
      blocks: [...jobDetailBlocks(detail, now), ...linesToSections(lines)].slice(0, 50),
    });
  },
};
