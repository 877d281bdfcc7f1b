import type { JobEndedEvent } from '../jobs/finish';
import { phraseDuration, plural } from '../text';

/**
 * "Synced acme from acme.atlassian.net in 2 seconds: 6 portal-only customers, 7 accounts, 2 groups, 8 requests
 * read; 3 documents written, none removed; 2 could not be read (account Bo Wong: email hidden …)."
 */
export function describeSyncEnded(event: JobEndedEvent): string {
  const item = event.items[0];
  const host = item?.email ?? 'Atlassian';
  if (event.outcome === 'cancelled') return `Cancelled the sync of ${event.site} from ${host}.`;
  if (item?.state !== 'succeeded')
    return `Could not sync ${event.site} from ${host}: ${item?.reason ?? 'it did not run.'}`;
  const c = event.counts;
  const read = [
    plural(c.portalCustomers ?? 0, 'portal-only customer'),
    plural(c.accounts ?? 0, 'account'),
    plural(c.groups ?? 0, 'group'),
    plural(c.requests ?? 0, 'request'),
  ].join(', ');
  const changed =
    (c.written ?? 0) + (c.removed ?? 0) === 0
      ? 'the directory already matched'
      : `${plural(c.written ?? 0, 'document')} written, ${c.removed ?? 0} removed`;
  const unreadable = c.unreadable ? `; ${c.unreadable} could not be read (${item.note ?? 'see the sync report'})` : '';
  return `Synced ${event.site} from ${host} in ${phraseDuration(event.durationMs)}: ${read} read; ${changed}${unreadable}.`;
}
