import type { App, webApi } from '@slack/bolt';
import {
  jobQueuedModal,
  licencesTicked,
  migrationModal,
  migrationTitle,
  preparingModal,
} from '../../views/migrationModal';
import { noticeModal } from '../../views/notice';
import {
  type MigrationKind,
  type MigrationPreview,
  type MigrationRequest,
  previewMigration,
} from '../accounts/migration';
import type { Actor } from '../accounts/models';
import { requireSite } from '../accounts/sites';
import { requestJob } from '../jobs/queue';
import { decodeRef } from './actionIds';
import { recallPreview, rememberPreview, replacePreview } from './confirmations';
import { type ActionInput, registerAction, requireRole, type SubmissionHandler, sentenceFor } from './handle';
import { type CustomerRef, parsePayload, pendingIdSchema } from './payloads';

/**
 * The confirmation flow every migration shares (/migrate-customer, /make-portal-only, /mark-portal-only and the
 * customer card's buttons): a modal with the exact preview, Submit queues the job — once, and only the job
 * that was previewed.
 */

const WHAT: Record<MigrationKind, (site: string) => string> = {
  'migrate-to-account': (site) => `migrate customers on ${site}`,
  'make-portal-only': (site) => `make accounts portal-only on ${site}`,
};

/** Migrations change a site's customers: its site-admins may run them (org-admins anywhere). */
const requireSiteAdmin = (actor: Actor, request: MigrationRequest) =>
  requireRole(actor, { role: 'site-admin', site: request.site }, WHAT[request.kind](request.site));

/**
 * A modal's pending confirmation, read only for someone who administers some site; the request it holds is
 * then authorized on its own site.
 */
async function recallFor(actor: Actor, privateMetadata: string) {
  await requireRole(actor, { role: 'site-admin' }, 'confirm migrations');
  const pending = await recallPreview(parsePayload(pendingIdSchema, privateMetadata));
  await requireSiteAdmin(actor, pending.request);
  return pending;
}

export interface OpenPreview {
  actor: Actor;
  client: webApi.WebClient;
  triggerId: string;
  /** The modal's callback id: the command whose submission listener confirms it. */
  callbackId: string;
  request: MigrationRequest;
  /** Why this preview is shown again: the one confirmed went stale. */
  changed?: string;
}

/**
 * Checks the site and the person's role, opens a small modal at once (the trigger id expires after 3 seconds),
 * then replaces it with the preview. Failures after it opened are shown in it.
 */
export async function openMigrationPreview({ actor, client, triggerId, callbackId, request, changed }: OpenPreview) {
  // The role first: someone without it learns nothing about the directory, not even which sites exist.
  await requireSiteAdmin(actor, request);
  await requireSite(request.site);
  const opened = await client.views.open({ trigger_id: triggerId, view: preparingModal(request) });
  const viewId = opened.view?.id ?? '';
  try {
    const preview = await previewMigration(request);
    const pendingId = await rememberPreview(preview);
    await client.views.update({ view_id: viewId, view: await previewModal(callbackId, pendingId, preview, changed) });
  } catch (error) {
    await client.views.update({ view_id: viewId, view: noticeModal(migrationTitle(request), sentenceFor(error)) });
  }
}

async function previewModal(callbackId: string, pendingId: string, preview: MigrationPreview, changed?: string) {
  return migrationModal({ callbackId, pendingId, preview, offerLicences: await offersLicences(preview), changed });
}

/** Accounts holding product access are refused unless their licences may go: then the modal offers that choice. */
async function offersLicences(preview: MigrationPreview): Promise<boolean> {
  const { request } = preview;
  if (request.kind !== 'make-portal-only') return false;
  if (request.revokeLicences) return true;
  if (preview.refused === 0) return false;
  return (await previewMigration({ ...request, revokeLicences: true })).counts.licencesRevoked > 0;
}

/**
 * Submit: keeps the job under the key `view:<view id>` before the ack, so a double submit or a retry finds the
 * first job. The worker checks the preview: one gone stale (the directory changed, or the licence choice did)
 * ends the job without changing anything, and the requester gets a button for the new preview.
 */
export const confirmMigration: SubmissionHandler = {
  async keep({ actor, view }) {
    const pending = await recallFor(actor, view.private_metadata);
    const ticked = licencesTicked(view);
    const choiceChanged = ticked !== undefined && ticked !== pending.request.revokeLicences;
    const request = choiceChanged ? { ...pending.request, revokeLicences: ticked } : pending.request;
    await requireSiteAdmin(actor, request);
    const { job } = await requestJob(request, {
      requestedBy: actor,
      key: `view:${view.id}`,
      expectedFingerprint: pending.fingerprint,
    });
    return jobQueuedModal(view, { ...job, total: pending.summary.targets }, pending.summary);
  },
};

/** Ticking or unticking "revoke licences" previews again, in place: the modal always shows what Submit does. */
export async function reviewLicenceChoice({ actor, action, body, client }: ActionInput): Promise<void> {
  const view = body.view;
  if (!view || action.type !== 'checkboxes') return;
  const pending = await recallFor(actor, view.private_metadata);
  const preview = await previewMigration({ ...pending.request, revokeLicences: action.selected_options.length > 0 });
  await replacePreview(pending.id, preview);
  await client.views.update({ view_id: view.id, view: await previewModal(view.callback_id, pending.id, preview) });
}

/** A customer card's button (Migrate, Make portal-only): the same preview modal, for the customer it names. */
export function registerCardButton(
  app: App,
  actionId: string,
  callbackId: string,
  requestFor: (ref: CustomerRef) => MigrationRequest,
): void {
  registerAction(app, actionId, async ({ actor, action, body, client }) => {
    const ref = decodeRef(action.type === 'button' ? action.value : undefined);
    await openMigrationPreview({ actor, client, triggerId: body.trigger_id, callbackId, request: requestFor(ref) });
  });
}
