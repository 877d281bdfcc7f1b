import { describeBilling } from '../src/accounts/billing';
import type { CustomerLookup, NextAction } from '../src/accounts/lookup';
import { ACTION, encodeRef } from '../src/slack/actionIds';
import { plural } from '../src/text';
import { actions, type Block, button, context, divider, escapeText, header, section, slackDate } from './blocks';

const list = (values: string[]) => (values.length ? values.map(escapeText).join(', ') : '—');

const ACTION_BUTTONS: Record<NextAction['kind'], { label: string; id: string; style?: 'primary' }> = {
  migrate: { label: 'Migrate to Atlassian account', id: ACTION.migrate, style: 'primary' },
  'make-portal-only': { label: 'Make portal-only', id: ACTION.makePortalOnly },
  'restore-site-access': { label: 'Restore site access', id: ACTION.restoreAccess },
};

/** DOMAIN.md operation 1 as a card: every profile of an email, the warnings, and buttons for the next actions. */
export function customerCard(lookup: CustomerLookup): Block[] {
  const blocks: Block[] = [header(lookup.email)];
  if (lookup.portalProfiles.length === 0 && !lookup.account) {
    blocks.push(section('No portal-only profile and no Atlassian account has this email.'));
    return blocks;
  }
  for (const p of lookup.portalProfiles) {
    const state = p.status === 'active' ? 'Active' : 'Inactive';
    blocks.push(
      section(
        `*Portal-only on ${p.site}* · ${escapeText(p.displayName)} · ${state} · ${plural(p.requestCount, 'request')}`,
      ),
    );
    const notes = [`\`${p.id}\``];
    if (p.invitedToProduct) notes.push(`invited to a product ${slackDate(p.invitedToProduct, '{date_short}')}`);
    if (p.migratedTo && p.migratedAt)
      notes.push(`migrated ${slackDate(p.migratedAt, '{date_short}')} to \`${p.migratedTo}\``);
    blocks.push(context(notes.join(' · ')));
  }
  const account = lookup.account;
  if (account) {
    const verified = account.emailVerified ? 'email verified' : ':warning: email not verified';
    blocks.push(
      divider(),
      section(
        `*Atlassian account* \`${account.id}\` · ${escapeText(account.displayName)} · ${account.status} · ${verified}`,
      ),
    );
    for (const s of account.sites) {
      const access = s.siteAccess ? 'has access' : 'no access';
      blocks.push(
        section(
          `*${s.site}*: ${access}${s.admin ? ' · admin' : ''} · products ${list(s.products)} · roles ${list(s.roles)} · groups ${list(s.groups)} · ${plural(s.requestCount, 'request')}`,
        ),
      );
    }
    blocks.push(context(describeBilling(account.billing)));
  }
  if (lookup.partial.length)
    blocks.push(context(lookup.partial.map((note) => `:grey_question: ${escapeText(note)}`).join('\n')));
  if (lookup.warnings.length) {
    blocks.push(divider(), ...lookup.warnings.map((w) => section(`:warning: ${escapeText(w.message)}`)));
  }
  if (lookup.nextActions.length) {
    blocks.push(
      actions(
        'customer.next',
        lookup.nextActions.map((a) => {
          const b = ACTION_BUTTONS[a.kind];
          return button(`${b.label} (${a.site})`, b.id, encodeRef({ email: lookup.email, site: a.site }), b.style);
        }),
      ),
    );
  }
  return blocks.slice(0, 50);
}
