import type { webApi } from '@slack/bolt';
import { type CopyRequest, previewCopy } from '../src/accounts/copy';
import type { Actor } from '../src/accounts/models';
import { requestJob } from '../src/jobs/queue';
import { CALLBACK } from '../src/slack/actionIds';
import { registerSubmission, requireRole, type SlashCommandModule, sentenceFor } from '../src/slack/handle';
import { COPY_TITLE, type CopyConfirmation, copyModal, copyQueuedModal, preparingCopyModal } from '../views/copyModal';
import { noticeModal } from '../views/notice';
import { isSiteId } from './words';

/** `/copy-customers <from> <to> [projects]`: copy customers between sites (DOMAIN.md operation 9), previewed first. */

const PROJECT_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Project keys may come as separate words or separated by commas: "HELP IT" or "HELP,IT". */
const projectsOf = (words: string[]) => words.flatMap((word) => word.split(',')).filter(Boolean);

/** A copy reads the source's customers and writes the destination's: an admin of both sites may run it. */
async function requireAdminOfBoth(actor: Actor, request: CopyRequest): Promise<void> {
  const what = `copy customers from ${request.from} to ${request.to}`;
  await requireRole(actor, { role: 'site-admin', site: request.from }, what);
  await requireRole(actor, { role: 'site-admin', site: request.to }, what);
}

/**
 * Checks the person, opens a small modal at once (the trigger id expires after 3 seconds and a preview of a
 * large site takes longer), then replaces it with the preview; `changed` says why it is shown again.
 */
export async function openCopyPreview(options: {
  actor: Actor;
  client: webApi.WebClient;
  triggerId: string;
  request: CopyRequest;
  changed?: string;
}): Promise<void> {
  const { actor, client, request } = options;
  await requireAdminOfBoth(actor, request);
  const opened = await client.views.open({ trigger_id: options.triggerId, view: preparingCopyModal() });
  const viewId = opened.view?.id ?? '';
  try {
    await client.views.update({ view_id: viewId, view: copyModal(await previewCopy(request), options.changed) });
  } catch (error) {
    await client.views.update({ view_id: viewId, view: noticeModal(COPY_TITLE, sentenceFor(error)) });
  }
}

export const copyCustomers: SlashCommandModule = {
  name: '/copy-customers',
  usage: '<from site> <to site> [projects]',
  description: 'Copy the customers of one site to another, after a preview you confirm.',
  help: [
    'Example: `/copy-customers acme acme-eu`, or `/copy-customers acme acme-eu HELP,IT` for the customers of some projects only.',
    'Customers portal-only on the source who have an Atlassian account on the destination join an imported group that an approver reviews;',
    `accounts that would duplicate a portal-only profile are reported in the summary.`,
  ].join(' '),
  check([from = '', to = '', ...rest]) {
    if (!isSiteId(from) || !isSiteId(to)) return 'Give the source site and the destination site, such as acme acme-eu.';
    if (from === to) return `The source and the destination are both ${from}: copy between two different sites.`;
    const bad = projectsOf(rest).find((key) => !PROJECT_KEY.test(key));
    return bad === undefined ? null : `"${bad}" is not a project key such as HELP.`;
  },
  async run({ actor, args: [from = '', to = '', ...rest], payload, client }) {
    const projects = projectsOf(rest);
    const request: CopyRequest = { kind: 'copy-customers', from, to, ...(projects.length ? { projects } : {}) };
    await openCopyPreview({ actor, client, triggerId: payload.trigger_id, request });
  },
  register(app) {
    /**
     * Confirm: keeps the copy under the key `view:<view id>` before the ack, so a double submit or a retry finds
     * the first job; the worker ends it without copying anything if the preview went stale, and says so.
     */
    registerSubmission(app, CALLBACK.copyCustomers, {
      async keep({ actor, view }) {
        const confirmed = JSON.parse(view.private_metadata) as CopyConfirmation;
        await requireAdminOfBoth(actor, confirmed.request);
        const { job } = await requestJob(confirmed.request, {
          requestedBy: actor,
          key: `view:${view.id}`,
          expectedFingerprint: confirmed.fingerprint,
        });
        return copyQueuedModal(view, job, confirmed);
      },
    });
  },
};
