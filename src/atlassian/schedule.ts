import { enqueueJob } from '../jobs/queue';
import { log } from '../log';
import { ConnectedSite } from './connectedSite';

/**
 * ATLASSIAN_SYNC_INTERVAL: queues a sync of every connected site once per interval. The job's key names the
 * interval, so however many bot processes run the schedule, each site gets one sync per interval.
 */
export function startSyncSchedule(intervalMs: number): { stop(): void } {
  const tick = async () => {
    const period = Math.floor(Date.now() / intervalMs);
    for (const { _id: site } of await ConnectedSite.find({}, { _id: 1 }).lean()) {
      await enqueueJob(
        { kind: 'sync', site },
        { requestedBy: { kind: 'system', id: 'sync-schedule', name: 'scheduled sync' }, key: `sync:${site}:${period}` },
      );
    }
  };
  const timer = setInterval(() => {
    tick().catch((error) => log.warn({ err: error }, 'could not queue the scheduled syncs; trying next interval'));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
