import { jobDetail, jobOverview } from '../src/jobs/overview';
import { requireRole, type SlashCommandModule } from '../src/slack/handle';
import { readableSites } from '../src/slack/readableSites';
import { header, message } from '../views/blocks';
import { jobDetailBlocks, jobOverviewBlocks } from '../views/jobStatus';
import { shown } from './words';

const JOB_ID = /^j[a-z0-9]{7}$/;

/** `/migration-status [job]`: running and recent jobs, or one job with every customer's result. */
export const migrationStatus: SlashCommandModule<{ job?: string }> = {
  name: '/migration-status',
  usage: '[job]',
  description: 'Show running and recent migration and copy jobs, or one job in detail.',
  help: 'Without a job id: the jobs running now and the latest that ended, with progress and duration. With one, e.g. `/migration-status j4k9m2x7`: its state and each customer’s result, refusals with their reasons.',
  runsWithoutArguments: true,
  parse: ([job, ...rest]) =>
    rest.length
      ? { problem: 'Give at most one job id.' }
      : job === undefined
        ? { request: {} }
        : JOB_ID.test(job)
          ? { request: { job } }
          : { problem: `${shown(job)} is not a job id; job ids look like j4k9m2x7.` },
  async run({ actor, request, reply }) {
    const now = new Date();
    const id = request.job;
    if (id === undefined) {
      await requireRole(actor, { role: 'viewer' }, 'see jobs');
      const overview = await jobOverview(await readableSites(actor.id));
      await reply(
        message(`${overview.active.length} running or queued, ${overview.ended.length} recent.`, [
          header('Jobs'),
          ...jobOverviewBlocks(overview, now),
        ]),
      );
      return;
    }
    const detail = await jobDetail(id);
    await requireRole(actor, { role: 'viewer', site: detail.job.site }, `see jobs on ${detail.job.site}`);
    await reply(
      message(
        `Job ${detail.job._id}: ${detail.job.state}, ${detail.progress.done} of ${detail.progress.total} done.`,
        jobDetailBlocks(detail, now),
      ),
    );
  },
};
