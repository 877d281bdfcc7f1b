import { recordAudit } from '../../src/accounts/audit';
import { testContext } from '../support/database';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';

/** `/accounts-admin audit <site> [days]`: the site's audit as CSV, uploaded to the org-admin who asks. */
const slackHarness = useSlackHarness('slack_audit');
beforeEach(resetWorld);

async function admin(user: string, text: string, expected: RegExp): Promise<string> {
  const { slack, emulator } = slackHarness();
  const before = emulator.state.ephemerals(user).length;
  await slack.slashCommand(user, CHANNELS.general.id, '/accounts-admin', text);
  const reply = await emulator.state.waitFor(() =>
    emulator.state
      .ephemerals(user)
      .slice(before)
      .find((m) => expected.test(m.text)),
  );
  return reply.text;
}

describe('/accounts-admin audit', () => {
  it("uploads the site's audit events to the org-admin's DM, formulas neutralized, other sites left out", async () => {
    const { emulator } = slackHarness();
    await recordAudit(testContext('=HYPERLINK("http://evil.example","x")'), {
      action: 'site-access.off',
      target: 'bwong@example.net',
      site: 'acme',
      summary: '@SUM(1+1) turned off',
    });
    await recordAudit(testContext(), {
      action: 'site-access.off',
      target: 'rgarcia@example.es',
      site: 'acme-eu',
      summary: 'elsewhere',
    });

    const answer = await admin(PEOPLE.admin.id, 'audit acme 7', /^Sent you/);
    expect(answer).toMatch(
      /^Sent you audit-acme-\d{4}-\d{2}-\d{2}\.csv in our direct messages: \d+ audit events on acme in the last 7 days\.$/,
    );
    const dm = emulator.state.dmChannel(PEOPLE.admin.id) ?? 'no DM';
    const file = await emulator.state.waitFor(() => emulator.state.files(dm).find((f) => f.bytes.length > 0));
    expect(file.channels).toEqual([dm]);
    const csv = file.bytes.toString('utf8');
    expect(
      csv.startsWith(
        '\uFEFFAt (UTC),Actor kind,Actor id,Actor name,Action,Site,Target,Summary,Correlation id,Changes (JSON)\n',
      ),
    ).toBe(true);
    expect(csv).toContain(`'=HYPERLINK(""http://evil.example"",""x"")`);
    expect(csv).toContain("'@SUM(1+1) turned off");
    expect(csv).toMatch(/role\.grant,acme,U0SITEADM01,Granted site-admin on acme/);
    expect(csv).not.toMatch(/acme-eu|rgarcia/);
  });

  it('is for org-admins only, and names a wrong site or number of days in one sentence', async () => {
    const { emulator } = slackHarness();
    const uploads = emulator.calls.to('files.completeUploadExternal').length;
    const denied = await admin(PEOPLE.siteAdmin.id, 'audit acme', /You need/);
    expect(denied).toBe(
      'You need the org-admin role to administer the bot; an org-admin can grant it with /accounts-admin.',
    );
    expect(await admin(PEOPLE.admin.id, 'audit nowhere', /There is no site/)).toBe(
      'There is no site "nowhere". Known sites: acme, acme-eu.',
    );
    const { slack } = slackHarness();
    const badDays = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/accounts-admin', 'audit acme 0');
    expect(String((badDays.body as { text: string }).text)).toMatch(/^"0" is not a number of days from 1 to 366\./);
    expect(emulator.calls.to('files.completeUploadExternal')).toHaveLength(uploads);
  });
});
