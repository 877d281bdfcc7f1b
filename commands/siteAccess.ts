import { newCorrelationId } from '../src/accounts/context';
import { isEmail } from '../src/accounts/email';
import type { Actor } from '../src/accounts/models';
import { setSiteAccess } from '../src/accounts/siteAccess';
import { ACTION, decodeRef } from '../src/slack/actionIds';
import { registerChangeAction, requireRole, type SlashCommandModule } from '../src/slack/handle';
import { isSiteId } from './words';

/** `/site-access <email> on|off <site>`: "Has access on site" for an Atlassian account (DOMAIN.md operation 4). */
export const siteAccess: SlashCommandModule = {
  name: '/site-access',
  usage: '<email> on|off <site>',
  description: "Turn an Atlassian account's access to a site on or off.",
  help: 'Example: `/site-access bwong@example.net on acme`. An admin of the site keeps their access.',
  check([email = '', state = '', site = '', ...rest]) {
    if (!site || rest.length) return 'Give an email, on or off, and a site.';
    if (!isEmail(email)) return `"${email}" is not an email address.`;
    if (state !== 'on' && state !== 'off') return `Say on or off, not "${state}".`;
    return isSiteId(site) ? null : `"${site}" is not a site id such as acme.`;
  },
  async run({ actor, args: [email = '', state, site = ''], reply }) {
    await reply(await changeSiteAccess(actor, email, site, state === 'on'));
  },
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
