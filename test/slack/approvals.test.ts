import { findByEmail } from '../../src/accounts/lookup';
import { ImportedGroupReview } from '../../src/accounts/models';
import { readableText, type StoredMessage } from '../../src/emulator';
import { enqueueJob } from '../../src/jobs/queue';
import { CALLBACK } from '../../src/slack/actionIds';
import { subscribe } from '../../src/slack/subscriptions';
import { testContext } from '../support/database';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';
import { viewText, waitForNewModal, waitForViewText } from './waiting';

const slackHarness = useSlackHarness('slack_approvals');

/**
 * Ada copies acme to acme-eu: jsmith@abc.com, portal-only on acme with an Atlassian account on acme-eu, lands in
 * the run's imported group, and its card appears in #approvals (the approvers' channel of acme-eu).
 */
let card: StoredMessage;
let group: string;
beforeEach(async () => {
  await resetWorld();
  await subscribe(CHANNELS.approvals.id, 'acme-eu', 'approvals', testContext());
  const admin = { kind: 'slack' as const, id: PEOPLE.admin.id, name: PEOPLE.admin.name };
  const { job } = await enqueueJob({ kind: 'copy-customers', from: 'acme', to: 'acme-eu' }, { requestedBy: admin });
  group = `imported-from-acme-${job._id}`;
  card = await slackHarness().emulator.state.waitForMessage(CHANNELS.approvals.id, new RegExp(group), 20_000);
});

const euRoles = async (email: string) =>
  (await findByEmail(email)).account?.sites.find((s) => s.site === 'acme-eu')?.roles;

/** `user` clicks Review on the card; the modal it opens. */
function openReview(user: string) {
  const { slack, emulator } = slackHarness();
  return waitForNewModal(emulator, user, CALLBACK.reviewGroup, () => slack.clickButton(user, card, 'group.review'));
}

const cardNow = () => slackHarness().emulator.state.message(CHANNELS.approvals.id, card.ts);

describe('imported-group approvals', () => {
  it('posts a card with a Review button; the modal shows the group, its source, its members', async () => {
    expect(readableText(card)).toMatch(
      new RegExp(`Imported group to review: \\*${group}\\* on \\*acme-eu\\*: 1 customer of acme`),
    );
    const modal = await openReview(PEOPLE.approver.id);
    const text = viewText(modal);
    expect(text).toMatch(/1 customer of acme who already has an Atlassian account on acme-eu/);
    expect(text).toMatch(/jsmith@abc.com \(Jane Smith\)/);
    expect(text).toMatch(/Approve/);
    expect(text).toMatch(/Reject/);
  });

  it('takes one decision when two approvers submit at once; the loser sees who decided; the card and the requester learn the outcome', async () => {
    const { slack, emulator } = slackHarness();
    const april = await openReview(PEOPLE.approver.id);
    const apollo = await openReview(PEOPLE.approver2.id);
    await Promise.all([
      slack.submitView(PEOPLE.approver.id, april.id, { decision: 'approve', reason: 'Known EU customers' }),
      slack.submitView(PEOPLE.approver2.id, apollo.id, { decision: 'reject', reason: 'Not ours' }),
    ]);
    const outcomes = await Promise.all([
      waitForViewText(emulator, april.id, /Approved imported group|already rejected/),
      waitForViewText(emulator, apollo.id, /Rejected imported group|already approved/),
    ]);
    expect(await ImportedGroupReview.countDocuments()).toBe(1);
    const review = await ImportedGroupReview.findOne().lean();
    const [winner, loser] = review?.decision === 'approved' ? outcomes : [outcomes[1], outcomes[0]];
    expect(winner).toMatch(/imported group .* on acme-eu: its 1 member/);
    expect(loser).toMatch(
      new RegExp(`${group} was already ${review?.decision} by (april|apollo) on .* UTC: .*A group is reviewed once\\.`),
    );
    expect(await euRoles('jsmith@abc.com')).toEqual(review?.decision === 'approved' ? ['customer'] : []);

    const updated = await emulator.state.waitFor(() => {
      const message = cardNow();
      return message && /(Approved|Rejected) by/.test(readableText(message)) && message;
    }, 10_000);
    expect(readableText(updated)).not.toMatch(/Review/);
    const dm = emulator.state.dmChannel(PEOPLE.admin.id);
    expect(dm).toBeDefined();
    const told = await emulator.state.waitForMessage(
      dm ?? '',
      new RegExp(`${group} on acme-eu .* was ${review?.decision}`),
      10_000,
    );
    expect(readableText(told)).toMatch(new RegExp(`by <@${review?.reviewedBy.id}>`));
  });

  it('approval gives the members the Customer role; a later clicker sees who decided and when', async () => {
    const { slack, emulator } = slackHarness();
    const modal = await openReview(PEOPLE.approver.id);
    await slack.submitView(PEOPLE.approver.id, modal.id, { decision: 'approve', reason: 'Known EU customers' });
    await waitForViewText(emulator, modal.id, /Approved imported group .* its 1 member now has the Customer role/);
    expect(await euRoles('jsmith@abc.com')).toEqual(['customer']);

    const later = await waitForNewModal(emulator, PEOPLE.approver2.id, 'notice', () =>
      slack.clickButton(PEOPLE.approver2.id, card, 'group.review'),
    );
    expect(viewText(later)).toMatch(
      new RegExp(`Approved by <@${PEOPLE.approver.id}> <!date\\^\\d+.*: Known EU customers`),
    );
  });

  it('rejection records the reason, gives no role, and tells the requester', async () => {
    const { slack, emulator } = slackHarness();
    const modal = await openReview(PEOPLE.approver2.id);
    await slack.submitView(PEOPLE.approver2.id, modal.id, { decision: 'reject', reason: 'Not our customers' });
    await waitForViewText(emulator, modal.id, /Rejected imported group/);
    expect(await euRoles('jsmith@abc.com')).toEqual([]);
    expect((await ImportedGroupReview.findOne().lean())?.reason).toBe('Not our customers');
    await emulator.state.waitFor(() => {
      const dm = emulator.state.dmChannel(PEOPLE.admin.id);
      return (
        dm &&
        emulator.state
          .messages(dm)
          .find((m) => /was rejected/.test(readableText(m)) && /Not our customers/.test(readableText(m)))
      );
    }, 10_000);
  });

  it('a double submit of one modal records one decision and shows it in both', async () => {
    const { slack, emulator } = slackHarness();
    const modal = await openReview(PEOPLE.approver.id);
    const values = { decision: 'approve', reason: 'ok' };
    await Promise.all([
      slack.submitView(PEOPLE.approver.id, modal.id, values),
      slack.submitView(PEOPLE.approver.id, modal.id, values, { retryNum: 1, retryReason: 'http_timeout' }),
    ]);
    await waitForViewText(emulator, modal.id, /Approved imported group/);
    expect(await ImportedGroupReview.countDocuments()).toBe(1);
  });

  it('denies a member who clicks Review, naming the role', async () => {
    const { slack, emulator } = slackHarness();
    await slack.clickButton(PEOPLE.member.id, card, 'group.review');
    const denial = await emulator.state.waitForEphemeral(PEOPLE.member.id, /You need/);
    // The role comes first: someone with no approver role anywhere is not told which site the group is on.
    expect(denial.text).toBe(
      'You need the approver (or org-admin) role to review imported groups; an org-admin can grant it with /accounts-admin.',
    );
  });
});
