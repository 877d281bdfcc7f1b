import type { Readable } from 'node:stream';
import { emailKey } from '../../accounts/email';
import { DomainError, invalid, notFound } from '../../accounts/errors';
import {
  applySync,
  type OnSyncProgress,
  planSync,
  requireConnectedSite,
  SYNC_STEPS,
  type SyncPlan,
} from '../../atlassian/sync';
import { ConfigError } from '../../config';
import { spreadsheetCsv } from '../../csv';
import { activityRecorder } from '../activity';
import type { JobHandler } from '../handler';
import { ensureLeaseHeld, runningChunk } from '../lease';
import { Job } from '../models';
import { JobPlan } from '../plans';

/** Syncing a connected site's directory from Atlassian, as a job with one item: the site. */
export interface SyncRequest {
  kind: 'sync';
  site: string;
}

export const SYNC_REPORT_FILE = 'SyncUnreadable.csv';

export const syncHandler: JobHandler<SyncRequest, SyncPlan> = {
  site: (request) => request.site,
  describe: (request) => `the directory of ${request.site} from Atlassian`,
  targets: async (request) => [(await requireConnectedSite(request.site)).host],
  fingerprint: async () => '',
  // A sync has one item, the site: its planner reads Atlassian once, when the chunk asks.
  planner: async (request) => ({
    plan: async (hosts) => {
      const host = hosts[0] ?? '';
      try {
        return new Map([[emailKey(host), { plan: await planSync(request.site, reportReading(host)) }]]);
      } catch (error) {
        if (error instanceof DomainError || error instanceof ConfigError) {
          return new Map([[emailKey(host), { refused: error.message }]]);
        }
        throw error;
      }
    },
    close: async () => {},
  }),
  apply: async (_request, plans, context) => {
    const failures = new Map<string, string>();
    for (const plan of plans) {
      const skipped = await applySync(plan, context);
      if (skipped) failures.set(emailKey(plan.host), skipped);
    }
    return failures;
  },
  emailOf: (plan) => plan.host,
  counts: (plan) => ({ ...plan.counts }),
  note: (plan) =>
    plan.unreadable.length
      ? plan.unreadable
          .slice(0, 3)
          .map((u) => `${u.kind} ${u.name}: ${u.reason}`)
          .join('; ')
      : null,
};

/**
 * A sync's reading as its job's activity, which the site's Slack message and the CLI's progress bar show while
 * the one chunk reads; and a lease lost meanwhile stops the reading at the next page (lease.ts).
 */
function reportReading(host: string): OnSyncProgress {
  const chunk = runningChunk();
  if (!chunk) return () => {};
  const record = activityRecorder(chunk.job);
  return (step, read) => {
    ensureLeaseHeld();
    record({
      doing:
        step === 'the directory'
          ? `comparing what was read from ${host} with the directory`
          : `reading ${step} from ${host}`,
      counts: { ...read },
      step: SYNC_STEPS.indexOf(step) + 1,
      steps: SYNC_STEPS.length,
    });
  };
}

async function requireSyncPlan(jobId: string): Promise<SyncPlan> {
  const job = await Job.findById(jobId.trim()).lean();
  if (!job) throw notFound(`There is no job "${jobId}".`);
  if (job.request.kind !== 'sync') throw invalid(`Job ${job._id} is a ${job.kind} job, not a sync.`);
  const stored = await JobPlan.findOne({ job: job._id }).lean();
  if (!stored) throw notFound(`Job ${job._id} has not read ${job.site} yet.`);
  return stored.plan as SyncPlan;
}

/** SyncUnreadable.csv: every record the APIs could not tell, with why (cells guarded against formulas). */
export async function syncReport(jobId: string): Promise<{ plan: SyncPlan; csv: Readable }> {
  const plan = await requireSyncPlan(jobId);
  const csv = spreadsheetCsv(plan.unreadable, [
    { key: 'kind', header: 'Kind' },
    { key: 'id', header: 'Atlassian id or key' },
    { key: 'name', header: 'Name' },
    { key: 'reason', header: 'Why it could not be read' },
  ]);
  return { plan, csv };
}
