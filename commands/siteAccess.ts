import { newCorrelationId } from '../src/accounts/context';
import { isEmail } from '../src/accounts/email';
import type { Actor } from '../src/accounts/models';
import { setSiteAccess } from '../src/accounts/siteAccess';
import { ACTION, decodeRef } from '../src/slack/actionIds';
import { registerChangeAction, requireRole, type SlashCommandModule } from '../src/slack/handle';
import { isSiteId, shown } from './words';

/** What /site-access asks for. */
export interface SiteAccessRequest {
  email: string;
  site: string;
  enabled: boolean;
}

/**
 * `/site-access <email> on|off <site>`: "Has access on site" for an Atlassian account (DOMAIN.md operation 4).
 * Acknowledged means kept: the access is changed before the ack, whose text is the sentence. Typing it again is
 * safe: an access already as asked is answered "already has (no) access".
 */
export const siteAccess: SlashCommandModule<SiteAccessRequest> = {
  name: '/site-access',
  usage: '<email> on|off <site>',
  description: "Turn an Atlassian account's access to a site on or off.",
  help: 'Example: `/site-access bwong@example.net on acme`. An admin of the site keeps their access.',
  parse([email = '', state = '', site = '', ...rest]) {
    if (!site || rest.length) return { problem: 'Give an email, on or off, and a site.' };
    if (!isEmail(email)) return { problem: `${shown(email)} is not an email address.` };
    if (state !== 'on' && state !== 'off') return { problem: `Say on or off, not ${shown(state)}.` };
    if (!isSiteId(site)) return { problem: `${shown(site)} is not a site id such as acme.` };
    return { request: { email, site, enabled: state === 'on' } };
  },
  change: ({ actor, request: { email, site, enabled } }) => changeSiteAccess(actor, email, site, enabled),
  register(app) {
    registerChangeAction(app, ACTION.restoreAccess, async ({ actor, action }) => {
      const ref = decodeRef(action.type === 'button' ? action.value : undefined);
      return changeSiteAccess(actor, ref.email, ref.site, true);
    });
  },
};

/** Checks the role, changes the access (the service checks the site); returns the sentence to show. */
async function changeSiteAccess(actor: Actor, email: string, site: string, enabled: boolean): Promise<string> {
  await requireRole(actor, { role: 'site-admin', site }, `change site access on ${site}`);
  const result = await setSiteAccess({ email, site, enabled }, { actor, correlationId: newCorrelationId() });
  return result.message;
}
