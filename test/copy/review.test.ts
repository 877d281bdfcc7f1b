import { randomUUID } from 'node:crypto';
import type { OperationContext } from '../../src/accounts/context';
import { GROUP_REVIEWED, reviewImportedGroup } from '../../src/accounts/groupReview';
import { findByEmail } from '../../src/accounts/lookup';
import { AuditEvent, Group, ImportedGroupReview, type ImportedGroupReviewDoc } from '../../src/accounts/models';
import { OutboxEvent } from '../../src/outbox';
import { loadFixture, useTestDatabase } from '../support/database';
import { admin } from '../support/jobs';
import { copy } from './support';

useTestDatabase('group_review');
beforeEach(loadFixture);

const approver = (id: string, name: string): OperationContext => ({
  actor: { kind: 'slack', id, name },
  correlationId: randomUUID(),
});
const grace = approver('U0GRACE', 'grace');
const euRoles = async (email: string) =>
  (await findByEmail(email)).account?.sites.find((s) => s.site === 'acme-eu')?.roles;

/** Copies acme to acme-eu; jsmith@abc.com lands in the run's imported group. */
async function importedGroup() {
  const { jobId } = await copy('acme', 'acme-eu');
  return { jobId, group: `imported-from-acme-${jobId}` };
}

describe('review an imported group', () => {
  it('approving gives its members the Customer role, records why, and tells the copy’s requester', async () => {
    const { jobId, group } = await importedGroup();
    const result = await reviewImportedGroup(
      { group, decision: 'approve', reason: 'Known customers of the EU desk' },
      grace,
    );
    expect(result.message).toBe(`Approved imported group ${group} on acme-eu: its 1 member now has the Customer role.`);
    expect(await euRoles('jsmith@abc.com')).toEqual(['customer']);
    expect((await Group.findById(`acme-eu/${group}`).lean())?.review).toEqual({
      state: 'approved',
      sourceSite: 'acme',
      reviewedBy: { id: 'U0GRACE', name: 'grace' },
      reviewedAt: expect.any(Date),
      reason: 'Known customers of the EU desk',
    });
    expect(await AuditEvent.findOne({ action: 'group.review' }).lean()).toMatchObject({
      actor: grace.actor,
      target: `acme-eu/${group}`,
      summary: `Approved imported group ${group} on acme-eu: its 1 member now has the Customer role. Reason: Known customers of the EU desk`,
    });
    const event = await OutboxEvent.findById(`group-reviewed:acme-eu/${group}`).lean();
    expect(event).toMatchObject({
      type: GROUP_REVIEWED,
      payload: {
        site: 'acme-eu',
        group,
        sourceSite: 'acme',
        decision: 'approved',
        reviewedBy: grace.actor,
        reason: 'Known customers of the EU desk',
        memberCount: 1,
        jobId,
        requestedBy: admin,
      },
    });
  });

  it('rejecting leaves the members without the Customer role', async () => {
    const { group } = await importedGroup();
    const result = await reviewImportedGroup({ group, decision: 'reject', reason: 'Not our customers' }, grace);
    expect(result.message).toBe(
      `Rejected imported group ${group} on acme-eu: its 1 member gets no Customer role from it.`,
    );
    expect(await euRoles('jsmith@abc.com')).toEqual([]);
    expect((await Group.findById(`acme-eu/${group}`).lean())?.roles).toEqual([]);
  });

  it('takes one review per group, whoever clicks first; the other is told who decided, what and when', async () => {
    const { group } = await importedGroup();
    const henry = approver('U0HENRY', 'henry');
    const results = await Promise.allSettled([
      reviewImportedGroup({ group, decision: 'approve', reason: 'ok' }, grace),
      reviewImportedGroup({ group, decision: 'reject', reason: 'no' }, henry),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect([won.length, lost.length]).toEqual([1, 1]);
    const winner = (await ImportedGroupReview.findById(`acme-eu/${group}`).lean()) as ImportedGroupReviewDoc;
    const at = winner.reviewedAt.toISOString();
    expect(lost[0]?.reason.message).toBe(
      `${group} was already ${winner.decision} by ${winner.reviewedBy.name} on ${at.slice(0, 10)} at ${at.slice(11, 16)} UTC: ${winner.reason}. A group is reviewed once.`,
    );
    expect((await Group.findById(`acme-eu/${group}`).lean())?.review?.state).toBe(winner.decision);
    expect(await euRoles('jsmith@abc.com')).toEqual(winner.decision === 'approved' ? ['customer'] : []);
    expect(await OutboxEvent.countDocuments({ type: GROUP_REVIEWED })).toBe(1);

    // The decider's own retry (same interaction) gets the same answer instead of a conflict.
    const decider = winner.reviewedBy.id === 'U0GRACE' ? grace : henry;
    const retry = await reviewImportedGroup(
      { group, decision: winner.decision === 'approved' ? 'approve' : 'reject', reason: winner.reason },
      decider,
    );
    expect(retry.decision).toBe(winner.decision);
  });

  it('repairs a group whose review was decided but not yet written to it', async () => {
    const { group } = await importedGroup();
    await reviewImportedGroup({ group, decision: 'approve', reason: 'ok' }, grace);
    await Group.updateOne({ _id: `acme-eu/${group}` }, { $set: { 'review.state': 'pending', roles: [] } });
    await expect(
      reviewImportedGroup({ group, decision: 'reject', reason: 'late' }, approver('U0HENRY', 'henry')),
    ).rejects.toThrow(/already approved by grace/);
    expect((await Group.findById(`acme-eu/${group}`).lean())?.review?.state).toBe('approved');
    expect(await euRoles('jsmith@abc.com')).toEqual(['customer']);
  });

  it('reviews only pending imported groups, and asks for a reason', async () => {
    const { group } = await importedGroup();
    await expect(
      reviewImportedGroup({ group: 'jira-servicemanagement-customers-acme', decision: 'approve', reason: 'x' }, grace),
    ).rejects.toThrow(
      'jira-servicemanagement-customers-acme on acme is not an imported group; only imported groups are reviewed.',
    );
    await expect(
      reviewImportedGroup({ group: 'no-such-group', decision: 'approve', reason: 'x' }, grace),
    ).rejects.toThrow('There is no group "no-such-group".');
    await expect(reviewImportedGroup({ group, decision: 'reject', reason: '  ' }, grace)).rejects.toThrow(
      'Give a reason for the rejection; it is recorded.',
    );
    await expect(reviewImportedGroup({ group, decision: 'maybe' as 'approve', reason: 'x' }, grace)).rejects.toThrow(
      '"maybe" is not a review decision: approve or reject.',
    );
    expect(await ImportedGroupReview.countDocuments()).toBe(0);
  });
});
