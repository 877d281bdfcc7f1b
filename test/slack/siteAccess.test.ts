import { findByEmail } from '../../src/accounts/lookup';
import { AuditEvent } from '../../src/accounts/models';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';

const slackHarness = useSlackHarness('slack_site_access');
beforeEach(resetWorld);

/** `/site-access <text>` by `user`; the ephemeral reply that follows the ack. */
async function siteAccess(user: string, text: string, expected: RegExp) {
  const { slack, emulator } = slackHarness();
  await slack.slashCommand(user, CHANNELS.general.id, '/site-access', text);
  return (await emulator.state.waitForEphemeral(user, expected)).text;
}

const accessOnAcme = async (email: string) =>
  (await findByEmail(email)).account?.sites.find((s) => s.site === 'acme')?.siteAccess;

describe('/site-access', () => {
  it('turns access off and on again, audited with the Slack user', async () => {
    const off = await siteAccess(PEOPLE.siteAdmin.id, 'bwong@example.net off acme', /Turned off/);
    expect(off).toBe("Turned off bwong@example.net's access on acme.");
    expect(await accessOnAcme('bwong@example.net')).toBe(false);
    const on = await siteAccess(PEOPLE.siteAdmin.id, 'bwong@example.net on acme', /Restored/);
    expect(on).toBe("Restored bwong@example.net's access on acme.");
    expect(await accessOnAcme('bwong@example.net')).toBe(true);
    const audit = await AuditEvent.findOne({ action: 'site-access.off' }).lean();
    expect(audit?.actor).toEqual({ kind: 'slack', id: PEOPLE.siteAdmin.id, name: PEOPLE.siteAdmin.name });
  });

  it("refuses to cut a site admin's access, in one sentence", async () => {
    const text = await siteAccess(PEOPLE.admin.id, 'admin@acme.com off acme', /is an admin/);
    expect(text).toBe(
      'admin@acme.com is an admin of acme; remove the admin role before turning off their site access.',
    );
  });

  it('checks its words in the ack', async () => {
    const { slack } = slackHarness();
    const cases: [string, string][] = [
      ['bwong@example.net maybe acme', 'Say on or off, not "maybe".'],
      ['bwong@example.net on', 'Give an email, on or off, and a site.'],
      ['bwong-example.net on acme', '"bwong-example.net" is not an email address.'],
    ];
    for (const [text, problem] of cases) {
      const result = await slack.slashCommand(PEOPLE.siteAdmin.id, CHANNELS.general.id, '/site-access', text);
      expect(result.body).toMatchObject({ text: `${problem}\nUsage: \`/site-access <email> on|off <site>\`` });
    }
  });

  it('denies a site-admin of another site and a member, naming the role', async () => {
    const other = await siteAccess(PEOPLE.siteAdmin.id, 'jsmith@abc.com off acme-eu', /You need/);
    expect(other).toBe(
      'You need the site-admin on acme-eu (or org-admin) role to change site access on acme-eu; an org-admin can grant it with /accounts-admin.',
    );
    const member = await siteAccess(PEOPLE.member.id, 'bwong@example.net off acme', /You need/);
    expect(member).toMatch(/^You need the site-admin on acme \(or org-admin\) role/);
    expect(await accessOnAcme('bwong@example.net')).toBe(true);
  });
});
