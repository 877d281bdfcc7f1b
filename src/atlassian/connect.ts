import { recordAudit } from '../accounts/audit';
import type { OperationContext } from '../accounts/context';
import { conflict, DomainError, invalid } from '../accounts/errors';
import { Site } from '../accounts/models';
import { type AtlassianConfig, atlassianConfigFromEnv } from '../config';
import { isDuplicateKeyError } from '../db/errors';
import { atlassianClients } from './clients';
import { ConnectedSite } from './connectedSite';
import { readDesks } from './read';

const SITE_ID = /^[a-z0-9][a-z0-9-]*$/;
const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

export interface ConnectResult {
  site: string;
  host: string;
  /** One line per thing checked: what the token may see, or why not. */
  checks: { what: string; ok: boolean; detail: string }[];
  alreadyConnected: boolean;
}

/**
 * `accounts connect <site> <host>`: checks the credentials against the site (who the token is, its service
 * desks), lists what else the token may read, and records the site as connected. Nothing secret is stored.
 */
export async function connectSite(
  siteId: string,
  hostInput: string,
  context: OperationContext,
  config: AtlassianConfig = atlassianConfigFromEnv(),
): Promise<ConnectResult> {
  const host = hostInput
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '');
  if (!SITE_ID.test(siteId))
    throw invalid(`"${siteId}" is not a site id: use lowercase letters, digits and -, such as "acme".`);
  if (!HOST.test(host)) throw invalid(`"${hostInput}" is not a site host such as acme.atlassian.net.`);
  const known = await Site.findById(siteId).lean();
  if (known && known.host !== host) {
    throw conflict(`Site ${siteId} is ${known.host} in the directory, not ${host}.`);
  }
  const connected = await ConnectedSite.findById(siteId).lean();
  if (connected && connected.host !== host) throw conflict(`Site ${siteId} is already connected to ${connected.host}.`);

  const api = atlassianClients(config, host);
  // The credentials themselves: a failure here is the answer.
  const me = await api.call('who the token belongs to', () => api.jira.myself.getCurrentUser());
  const desks = await readDesks(api);
  const checks: ConnectResult['checks'] = [
    { what: 'token', ok: true, detail: `${me.displayName ?? me.accountId} (${me.emailAddress ?? 'email hidden'})` },
    { what: 'service desks', ok: true, detail: desks.length ? desks.map((d) => d.projectKey).join(', ') : 'none' },
  ];
  const probe = async (what: string, read: () => Promise<string>) => {
    try {
      checks.push({ what, ok: true, detail: await read() });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      checks.push({ what, ok: false, detail: error.message });
    }
  };
  const first = desks[0];
  if (first) {
    await probe('customers', async () => {
      const page = await api.call(`the customers of ${first.projectKey}`, () =>
        api.desk.serviceDesk.getCustomers({ serviceDeskId: first.id, limit: 1 }),
      );
      return page.values?.length ? 'readable' : 'readable (none yet)';
    });
  }
  await probe('users', async () => {
    await api.call('the users', () => api.jira.users.getAllUsers({ maxResults: 1 }));
    return 'readable';
  });
  await probe('groups', async () => {
    await api.call('the groups', () => api.jira.groups.bulkGetGroups({ maxResults: 1 }));
    return 'readable';
  });
  if (api.admin) {
    const admin = api.admin;
    await probe('organization (Admin API)', async () => (await admin.organization()).data.attributes.name);
  } else {
    checks.push({
      what: 'organization (Admin API)',
      ok: false,
      detail:
        'not configured: set ATLASSIAN_ORG_ID and ATLASSIAN_ADMIN_API_KEY to read managed accounts’ emails and product access',
    });
  }

  if (!connected) {
    try {
      await ConnectedSite.collection.insertOne({
        _id: siteId,
        host,
        connectedAt: new Date(),
        connectedBy: context.actor,
        lastSync: null,
      } as never);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    await recordAudit(context, {
      action: 'site.connect',
      target: siteId,
      site: siteId,
      summary: `Connected ${siteId} to ${host} (read-only).`,
    });
  }
  return { site: siteId, host, checks, alreadyConnected: Boolean(connected) };
}
