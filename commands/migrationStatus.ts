import { jobDetail, jobOverview } from '../src/jobs/overview';
import { requireRole, type SlashCommandModule } from '../src/slack/handle';
import { readableSites } from '../src/slack/readableSites';
import { header } from '../views/blocks';
import { jobDetailBlocks, jobOverviewBlocks } from '../views/jobStatus';

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
  async run({ actor, args, reply }) {
    const now = new Date();
    const [id] = args;
    await requireRole(actor, { role: 'viewer' }, 'see jobs');
    const readable = await readableSites(actor.id);
    if (id === undefined) {
      const overview = await jobOverview(readable);
      await reply({
        text: `${overview.active.length} running or queued, ${overview.ended.length} recent.`,
        blocks: [header('Jobs'), ...jobOverviewBlocks(overview, now)],
      });
      return;
    }
    // A job on a site the person may not read is answered as one that does not exist.
    const detail = await jobDetail(id, readable);
    await reply({
      text: `Job ${detail.job._id}: ${detail.job.state}, ${detail.progress.done} of ${detail.progress.total} done.`,
      blocks: jobDetailBlocks(detail, now),
    });
  },
};
