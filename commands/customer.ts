import { isEmail } from '../src/accounts/email';
import { findByEmail, lookupOnSites } from '../src/accounts/lookup';
import { requireRole, type SlashCommandModule } from '../src/slack/handle';
import { readableSites } from '../src/slack/readableSites';
import { customerCard } from '../views/customerCard';

/**
 * `/customer <email>`: every profile of an email on every site the person may read (DOMAIN.md operation 1); the
 * card says how many profiles on other sites it left out.
 */
export const customer: SlashCommandModule = {
  name: '/customer',
  usage: '<email>',
  description: 'Show every portal-only profile and Atlassian account of an email, on every site, with warnings.',
  help: 'Example: `/customer jsmith@abc.com`. Buttons on the card start the sensible next actions.',
  check: (args) =>
    args.length !== 1
      ? 'Give exactly one email address.'
      : isEmail(args[0] ?? '')
        ? null
        : `"${args[0]}" is not an email address.`,
  async run({ actor, args, reply }) {
    await requireRole(actor, { role: 'viewer' }, 'look up customers');
    const { lookup, hidden } = lookupOnSites(await findByEmail(args[0] ?? ''), await readableSites(actor.id));
    await reply({ text: `Customer ${lookup.email}`, blocks: customerCard(lookup, hidden) });
  },
};
