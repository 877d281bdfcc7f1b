import { exportSnapshotText } from '../../src/accounts/snapshot/export';
import { Job } from '../../src/jobs/models';
import { JobChunk } from '../../src/jobs/progress';
import { enqueueJob } from '../../src/jobs/queue';
import { loadFixture, useTestDatabase } from '../support/database';
import { admin, runJobs } from '../support/jobs';
import { makeInactiveClosedAndSwitchedOff } from './support';

useTestDatabase('copy_reading_path');
beforeEach(loadFixture);

/**
 * A job of one chunk plans it with lookups of its emails (planCopy); a job of several chunks streams the sites
 * once for all of them (openCopyPlanner). Both must leave the same directory, for every case of the copy table.
 */
async function copyRun(chunkSize: number, from: string, to: string) {
  const { job } = await enqueueJob({ kind: 'copy-customers', from, to }, { requestedBy: admin });
  await runJobs({ chunkSize });
  return { jobId: job._id, chunks: await JobChunk.countDocuments({ job: job._id }) };
}

/** `accounts export`, with the job ids (which name the runs' imported groups) replaced by their order. */
async function exported(): Promise<string> {
  let text = await exportSnapshotText();
  const jobs = await Job.find({}, { _id: 1 }).sort({ requestedAt: 1 }).lean();
  jobs.forEach((job, i) => {
    text = text.replaceAll(job._id, `JOB${i}`);
  });
  return text;
}

/** The directory after a copy from acme to acme-eu and one back, each in chunks of `chunkSize`. */
async function bothWays(chunkSize: number, prepare: () => Promise<void>): Promise<string[]> {
  await loadFixture();
  await prepare();
  await copyRun(chunkSize, 'acme', 'acme-eu');
  const there = await exported();
  await copyRun(chunkSize, 'acme-eu', 'acme');
  return [there, await exported()];
}

const variants: [string, () => Promise<void>][] = [
  ['the fixture (every row of the table)', async () => {}],
  [
    'an inactive account, a closed one and switched-off access',
    async () => {
      await makeInactiveClosedAndSwitchedOff();
    },
  ],
];

describe('the streaming reading path of a copy', () => {
  for (const [name, prepare] of variants) {
    it(`ends with the same directory as chunk-by-chunk lookups: ${name}`, async () => {
      const looked = await bothWays(1000, prepare);
      const streamed = await bothWays(2, prepare);
      expect(streamed).toEqual(looked);
      expect(looked[0]).not.toEqual(looked[1]); // the way back changed something too
    });
  }

  it('runs a copy of several chunks as several chunks, each summarised once', async () => {
    const { chunks } = await copyRun(2, 'acme', 'acme-eu');
    expect(chunks).toBe(3); // 5 customers, 2 a chunk
  });
});
