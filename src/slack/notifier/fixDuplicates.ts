import type { App } from '@slack/bolt';
import { conflict } from '../../accounts/errors';
import { duplicatesOf } from '../../jobs/kinds/copy';
import { requireJob } from '../../jobs/queue';
import { ACTION, CALLBACK } from '../actionIds';
import { registerAction, registerSubmission, requireRole } from '../handle';
import { confirmMigration, openMigrationPreview } from '../migrationFlow';
import { jobIdSchema, parsePayload } from '../payloads';
import { sitesWhere } from '../readableSites';

/**
 * "Fix duplicates" under a copy's summary: migrates the destination's portal-only profiles that the copy found
 * duplicating an Atlassian account, through the usual preview (a customer fixed since is shown as refused there).
 * The role comes first: the job is read only for a site-admin, and only if it is on a site they administer.
 */
export function registerFixDuplicates(app: App): void {
  registerAction(app, ACTION.fixDuplicates, async ({ actor, action, body, client }) => {
    await requireRole(actor, { role: 'site-admin' }, 'fix duplicates');
    const jobId = parsePayload(jobIdSchema, action.type === 'button' ? action.value : undefined);
    const job = await requireJob(jobId, await sitesWhere(actor.id, 'site-admin'));
    if (job.kind !== 'copy-customers') throw conflict(`Job ${job._id} is not a copy; it has no duplicates to fix.`);
    const emails = await duplicatesOf(job._id);
    if (emails.length === 0) throw conflict(`Copy job ${job._id} left no duplicates on ${job.site}.`);
    await openMigrationPreview({
      actor,
      client,
      triggerId: body.trigger_id,
      callbackId: CALLBACK.fixDuplicates,
      request: { kind: 'migrate-to-account', site: job.site, target: { emails } },
    });
  });
  registerSubmission(app, CALLBACK.fixDuplicates, confirmMigration);
}
