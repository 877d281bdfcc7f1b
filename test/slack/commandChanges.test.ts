import { findByEmail } from '../../src/accounts/lookup';
import { AuditEvent } from '../../src/accounts/models';
import { rolesOf } from '../../src/slack/roles';
import { channelsFor } from '../../src/slack/subscriptions';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';

/**
 * Acknowledged means kept, for slash commands: a command that changes something makes the change before its
 * ack, and the ack itself is the sentence (or the refusal). Every assertion on the database runs right when the
 * ack is back, without waiting for anything.
 */
const slackHarness = useSlackHarness('slack_command_changes');
beforeEach(resetWorld);

const command = (user: string, name: string, text: string, channel = CHANNELS.general.id) =>
  slackHarness().slack.slashCommand(user, channel, name, text);
const ephemeral = (text: string) => ({ response_type: 'ephemeral', text });
const max = PEOPLE.member.id;
const roles = async (user: string) => (await rolesOf(user)).map((r) => `${r.role}${r.site ? ` on ${r.site}` : ''}`);
const accessOn = async (email: string, site: string) =>
  (await findByEmail(email)).account?.sites.find((s) => s.site === site)?.siteAccess;

describe('/accounts-admin changes', () => {
  it('grants and revokes in the ack: the role is there (and audited) when the ack returns', async () => {
    const granted = await command(PEOPLE.admin.id, '/accounts-admin', `grant <@${max}|max> viewer acme`);
    expect(await roles(max)).toEqual(['viewer on acme']);
    expect(await AuditEvent.countDocuments({ action: 'role.grant', target: max })).toBe(1);
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual(ephemeral(`<@${max}> now has viewer on acme.`));

    const revoked = await command(PEOPLE.admin.id, '/accounts-admin', `revoke <@${max}> viewer acme`);
    expect(await roles(max)).toEqual([]);
    expect(revoked.body).toEqual(ephemeral(`<@${max}> no longer has viewer on acme.`));
  });

  it('subscribes, unsubscribes and sets the approvers’ channel in the ack', async () => {
    const here = await command(PEOPLE.admin.id, '/accounts-admin', 'subscribe here acme-eu', CHANNELS.team.id);
    expect(await channelsFor('acme-eu', 'notifications')).toEqual([CHANNELS.team.id]);
    expect(here.body).toEqual(ephemeral(`<#${CHANNELS.team.id}> now hears when jobs on acme-eu end.`));

    const gone = await command(PEOPLE.admin.id, '/accounts-admin', `unsubscribe <#${CHANNELS.team.id}> acme-eu`);
    expect(await channelsFor('acme-eu', 'notifications')).toEqual([]);
    expect(gone.body).toEqual(ephemeral(`<#${CHANNELS.team.id}> no longer hears about jobs on acme-eu.`));

    const approvers = await command(PEOPLE.admin.id, '/accounts-admin', `approvers <#${CHANNELS.general.id}> acme`);
    expect(await channelsFor('acme', 'approvals')).toEqual([CHANNELS.general.id]);
    expect(approvers.body).toEqual(
      ephemeral(
        `<#${CHANNELS.general.id}> is now the approvers' channel of acme: imported groups to review appear there.`,
      ),
    );
    // Typed again (after NOT_SAVED, say): the same channel, nothing refused.
    const again = await command(PEOPLE.admin.id, '/accounts-admin', `approvers <#${CHANNELS.general.id}> acme`);
    expect(again.body).toEqual(approvers.body);
    expect(await channelsFor('acme', 'approvals')).toEqual([CHANNELS.general.id]);
  });

  it('answers a refusal as its sentence in the ack, and changes nothing', async () => {
    const twice = await command(PEOPLE.admin.id, '/accounts-admin', `grant <@${PEOPLE.approver.id}> approver`);
    expect(twice.body).toEqual(ephemeral(`<@${PEOPLE.approver.id}> already has approver.`));

    const denied = await command(PEOPLE.siteAdmin.id, '/accounts-admin', `grant <@${max}> org-admin`);
    expect(denied.body).toEqual(
      ephemeral('You need the org-admin role to administer the bot; an org-admin can grant it with /accounts-admin.'),
    );
    expect(await roles(max)).toEqual([]);

    const unknownSite = await command(PEOPLE.admin.id, '/accounts-admin', 'subscribe here nowhere');
    expect(unknownSite.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/nowhere/) });
    expect(await channelsFor('nowhere', 'notifications')).toEqual([]);
  });

  it('still answers reads after the ack: list acks empty, and its answer follows', async () => {
    const { emulator } = slackHarness();
    const list = await command(PEOPLE.admin.id, '/accounts-admin', 'list approver');
    expect(list.status).toBe(200);
    expect(list.body).toBeUndefined();
    const answer = await emulator.state.waitForEphemeral(PEOPLE.admin.id, new RegExp(`^<@${PEOPLE.approver.id}>: `));
    expect(answer.text).toBe(`<@${PEOPLE.approver.id}>: approver\n<@${PEOPLE.approver2.id}>: approver`);
  });
});

describe('/site-access', () => {
  it('changes the access in the ack: it is off when the ack returns, and audited', async () => {
    const off = await command(PEOPLE.siteAdmin.id, '/site-access', 'bwong@example.net off acme');
    expect(await accessOn('bwong@example.net', 'acme')).toBe(false);
    expect(await AuditEvent.countDocuments({ action: 'site-access.off', target: 'bwong@example.net' })).toBe(1);
    expect(off.body).toEqual(ephemeral("Turned off bwong@example.net's access on acme."));

    // Typed again: safe, and says so.
    const again = await command(PEOPLE.siteAdmin.id, '/site-access', 'bwong@example.net off acme');
    expect(again.body).toEqual(ephemeral('bwong@example.net already has no access on acme.'));
    expect(await AuditEvent.countDocuments({ action: 'site-access.off', target: 'bwong@example.net' })).toBe(1);
  });

  it('answers a refusal (a DomainError) as the ack’s sentence, and changes nothing', async () => {
    const refused = await command(PEOPLE.admin.id, '/site-access', 'admin@acme.com off acme');
    expect(refused.body).toEqual(
      ephemeral('admin@acme.com is an admin of acme; remove the admin role before turning off their site access.'),
    );
    expect(await accessOn('admin@acme.com', 'acme')).toBe(true);
    const denied = await command(PEOPLE.member.id, '/site-access', 'bwong@example.net off acme');
    expect(denied.body).toMatchObject({ text: expect.stringMatching(/^You need the site-admin on acme/) });
    expect(await accessOn('bwong@example.net', 'acme')).toBe(true);
  });
});
