import { isEmail } from '../src/accounts/email';
import { findByEmail, lookupOnSites } from '../src/accounts/lookup';
import { requireRole, type SlashCommandModule } from '../src/slack/handle';
import { readableSites } from '../src/slack/readableSites';
import { message } from '../views/blocks';
import { customerCard, customerCardRest } from '../views/customerCard';
import { shown } from './words';

/**
 * `/customer <email>`: every profile of an email on every site the person may read (DOMAIN.md operation 1); the
 * card says how many profiles on other sites it left out.
 */
export const customer: SlashCommandModule<{ email: string }> = {
  name: '/customer',
  usage: '<email>',
  description: 'Show every portal-only profile and Atlassian account of an email, on every site, with warnings.',
  help: 'Example: `/customer jsmith@abc.com`. Buttons on the card start the sensible next actions.',
  parse: ([email = '', ...rest]) =>
    rest.length
      ? { problem: 'Give exactly one email address.' }
      : isEmail(email)
        ? { request: { email } }
        : { problem: `${shown(email)} is not an email address.` },
  async run({ actor, request, reply }) {
    await requireRole(actor, { role: 'viewer' }, 'look up customers');
    const { lookup, hidden } = lookupOnSites(await findByEmail(request.email), await readableSites(actor.id));
    await reply(message(`Customer ${lookup.email}`, customerCard(lookup, hidden), customerCardRest(lookup)));
  },
};
