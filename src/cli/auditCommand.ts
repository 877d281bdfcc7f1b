import { once } from 'node:events';
import { stdout } from 'node:process';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { AUDIT_FORMATS, type AuditFormat, auditExport } from '../accounts/auditExport';
import { requireSite } from '../accounts/sites';
import { withDatabase } from './run';

function sinceDate(value: string): Date {
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError('must be a date such as 2026-12-01 or 2026-12-01T09:30:00Z.');
  }
  return at;
}

/** audit: the audit events, oldest first, streamed to stdout. */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('stream the audit events, oldest first, as JSON lines or CSV')
    .option('--since <date>', 'only events at or after this date (UTC), such as 2026-12-01', sinceDate)
    .option('--site <site>', 'only events on this site')
    .addOption(new Option('--format <format>', 'jsonl or csv').choices(AUDIT_FORMATS).default('jsonl'))
    .action(
      withDatabase(async (options: { since?: Date; site?: string; format: AuditFormat }) => {
        if (options.site) await requireSite(options.site);
        for await (const chunk of auditExport({ since: options.since, site: options.site }, options.format)) {
          if (!stdout.write(chunk)) await once(stdout, 'drain');
        }
      }),
    );
}
