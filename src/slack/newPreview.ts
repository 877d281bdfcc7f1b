import type { App } from '@slack/bolt';
import { openCopyPreview } from '../../commands/copyCustomers';
import { requireJob } from '../jobs/queue';
import { ACTION, CALLBACK } from './actionIds';
import { registerAction, requireRole } from './handle';
import { openMigrationPreview } from './migrationFlow';
import { sitesWhere } from './readableSites';

/**
 * "See the new preview" under the message of a job whose preview went stale: the same request, previewed again
 * against the directory as it is now, in the modal its command uses; confirming it makes a new job.
 */
export function registerNewPreview(app: App): void {
  registerAction(app, ACTION.newPreview, async ({ actor, action, body, client }) => {
    // The role first: a job of a site the person does not administer is answered as unknown.
    await requireRole(actor, { role: 'site-admin' }, 'preview migrations');
    const administered = await sitesWhere(actor.id, 'site-admin');
    const job = await requireJob(action.type === 'button' ? (action.value ?? '') : '', administered);
    const changed = `The directory changed after you confirmed job ${job._id}, which changed nothing. This is the preview as it is now.`;
    const { request } = job;
    if (request.kind === 'sync') return;
    if (request.kind === 'copy-customers') {
      await openCopyPreview({ actor, client, triggerId: body.trigger_id, request, changed });
      return;
    }
    const callbackId = request.kind === 'migrate-to-account' ? CALLBACK.migrateCustomer : CALLBACK.makePortalOnly;
    await openMigrationPreview({ actor, client, triggerId: body.trigger_id, callbackId, request, changed });
  });
}
