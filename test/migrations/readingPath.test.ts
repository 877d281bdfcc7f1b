import type { MigrationRequest } from '../../src/accounts/migration';
import { exportSnapshotText } from '../../src/accounts/snapshot/export';
import { Job } from '../../src/jobs/models';
import { JobChunk } from '../../src/jobs/progress';
import { enqueueJob } from '../../src/jobs/queue';
import { loadFixture, useTestDatabase } from '../support/database';
import { admin, runJobs } from '../support/jobs';

useTestDatabase('migration_reading_path');

/**
 * A batch of one chunk is planned with lookups of its emails; a batch of several chunks streams the site once
 * for all of them (streamingReader). Both must leave the same directory.
 */
async function directoryAfter(chunkSize: number, requests: MigrationRequest[]): Promise<string> {
  await loadFixture();
  const runStart = new Date();
  for (const request of requests) {
    const { job } = await enqueueJob(request, { requestedBy: admin });
    await runJobs({ chunkSize });
    if (chunkSize === 1) expect(await JobChunk.countDocuments({ job: job._id })).toBe(job.total);
  }
  // Migration times differ from run to run; so do the job ids.
  let text = (await exportSnapshotText()).replace(/"migratedAt": "([^"]+)"/g, (whole, at: string) =>
    new Date(at) >= runStart ? '"migratedAt": "during the run"' : whole,
  );
  const jobs = await Job.find({}, { _id: 1 }).sort({ requestedAt: 1 }).lean();
  jobs.forEach((job, i) => {
    text = text.replaceAll(job._id, `JOB${i}`);
  });
  return text;
}

const batches: [string, MigrationRequest[]][] = [
  [
    'emails to Atlassian accounts, refusals included, in any order',
    [
      {
        kind: 'migrate-to-account',
        site: 'acme',
        target: {
          emails: ['kpatel@example.com', 'jsmith@abc.com', 'nobody@example.com', 'alee@example.org', 'dmurphy@xyz.com'],
        },
      },
    ],
  ],
  [
    'the selectors of both directions',
    [
      { kind: 'migrate-to-account', site: 'acme', target: { selector: 'invited-not-migrated' } },
      { kind: 'make-portal-only', site: 'acme', target: { selector: 'eligible-for-portal-only' } },
    ],
  ],
  [
    'accounts made portal-only, licences revoked',
    [
      {
        kind: 'make-portal-only',
        site: 'acme',
        target: { emails: ['bwong@example.net', 'jsmith@abc.com', 'old.customer@example.com'] },
        revokeLicences: true,
      },
    ],
  ],
];

describe('the streaming reading path of a batch', () => {
  for (const [name, requests] of batches) {
    it(`ends with the same directory as chunk-by-chunk lookups: ${name}`, async () => {
      const looked = await directoryAfter(1000, requests);
      const streamed = await directoryAfter(1, requests);
      expect(streamed).toBe(looked);
      expect(looked).not.toBe(await directoryAfter(1000, [])); // the batch changed something
    });
  }
});
