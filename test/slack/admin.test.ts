import { AuditEvent } from '../../src/accounts/models';
import { rolesOf } from '../../src/slack/roles';
import { channelsFor } from '../../src/slack/subscriptions';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';

const slackHarness = useSlackHarness('slack_admin');
beforeEach(resetWorld);

/** `/accounts-admin <text>` by `user` in `channel`; the ephemeral reply that follows the ack. */
async function admin(text: string, expected: RegExp, user = PEOPLE.admin.id, channel = CHANNELS.general.id) {
  const { slack, emulator } = slackHarness();
  await slack.slashCommand(user, channel, '/accounts-admin', text);
  return (await emulator.state.waitForEphemeral(user, expected)).text;
}

describe('/accounts-admin', () => {
  it('grants a role to a mentioned person, who can then act; revoking takes it back; both audited', async () => {
    const granted = await admin(`grant <@${PEOPLE.member.id}|max> site-admin acme`, /now has/);
    expect(granted).toBe(`<@${PEOPLE.member.id}> now has site-admin on acme.`);
    const { slack, emulator } = slackHarness();
    await slack.slashCommand(PEOPLE.member.id, CHANNELS.general.id, '/site-access', 'bwong@example.net off acme');
    await emulator.state.waitForEphemeral(PEOPLE.member.id, /Turned off bwong@example.net's access on acme/);

    await admin(`revoke <@${PEOPLE.member.id}> site-admin acme`, /no longer has/);
    expect(await rolesOf(PEOPLE.member.id)).toEqual([]);
    const audits = await AuditEvent.find({ action: /^role\./, target: PEOPLE.member.id })
      .sort({ at: 1 })
      .lean();
    expect(audits.map((a) => [a.action, a.actor])).toEqual([
      ['role.grant', { kind: 'slack', id: PEOPLE.admin.id, name: PEOPLE.admin.name }],
      ['role.revoke', { kind: 'slack', id: PEOPLE.admin.id, name: PEOPLE.admin.name }],
    ]);
  });

  it('lists who holds roles', async () => {
    const approvers = await admin('list approver', /approver/);
    expect(approvers).toBe(`<@${PEOPLE.approver.id}>: approver\n<@${PEOPLE.approver2.id}>: approver`);
    const all = await admin('list', new RegExp(PEOPLE.siteAdmin.id));
    expect(all).toMatch(new RegExp(`<@${PEOPLE.admin.id}>: org-admin`));
    expect(all).toMatch(new RegExp(`<@${PEOPLE.siteAdmin.id}>: site-admin on acme`));
  });

  it("subscribes a channel to a site's notifications and sets the approvers' channel", async () => {
    const here = await admin('subscribe here acme-eu', /now hears/, PEOPLE.admin.id, CHANNELS.general.id);
    expect(here).toBe(`<#${CHANNELS.general.id}> now hears when jobs on acme-eu end.`);
    expect(await channelsFor('acme-eu', 'notifications')).toEqual([CHANNELS.general.id]);
    await admin(`unsubscribe <#${CHANNELS.general.id}|general> acme-eu`, /no longer hears/);
    expect(await channelsFor('acme-eu', 'notifications')).toEqual([]);

    await admin(`approvers <#${CHANNELS.team.id}|support-team> acme`, /approvers' channel/);
    expect(await channelsFor('acme', 'approvals')).toEqual([CHANNELS.team.id]);
  });

  it('answers mistakes in one sentence: a person not mentioned, an unknown role, a role twice', async () => {
    const { slack } = slackHarness();
    const usage = `\nUsage: \`/accounts-admin ${'grant|revoke @person <role> [site]'}`;
    const notMentioned = await slack.slashCommand(
      PEOPLE.admin.id,
      CHANNELS.general.id,
      '/accounts-admin',
      'grant max viewer',
    );
    expect(notMentioned.body).toMatchObject({
      text: expect.stringContaining(`Mention the person with @, not "max".${usage}`),
    });
    const role = await slack.slashCommand(
      PEOPLE.admin.id,
      CHANNELS.general.id,
      '/accounts-admin',
      `grant <@${PEOPLE.member.id}> boss`,
    );
    expect(role.body).toMatchObject({
      text: expect.stringMatching(/^"boss" is not a role: org-admin, site-admin, approver, viewer\./),
    });
    const twice = await admin(`grant <@${PEOPLE.approver.id}> approver`, /already/);
    expect(twice).toBe(`<@${PEOPLE.approver.id}> already has approver.`);
  });

  it('is for org-admins only', async () => {
    const denial = await admin(`grant <@${PEOPLE.member.id}> org-admin`, /You need/, PEOPLE.siteAdmin.id);
    expect(denial).toBe(
      'You need the org-admin role to administer the bot; an org-admin can grant it with /accounts-admin.',
    );
    expect(await rolesOf(PEOPLE.member.id)).toEqual([]);
  });
});
