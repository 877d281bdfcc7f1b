import { AuditEvent } from '../../src/accounts/models';
import { rolesOf } from '../../src/slack/roles';
import { loadFixture, useTestDatabase } from '../support/database';
import { CHANNELS, PEOPLE, type SlackHarness, startSlackHarness } from '../support/slack';

/**
 * BOOTSTRAP_ADMINS across restarts: the real bot started twice on one database, with ada in BOOTSTRAP_ADMINS
 * both times (startSlackHarness passes her, as an installation's environment would).
 */
const database = useTestDatabase('slack_bootstrap');
let harness: SlackHarness | undefined;
database.beforeClose(async () => harness?.stop());

async function admin(user: string, text: string, expected: RegExp): Promise<string> {
  if (!harness) throw new Error('the bot is not started');
  await harness.slack.slashCommand(user, CHANNELS.general.id, '/accounts-admin', text);
  return (await harness.emulator.state.waitForEphemeral(user, expected)).text;
}

const bootstrapGrants = () => AuditEvent.find({ action: 'role.grant', 'actor.id': 'bootstrap' }).lean();

it('grants org-admin while nobody has it, audited as bootstrap, and a revoked admin stays revoked after a restart', async () => {
  await loadFixture();
  harness = await startSlackHarness();
  expect((await rolesOf(PEOPLE.admin.id)).map((r) => r.role)).toEqual(['org-admin']);
  const grants = await bootstrapGrants();
  expect(grants.map((g) => [g.target, g.site, g.actor])).toEqual([
    [PEOPLE.admin.id, null, { kind: 'system', id: 'bootstrap', name: 'BOOTSTRAP_ADMINS' }],
  ]);

  // Ada makes Sam an org-admin, and Sam revokes Ada.
  await admin(PEOPLE.admin.id, `grant <@${PEOPLE.siteAdmin.id}|sam> org-admin`, /now has org-admin/);
  await admin(PEOPLE.siteAdmin.id, `revoke <@${PEOPLE.admin.id}|ada> org-admin`, /no longer has org-admin/);
  await harness.stop();
  harness = undefined;

  harness = await startSlackHarness();
  expect(await rolesOf(PEOPLE.admin.id)).toEqual([]);
  expect(await bootstrapGrants()).toHaveLength(1);
  const refused = await admin(PEOPLE.admin.id, 'list', /role/);
  expect(refused).toBe(
    'You need the org-admin role to administer the bot; an org-admin can grant it with /accounts-admin.',
  );
});
