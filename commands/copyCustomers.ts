import type { webApi } from '@slack/bolt';
import { type CopyRequest, previewCopy } from '../src/accounts/copy';
import type { Actor } from '../src/accounts/models';
import { requestJob } from '../src/jobs/queue';
import { CALLBACK } from '../src/slack/actionIds';
import { registerSubmission, requireRole, type SlashCommandModule, sentenceFor } from '../src/slack/handle';
import { copyConfirmationSchema, parseJsonPayload } from '../src/slack/payloads';
import { COPY_TITLE, type CopyConfirmation, copyModal, copyQueuedModal, preparingCopyModal } from '../views/copyModal';
import { noticeModal } from '../views/notice';
import { isSiteId, shown } from './words';

/** `/copy-customers <from> <to> [projects]`: copy customers between sites (DOMAIN.md operation 9), previewed first. */

// Jira's project keys: a letter, then letters, digits or _; 10 characters by default, 20 here to be generous.
const PROJECT_KEY = /^[A-Za-z][A-Za-z0-9_]{0,19}$/;
/** The preview modal carries the request in its private_metadata (3000 characters): this many keys fit with room. */
const MAX_PROJECTS = 50;

/** Project keys may come as separate words or separated by commas: "HELP IT" or "HELP,IT". */
const projectsOf = (words: string[]) => [...new Set(words.flatMap((word) => word.split(',')).filter(Boolean))];

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

export const copyCustomers: SlashCommandModule<CopyRequest> = {
  name: '/copy-customers',
  usage: '<from site> <to site> [projects]',
  description: 'Copy the customers of one site to another, after a preview you confirm.',
  help: [
    'Example: `/copy-customers acme acme-eu`, or `/copy-customers acme acme-eu HELP,IT` for the customers of some projects only.',
    'Customers portal-only on the source who have an Atlassian account on the destination join an imported group that an approver reviews;',
    `accounts that would duplicate a portal-only profile are reported in the summary.`,
  ].join(' '),
  parse([from = '', to = '', ...rest]) {
    if (!isSiteId(from) || !isSiteId(to)) {
      return { problem: 'Give the source site and the destination site, such as acme acme-eu.' };
    }
    if (from === to) {
      return { problem: `The source and the destination are both ${from}: copy between two different sites.` };
    }
    const projects = projectsOf(rest);
    const bad = projects.find((key) => !PROJECT_KEY.test(key));
    if (bad !== undefined) return { problem: `${shown(bad)} is not a project key such as HELP.` };
    if (projects.length > MAX_PROJECTS) {
      return { problem: `Name at most ${MAX_PROJECTS} projects, or none to copy every customer of ${from}.` };
    }
    return { request: { kind: 'copy-customers', from, to, ...(projects.length ? { projects } : {}) } };
  },
  async run({ actor, request, payload, client }) {
    await openCopyPreview({ actor, client, triggerId: payload.trigger_id, request });
  },
  register(app) {
    /**
     * Confirm: keeps the copy under the key `view:<view id>` before the ack, so a double submit or a retry finds
     * the first job; the worker ends it without copying anything if the preview went stale, and says so.
     */
    registerSubmission(app, CALLBACK.copyCustomers, {
      async keep({ actor, view }) {
        const confirmed: CopyConfirmation = parseJsonPayload(copyConfirmationSchema, view.private_metadata);
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
