import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectedSite } from '../../src/atlassian/connectedSite';
import { startSyncSchedule } from '../../src/atlassian/schedule';
import { Job } from '../../src/jobs/models';
import { clearDatabase, useTestDatabase } from '../support/database';

/** ATLASSIAN_SYNC_INTERVAL: one sync job per connected site per interval, however many processes schedule them. */
useTestDatabase('atlassian_schedule');
beforeEach(clearDatabase);

it('queues one sync of each connected site per interval, even with two schedules running', async () => {
  const connectedBy = { kind: 'cli' as const, id: 'cli', name: 'test' };
  await ConnectedSite.create([
    { _id: 'acme', host: 'acme.atlassian.net', connectedAt: new Date(), connectedBy, lastSync: null },
    { _id: 'acme-eu', host: 'acme-eu.atlassian.net', connectedAt: new Date(), connectedBy, lastSync: null },
  ]);
  const intervalMs = 1500;
  // Start just after an interval begins, so both ticks fall in the same one.
  await sleep(intervalMs - (Date.now() % intervalMs) + 50);
  const schedules = [startSyncSchedule(intervalMs), startSyncSchedule(intervalMs)];
  await sleep(intervalMs + 1000);
  for (const schedule of schedules) schedule.stop();
  const jobs = await Job.find({ kind: 'sync' }).lean();
  const perSite: Record<string, number> = {};
  for (const j of jobs) perSite[j.site] = (perSite[j.site] ?? 0) + 1;
  expect(perSite).toEqual({ acme: 1, 'acme-eu': 1 });
  expect(jobs.every((j) => j.requestedBy.kind === 'system')).toBe(true);
});
