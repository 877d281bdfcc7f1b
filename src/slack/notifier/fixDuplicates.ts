import type { App } from '@slack/bolt';
import { conflict } from '../../accounts/errors';
import { duplicatesOf } from '../../jobs/kinds/copy';
import { requireJob } from '../../jobs/queue';
import { ACTION, CALLBACK } from '../actionIds';
import { registerAction, registerSubmission } from '../handle';
import { confirmMigration, openMigrationPreview } from '../migrationFlow';

/**
 * "Fix duplicates" under a copy's summary: migrates the destination's portal-only profiles that the copy found
 * duplicating an Atlassian account, through the usual preview (a customer fixed since is shown as refused there).
 */
export function registerFixDuplicates(app: App): void {
  registerAction(app, ACTION.fixDuplicates, async ({ actor, action, body, client }) => {
    const job = await requireJob(action.type === 'button' ? (action.value ?? '') : '');
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
