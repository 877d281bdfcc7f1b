import { buffer } from 'node:stream/consumers';
import type { webApi } from '@slack/bolt';
import { auditExport, countAuditEvents } from '../accounts/auditExport';
import { requireSite } from '../accounts/sites';
import { plural } from '../text';

const DAY_MS = 24 * 60 * 60_000;
export const MAX_AUDIT_DAYS = 366;

/**
 * `/accounts-admin audit <site> [days]`: a site's audit events of the last days as CSV (formula injection
 * neutralized, as every CSV the bot writes), uploaded into the asking org-admin's DM with the bot; the answer
 * is the sentence to show where they asked.
 */
export async function sendAuditFile(
  client: webApi.WebClient,
  user: string,
  site: string,
  days: number,
): Promise<string> {
  await requireSite(site);
  const since = new Date(Date.now() - days * DAY_MS);
  const period = `the last ${plural(days, 'day')}`;
  const count = await countAuditEvents({ site, since });
  if (count === 0) return `Nothing was audited on ${site} in ${period}.`;
  const filename = `audit-${site}-${new Date().toISOString().slice(0, 10)}.csv`;
  const content = await buffer(auditExport({ site, since }, 'csv'));
  const dm = await client.conversations.open({ users: user });
  if (!dm.channel?.id) throw new Error(`Slack opened no DM with ${user}`);
  await client.filesUploadV2({
    channel_id: dm.channel.id,
    file: content,
    filename,
    title: `Audit of ${site}, ${period}`,
    initial_comment: `${plural(count, 'audit event')} on ${site} in ${period}, oldest first.`,
  });
  return `Sent you ${filename} in our direct messages: ${plural(count, 'audit event')} on ${site} in ${period}.`;
}
