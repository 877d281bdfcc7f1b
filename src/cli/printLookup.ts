import { formatISO } from 'date-fns';
import { describeBilling } from '../accounts/billing';
import type { CustomerLookup } from '../accounts/lookup';
import type { SeenBy } from '../atlassian/partial';
import { plural } from '../text';

const day = (date: Date | null) => (date ? formatISO(date, { representation: 'date' }) : '');
const list = (values: string[]) => (values.length ? values.join(', ') : 'none');
/** Which sync last saw a record of a connected site; nothing for a site that is not connected. */
const seenByNote = (seen: SeenBy | null | undefined) =>
  seen === undefined
    ? []
    : [
        seen
          ? `last seen by sync job ${seen.job} (read ${seen.readAt.toISOString()})`
          : 'not synced from Atlassian yet',
      ];

/** `accounts find` as text for a terminal: one block per profile, then warnings and next actions. */
export function printLookup(lookup: CustomerLookup): string {
  const lines = [`${lookup.email}`];
  if (lookup.portalProfiles.length === 0 && !lookup.account)
    lines.push('  No portal-only profile and no Atlassian account.');
  for (const p of lookup.portalProfiles) {
    lines.push(
      `  Portal-only on ${p.site}: ${p.displayName}, ${p.status}, ${plural(p.requestCount, 'request')} (${p.id})`,
    );
    if (p.invitedToProduct) lines.push(`    invited to a product on ${day(p.invitedToProduct)}`);
    if (p.migratedTo) lines.push(`    migrated on ${day(p.migratedAt)} to account ${p.migratedTo}`);
    for (const note of seenByNote(p.seenBy)) lines.push(`    ${note}`);
  }
  const account = lookup.account;
  if (account) {
    const verified = account.emailVerified ? 'email verified' : 'email NOT verified';
    lines.push(`  Atlassian account ${account.id}: ${account.displayName}, ${account.status}, ${verified}`);
    for (const s of account.sites) {
      lines.push(
        `    ${s.site}: ${s.siteAccess ? 'has access' : 'no access'}${s.admin ? ', admin' : ''}; products ${list(s.products)}; roles ${list(s.roles)}; groups ${list(s.groups)}; ${plural(s.requestCount, 'request')}${seenByNote(
          s.seenBy,
        )
          .map((note) => `; ${note}`)
          .join('')}`,
      );
    }
    lines.push(`    ${describeBilling(account.billing)}`);
  }
  for (const note of lookup.partial) lines.push(`  ? ${note}`);
  for (const w of lookup.warnings) lines.push(`  ! ${w.message}`);
  for (const a of lookup.nextActions) lines.push(`  → ${a.kind} on ${a.site}`);
  return lines.join('\n');
}
