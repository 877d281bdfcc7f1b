import type { MigrationRequest } from '../src/accounts/migration';
import { ACTION, CALLBACK } from '../src/slack/actionIds';
import { registerAction, registerSubmission, type SlashCommandModule } from '../src/slack/handle';
import {
  confirmMigration,
  openMigrationPreview,
  registerCardButton,
  reviewLicenceChoice,
} from '../src/slack/migrationFlow';
import { badEmail, emailsThenSite } from './words';

/** `/make-portal-only`: Atlassian accounts become portal-only on one site (DOMAIN.md operation 6), confirmed in a modal. */
export const makePortalOnly: SlashCommandModule<MigrationRequest> = {
  name: '/make-portal-only',
  usage: '<email>… <site>',
  description: 'Make Atlassian accounts portal-only customers on one site, after a preview you confirm.',
  help: 'Example: `/make-portal-only agent1@acme.com acme`. Their other sites stay as they are; accounts holding a licence on the site need you to tick "Revoke their licences" in the preview.',
  parse(args) {
    const { emails, site } = emailsThenSite(args);
    if (!site) return { problem: 'Name the site after the emails: portal-only customers belong to one site.' };
    const problem = badEmail(emails);
    return problem
      ? { problem }
      : { request: { kind: 'make-portal-only', site, target: { emails }, revokeLicences: false } };
  },
  async run({ actor, request, payload, client }) {
    await openMigrationPreview({
      actor,
      client,
      triggerId: payload.trigger_id,
      callbackId: CALLBACK.makePortalOnly,
      request,
    });
  },
  register(app) {
    registerSubmission(app, CALLBACK.makePortalOnly, confirmMigration);
    registerAction(app, ACTION.revokeLicences, reviewLicenceChoice);
    registerCardButton(app, ACTION.makePortalOnly, CALLBACK.makePortalOnly, ({ email, site }) => ({
      kind: 'make-portal-only',
      site,
      target: { emails: [email] },
      revokeLicences: false,
    }));
  },
};
