import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findByEmail } from '../../src/accounts/lookup';
import { Job } from '../../src/jobs/models';
import { loadFixture, useTestDatabase } from '../support/database';
import { exited, spawnAccounts, uriFor } from '../support/processes';
import { HEADER } from './support';

const { dbName } = useTestDatabase('copy_cli');
beforeEach(loadFixture);

/** Runs the built `accounts` CLI on this file's database. */
async function accounts(...args: string[]) {
  const child = spawnAccounts(args, { MONGODB_URI: uriFor(dbName), JOB_POLL_MS: '20' });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await exited(child);
  return { code, stdout, stderr };
}

describe('accounts copy and accounts review', () => {
  it('previews, copies, writes the report, then approves the imported group', async () => {
    const preview = await accounts('copy', '--from', 'acme', '--to', 'acme-eu', '--preview');
    expect(preview.stdout.split('\n')[0]).toBe(
      'Preview: copy 5 customers of acme to acme-eu: 2 copied as portal-only, 1 inactive profile copied as inactive, 1 given the Customer role, 1 added to an imported group to review, 1 duplicate to fix.',
    );
    expect(await Job.countDocuments()).toBe(0);

    const out = await mkdtemp(join(tmpdir(), 'copy-'));
    const run = await accounts('copy', '--from', 'acme', '--to', 'acme-eu', '--out', out);
    expect(run.code).toBe(0);
    const job = await Job.findOne().lean();
    const group = `imported-from-acme-${job?._id}`;
    expect(run.stdout.split('\n').slice(1)).toEqual([
      `Imported group ${group} on acme-eu awaits review: accounts review ${group} approve --reason "…"`,
      `Wrote ${join(out, 'RequiresAttention.csv')} (2 customers needing an action).`,
      '',
    ]);
    expect(run.stdout).toMatch(/^Copied customers of acme to acme-eu in .+: 5 of 5 customers done; /);
    const report = await readFile(join(out, 'RequiresAttention.csv'), 'utf8');
    expect(report.split('\n').map((line) => line.split(',')[0])).toEqual([
      HEADER.split(',')[0],
      'dmurphy@xyz.com',
      'jsmith@abc.com',
      '',
    ]);

    const json = await accounts('copy-report', job?._id as string, '--out', out, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ jobId: job?._id, requiresAttention: 2, importedGroup: group });

    const review = await accounts('review', group, 'approve', '--reason', 'Known EU customers');
    expect(review.stdout).toBe(
      `Approved imported group ${group} on acme-eu: its 1 member now has the Customer role.\n`,
    );
    const again = await accounts('review', group, 'reject', '--reason', 'too late');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`^${group} was already approved by .+ UTC: Known EU customers\\.`));
    expect((await findByEmail('jsmith@abc.com')).account?.sites.find((s) => s.site === 'acme-eu')?.roles).toEqual([
      'customer',
    ]);
  }, 120_000);
});
