import { describeBilling } from '../src/accounts/billing';
import type { AccountSiteView, CustomerLookup, NextAction, PortalProfileView } from '../src/accounts/lookup';
import type { SeenBy } from '../src/atlassian/partial';
import { ACTION, encodeRef } from '../src/slack/actionIds';
import { plural } from '../src/text';
import {
  actions,
  type Block,
  button,
  context,
  divider,
  escapeText,
  header,
  LIMIT,
  linesToSections,
  section,
  slackDate,
} from './blocks';

const list = (values: string[]) => (values.length ? values.map(escapeText).join(', ') : '—');

const ACTION_BUTTONS: Record<NextAction['kind'], { label: string; id: string; style?: 'primary' }> = {
  migrate: { label: 'Migrate to Atlassian account', id: ACTION.migrate, style: 'primary' },
  'make-portal-only': { label: 'Make portal-only', id: ACTION.makePortalOnly },
  'restore-site-access': { label: 'Restore site access', id: ACTION.restoreAccess },
};

export const hiddenNote = (hidden: number) =>
  `${plural(hidden, 'profile')} on other sites ${hidden === 1 ? 'was' : 'were'} left out: your role does not cover ${hidden === 1 ? 'its site' : 'their sites'}.`;

/** DOMAIN.md operation 1 as a card: every profile of an email, the warnings, and buttons for the next actions. */
export function customerCard(lookup: CustomerLookup, hidden = 0): Block[] {
  const blocks: Block[] = [header(lookup.email)];
  // Profiles on sites the reader's roles do not cover are left out (lookupOnSites); the card says how many.
  if (hidden) blocks.push(context(`:lock: ${hiddenNote(hidden)}`));
  if (lookup.portalProfiles.length === 0 && !lookup.account) {
    blocks.push(
      section(
        hidden
          ? 'No profile of this email is on a site you may read.'
          : 'No portal-only profile and no Atlassian account has this email.',
      ),
    );
    return blocks;
  }
  blocks.push(...linesToSections(lookup.portalProfiles.map(profileLines)));
  const account = lookup.account;
  if (account) {
    const verified = account.emailVerified ? 'email verified' : ':warning: email not verified';
    blocks.push(
      divider(),
      section(
        `*Atlassian account* \`${account.id}\` · ${escapeText(account.displayName)} · ${account.status} · ${verified}`,
      ),
      ...linesToSections(account.sites.map(accountSiteLine)),
      context(describeBilling(account.billing)),
    );
  }
  if (lookup.partial.length)
    blocks.push(context(lookup.partial.map((note) => `:grey_question: ${escapeText(note)}`).join('\n')));
  if (lookup.warnings.length) {
    blocks.push(divider(), ...linesToSections(lookup.warnings.map((w) => `:warning: ${escapeText(w.message)}`)));
  }
  // One row per 25 buttons; the same action on several sites is told apart by actions() (nthActionId).
  const buttons = lookup.nextActions.map((a) => {
    const b = ACTION_BUTTONS[a.kind];
    return button(`${b.label} (${a.site})`, b.id, encodeRef({ email: lookup.email, site: a.site }), b.style);
  });
  for (let i = 0; i < buttons.length; i += LIMIT.actionsElements) {
    blocks.push(actions('customer.next', buttons.slice(i, i + LIMIT.actionsElements)));
  }
  return blocks;
}

/** Where to see what a card too long for one message leaves out. */
export const customerCardRest = (lookup: CustomerLookup) =>
  `an operator sees everything with \`accounts find ${escapeText(lookup.email)}\``;

/** Which sync last saw a record of a connected site; nothing for a site that is not connected. */
function seenByNote(seen: SeenBy | null | undefined): string[] {
  if (seen === undefined) return [];
  return [
    seen ? `last seen by sync \`${seen.job}\` (read ${slackDate(seen.readAt)})` : 'not synced from Atlassian yet',
  ];
}

function profileLines(p: PortalProfileView): string {
  const state = p.status === 'active' ? 'Active' : 'Inactive';
  const notes = [`\`${p.id}\``];
  if (p.invitedToProduct) notes.push(`invited to a product ${slackDate(p.invitedToProduct, '{date_short}')}`);
  if (p.migratedTo && p.migratedAt)
    notes.push(`migrated ${slackDate(p.migratedAt, '{date_short}')} to \`${p.migratedTo}\``);
  notes.push(...seenByNote(p.seenBy));
  return `*Portal-only on ${p.site}* · ${escapeText(p.displayName)} · ${state} · ${plural(p.requestCount, 'request')}\n${notes.join(' · ')}`;
}

function accountSiteLine(s: AccountSiteView): string {
  const access = s.siteAccess ? 'has access' : 'no access';
  const seen = seenByNote(s.seenBy).map((note) => ` · ${note}`);
  return `*${s.site}*: ${access}${s.admin ? ' · admin' : ''} · products ${list(s.products)} · roles ${list(s.roles)} · groups ${list(s.groups)} · ${plural(s.requestCount, 'request')}${seen.join('')}`;
}
