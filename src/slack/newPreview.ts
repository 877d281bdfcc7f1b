import type { App } from '@slack/bolt';
import { openCopyPreview } from '../../commands/copyCustomers';
import { requireJob } from '../jobs/queue';
import { ACTION, CALLBACK } from './actionIds';
import { registerAction } from './handle';
import { openMigrationPreview } from './migrationFlow';

/**
 * "See the new preview" under the message of a job whose preview went stale: the same request, previewed again
 * against the directory as it is now, in the modal its command uses; confirming it makes a new job.
 */
export function registerNewPreview(app: App): void {
  registerAction(app, ACTION.newPreview, async ({ actor, action, body, client }) => {
    const job = await requireJob(action.type === 'button' ? (action.value ?? '') : '');
    const changed = `The directory changed after you confirmed job ${job._id}, which changed nothing. This is the preview as it is now.`;
    const { request } = job;
    if (request.kind === 'copy-customers') {
      await openCopyPreview({ actor, client, triggerId: body.trigger_id, request, changed });
      return;
    }
    const callbackId = request.kind === 'migrate-to-account' ? CALLBACK.migrateCustomer : CALLBACK.makePortalOnly;
    await openMigrationPreview({ actor, client, triggerId: body.trigger_id, callbackId, request, changed });
  });
}
