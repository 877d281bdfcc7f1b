import type { MigrationRequest } from '../src/accounts/migration';
import { CALLBACK } from '../src/slack/actionIds';
import { registerSubmission, type SlashCommandModule } from '../src/slack/handle';
import { confirmMigration, openMigrationPreview } from '../src/slack/migrationFlow';
import { isSiteId } from './words';

/** `/mark-portal-only <site>`: "Mark all as portal-only" (DOMAIN.md operation 7), previewed, confirmed as a batch. */
export const markPortalOnly: SlashCommandModule<MigrationRequest> = {
  name: '/mark-portal-only',
  usage: '<site>',
  description: 'Make every eligible account of a site portal-only (access, no licence, no group), after a preview.',
  help: 'Example: `/mark-portal-only acme`. The preview counts the eligible accounts and shows some; Submit runs them as one batch.',
  parse: ([site = '', ...rest]) =>
    rest.length === 0 && isSiteId(site)
      ? {
          request: {
            kind: 'make-portal-only',
            site,
            target: { selector: 'eligible-for-portal-only' },
            revokeLicences: false,
          },
        }
      : { problem: 'Give exactly one site, such as acme.' },
  async run({ actor, request, payload, client }) {
    await openMigrationPreview({
      actor,
      client,
      triggerId: payload.trigger_id,
      callbackId: CALLBACK.markPortalOnly,
      request,
    });
  },
  register(app) {
    registerSubmission(app, CALLBACK.markPortalOnly, confirmMigration);
  },
};
