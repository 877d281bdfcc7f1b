import { emailKey } from '../src/accounts/email';
import { invalid } from '../src/accounts/errors';
import type { MigrationRequest } from '../src/accounts/migration';
import { type Actor, PortalCustomer } from '../src/accounts/models';
import { ACTION, CALLBACK } from '../src/slack/actionIds';
import { registerSubmission, requireRole, type SlashCommandModule } from '../src/slack/handle';
import { confirmMigration, openMigrationPreview, registerCardButton } from '../src/slack/migrationFlow';
import { sitesWhere } from '../src/slack/readableSites';
import { badEmail, emailsThenSite, isSiteId } from './words';

/** A migration as typed: the site may be left out (null), to be found from the emails' portal-only profiles. */
export type MigrateCustomerRequest = Omit<MigrationRequest, 'site'> & { site: string | null };

/** `/migrate-customer`: portal-only customers to Atlassian accounts (DOMAIN.md operations 5 and 8), confirmed in a modal. */
export const migrateCustomer: SlashCommandModule<MigrateCustomerRequest> = {
  name: '/migrate-customer',
  usage: '<email>… [site] | --invited <site>',
  description: 'Migrate portal-only customers to Atlassian accounts, after a preview you confirm.',
  help: [
    'Examples: `/migrate-customer jsmith@abc.com` (the site is the one of their portal-only profile),',
    '`/migrate-customer a@x.com b@y.com acme`, `/migrate-customer --invited acme` (every customer of acme invited to a product but not migrated).',
    'A migration cannot be undone.',
  ].join(' '),
  parse(args) {
    const kind = 'migrate-to-account';
    if (args[0] === '--invited') {
      const [, site = '', ...rest] = args;
      return rest.length === 0 && isSiteId(site)
        ? { request: { kind, site, target: { selector: 'invited-not-migrated' } } }
        : { problem: 'After --invited, give the site and nothing else.' };
    }
    const { emails, site } = emailsThenSite(args);
    if (emails.length === 0) return { problem: 'Give at least one email address, or --invited and a site.' };
    const problem = badEmail(emails);
    return problem ? { problem } : { request: { kind, site: site ?? null, target: { emails } } };
  },
  async run({ actor, request, payload, client }) {
    await openMigrationPreview({
      actor,
      client,
      triggerId: payload.trigger_id,
      callbackId: CALLBACK.migrateCustomer,
      request: await withSite(actor, request),
    });
  },
  register(app) {
    registerSubmission(app, CALLBACK.migrateCustomer, confirmMigration);
    registerCardButton(app, ACTION.migrate, CALLBACK.migrateCustomer, ({ email, site }) => ({
      kind: 'migrate-to-account',
      site,
      target: { emails: [email] },
    }));
  },
};

async function withSite(actor: Actor, request: MigrateCustomerRequest): Promise<MigrationRequest> {
  const { site, target } = request;
  if (site !== null) return { ...request, site };
  // Inferring the site reads the directory: only for someone who administers customers somewhere.
  await requireRole(actor, { role: 'site-admin' }, 'migrate customers');
  const emails = 'emails' in target ? target.emails : [];
  return { ...request, site: await inferSite(emails, await sitesWhere(actor.id, 'site-admin')) };
}

/**
 * The one site, among those the person administers (null: all), where these emails have active portal-only
 * profiles; otherwise the person is asked to name it.
 */
async function inferSite(emails: string[], administered: string[] | null): Promise<string> {
  const found = await PortalCustomer.distinct('site', {
    emailKey: { $in: emails.map(emailKey) },
    status: 'active',
    ...(administered ? { site: { $in: administered } } : {}),
  });
  const sites = (found as string[]).sort();
  if (sites.length === 1 && sites[0]) return sites[0];
  const whose = emails.length === 1 ? 'this email' : 'these emails';
  const where = administered ? ' on the sites you administer' : '';
  throw invalid(
    sites.length === 0
      ? `No active portal-only customer${where} has ${whose}; name the site after the emails: \`/migrate-customer <email>… <site>\`.`
      : `Active portal-only customers with ${whose} are on ${sites.join(' and ')}; name the site after the emails, e.g. \`/migrate-customer <email>… ${sites[0]}\`.`,
  );
}
