import type { CopyPlan, CopyRequest } from '../../src/accounts/copy';
import { AccountSite, AtlassianAccount } from '../../src/accounts/models';
import { copyReport } from '../../src/jobs/kinds/copy';
import { Job } from '../../src/jobs/models';
import { enqueueJob } from '../../src/jobs/queue';
import { admin, jobItems, runJobs } from '../support/jobs';

/** Queues a copy and runs it; returns the ended job and its items in order. */
export async function copy(from: string, to: string, projects?: string[]) {
  const request: CopyRequest = { kind: 'copy-customers', from, to, ...(projects ? { projects } : {}) };
  const { job } = await enqueueJob(request, { requestedBy: admin });
  await runJobs();
  const ended = await Job.findById(job._id).lean();
  return { job: ended, jobId: job._id, items: await jobItems<CopyPlan>(job._id) };
}

/** The report of a copy job as the file people download would hold it. */
export async function reportText(jobId: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await copyReport(jobId)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

export const HEADER =
  '\ufeffCustomer email,Account type on source,Account type on destination,Account type after copying,Problem,Next step';

/**
 * The fixture's variant with an inactive account (old.customer), a closed one (dmurphy) and switched-off access
 * (jsmith, a customer on acme, loses access on acme-eu): the copy cases that the plain fixture lacks.
 */
export async function makeInactiveClosedAndSwitchedOff(): Promise<void> {
  const [jsmith, dmurphy, old] = ['8f6d05584ef8aa3892276658', '1e27a1c08a6a63ec24ede6a4', '923a736994e3bf911a61dbe2'];
  await AtlassianAccount.updateOne({ _id: old }, { $set: { status: 'inactive' } });
  await AtlassianAccount.updateOne({ _id: dmurphy }, { $set: { status: 'closed', openEmailKey: `closed/${dmurphy}` } });
  await AccountSite.create({
    _id: `${jsmith}/acme`,
    account: jsmith,
    site: 'acme',
    siteAccess: true,
    roles: ['customer'],
  });
  await AccountSite.updateOne({ _id: `${jsmith}/acme-eu` }, { $set: { siteAccess: false } });
}
