import { newAccountId, newPortalCustomerId } from '../../src/accounts/ids';
import { AccountSite, AtlassianAccount, PortalCustomer } from '../../src/accounts/models';
import { loadFixture, useTestDatabase } from '../support/database';
import { copy, HEADER, reportText } from './support';

useTestDatabase('copy_report');
beforeEach(loadFixture);

describe('RequiresAttention.csv', () => {
  it('neutralises cells a spreadsheet would run as formulas (email, display name)', async () => {
    // Imported from elsewhere without validation: an email and a name that a spreadsheet would evaluate.
    const email = '=HYPERLINK("http://evil.example","x")@evil.example';
    const displayName = '=1+2';
    await PortalCustomer.create({ _id: newPortalCustomerId(), site: 'acme', email, displayName, status: 'active' });
    const account = newAccountId();
    await AtlassianAccount.create({ _id: account, email, displayName, emailVerified: true, status: 'active' });
    await AccountSite.create({ _id: `${account}/acme-eu`, account, site: 'acme-eu', siteAccess: true });

    const { jobId, items } = await copy('acme', 'acme-eu');
    expect(items.find((i) => i.email === email)?.plan?.case).toBe('imported-group');
    const lines = (await reportText(jobId)).split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines[1]).toBe(
      `"'=HYPERLINK(""http://evil.example"",""x"")@evil.example",Portal-only,Atlassian account,Atlassian account,'=1+2 has an Atlassian account on acme-eu: no Customer role there until the imported group is approved,Review group imported-from-acme-${jobId} to assign Customer role`,
    );
  });

  it('is UTF-8, and quotes what needs quoting', async () => {
    await PortalCustomer.updateOne(
      { emailKey: 'jsmith@abc.com' },
      { $set: { displayName: 'Jane "JJ" Smith, Zürich' } },
    );
    const { jobId } = await copy('acme', 'acme-eu');
    expect((await reportText(jobId)).split('\n')[2]).toBe(
      `jsmith@abc.com,Portal-only,Atlassian account,Atlassian account,"Jane ""JJ"" Smith, Zürich has an Atlassian account on acme-eu: no Customer role there until the imported group is approved",Review group imported-from-acme-${jobId} to assign Customer role`,
    );
  });
});
