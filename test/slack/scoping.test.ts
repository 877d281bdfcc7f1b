import { WebClient } from '@slack/web-api';
import { readableText } from '../../src/emulator';
import { enqueueJob } from '../../src/jobs/queue';
import { ACTION, CALLBACK } from '../../src/slack/actionIds';
import { grantRole } from '../../src/slack/roles';
import { testContext } from '../support/database';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';
import { waitForViewText } from './waiting';

/**
 * Roles are scoped to sites, end to end through signed requests: Max is a viewer of acme only, Sam a site-admin
 * of acme only, Ada an org-admin. What they see of acme-eu, and what forged buttons and modals get them.
 */
const slackHarness = useSlackHarness('slack_scoping');
const MAX = PEOPLE.member.id;
const SAM = PEOPLE.siteAdmin.id;
const TAMPERED = 'This button or form carries something the bot did not write; run the command again.';

beforeEach(async () => {
  await resetWorld();
  await grantRole(MAX, 'viewer', 'acme', testContext());
});

/** Runs `act`, then waits for the first ephemeral message to `user` after it whose text matches. */
async function nextEphemeral(user: string, expected: RegExp, act: () => Promise<unknown>) {
  const { emulator } = slackHarness();
  const before = emulator.state.ephemerals(user).length;
  await act();
  return emulator.state.waitFor(
    () =>
      emulator.state
        .ephemerals(user)
        .slice(before)
        .find((m) => expected.test(m.text)),
    10_000,
    `an ephemeral message to ${user} matching ${expected}`,
  );
}

async function customerCard(user: string, email: string): Promise<string> {
  const { slack } = slackHarness();
  const reply = await nextEphemeral(user, /^Customer /, () =>
    slack.slashCommand(user, CHANNELS.general.id, '/customer', email),
  );
  return readableText({ blocks: reply.blocks ?? [] });
}

/** A message in #general, as if the bot had posted these buttons: what a forged or tampered click carries. */
async function postButton(actionId: string, value: string) {
  const { emulator } = slackHarness();
  const client = new WebClient(emulator.token, { slackApiUrl: emulator.apiUrl });
  const posted = await client.chat.postMessage({
    channel: CHANNELS.general.id,
    text: 'forged',
    blocks: [
      {
        type: 'actions',
        block_id: 'forged',
        elements: [{ type: 'button', action_id: actionId, text: { type: 'plain_text', text: 'Go' }, value }],
      },
    ],
  });
  const message = emulator.state.message(CHANNELS.general.id, posted.ts ?? '');
  if (!message) throw new Error('the forged message was not stored');
  return message;
}

async function clickForged(user: string, actionId: string, value: string, expected: RegExp): Promise<string> {
  const { slack } = slackHarness();
  const message = await postButton(actionId, value);
  return (await nextEphemeral(user, expected, () => slack.clickButton(user, message, actionId))).text;
}

/** A modal opened on the person's screen as if by the bot, with this private_metadata; submitted, it shows… */
async function submitForged(user: string, callbackId: string, privateMetadata: string, expected: RegExp) {
  const { slack, emulator } = slackHarness();
  const client = new WebClient(emulator.token, { slackApiUrl: emulator.apiUrl });
  const opened = await client.views.open({
    trigger_id: emulator.platform.issueTriggerId(user),
    view: {
      type: 'modal',
      callback_id: callbackId,
      private_metadata: privateMetadata,
      title: { type: 'plain_text', text: 'Copy customers' },
      submit: { type: 'plain_text', text: 'Copy' },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Forged' } }],
    },
  });
  const viewId = opened.view?.id ?? '';
  await slack.submitView(user, viewId);
  return waitForViewText(emulator, viewId, expected);
}

describe('/customer', () => {
  it('shows a viewer of acme only the profiles on acme, and how many were left out', async () => {
    const text = await customerCard(MAX, 'jsmith@abc.com');
    expect(text).toMatch(/Portal-only on acme/);
    expect(text).not.toMatch(/acme-eu|Atlassian account `|8f6d05584ef8aa3892276658|confluence/);
    expect(text).toMatch(/1 profile on other sites was left out: your role does not cover its site\./);

    const elsewhere = await customerCard(MAX, 'rgarcia@example.es');
    expect(elsewhere).toMatch(/No profile of this email is on a site you may read\./);
    expect(elsewhere).not.toMatch(/acme-eu|Garcia/);
  });

  it('shows an org-admin every site, with nothing left out', async () => {
    const text = await customerCard(PEOPLE.admin.id, 'jsmith@abc.com');
    expect(text).toMatch(/Portal-only on acme/);
    expect(text).toMatch(/acme-eu.*confluence/);
    expect(text).not.toMatch(/left out/);
  });
});

describe('/migrate-customer without a site', () => {
  it('looks for the customer only on the sites the person administers', async () => {
    const { slack } = slackHarness();
    const reply = await nextEphemeral(SAM, /No active portal-only customer/, () =>
      slack.slashCommand(SAM, CHANNELS.general.id, '/migrate-customer', 'rgarcia@example.es'),
    );
    expect(reply.text).toBe(
      'No active portal-only customer on the sites you administer has this email; name the site after the emails: `/migrate-customer <email>… <site>`.',
    );
  });
});

describe('forged buttons and modals', () => {
  it('authorizes the site a customer-card button names again', async () => {
    const value = JSON.stringify({ email: 'rgarcia@example.es', site: 'acme-eu' });
    const refused = await clickForged(SAM, ACTION.migrate, value, /You need/);
    expect(refused).toBe(
      'You need the site-admin on acme-eu (or org-admin) role to migrate customers on acme-eu; an org-admin can grant it with /accounts-admin.',
    );
  });

  it('refuses a button value that is not what the bot writes, with one sentence', async () => {
    const { emulator } = slackHarness();
    const injected = JSON.stringify({ email: { $ne: null }, site: 'acme' });
    expect(await clickForged(SAM, ACTION.migrate, injected, /did not write/)).toBe(TAMPERED);
    expect(await clickForged(SAM, ACTION.restoreAccess, 'not json', /did not write/)).toBe(TAMPERED);
    expect(await clickForged(SAM, ACTION.fixDuplicates, '{"$gt":""}', /did not write/)).toBe(TAMPERED);
    expect(emulator.calls.to('views.open')).toHaveLength(0);
  });

  it("authorizes a copy modal's private_metadata again: its sites, and its shape", async () => {
    const counts = {
      copiedPortalOnly: 1,
      copiedInactive: 0,
      customerRoleGranted: 0,
      siteAccessOff: 0,
      importedToGroup: 0,
      duplicates: 0,
      alreadyOnDestination: 0,
      needsAction: 0,
    };
    const forged = {
      request: { kind: 'copy-customers', from: 'acme-eu', to: 'acme' },
      fingerprint: 'f',
      counts,
      refused: 0,
    };
    const refused = await submitForged(SAM, CALLBACK.copyCustomers, JSON.stringify(forged), /You need/);
    expect(refused).toMatch(
      /^You need the site-admin on acme-eu \(or org-admin\) role to copy customers from acme-eu to acme;/,
    );
    const injected = { ...forged, request: { ...forged.request, from: 'acme', $where: 'sleep(1000)' } };
    expect(await submitForged(SAM, CALLBACK.copyCustomers, JSON.stringify(injected), /did not write/)).toBe(TAMPERED);
    expect(await submitForged(SAM, CALLBACK.migrateCustomer, '{"id":"x"}', /did not write/)).toBe(TAMPERED);
  });
});

describe('jobs of other sites', () => {
  async function jobOnAcmeEu(): Promise<string> {
    const { job } = await enqueueJob(
      { kind: 'migrate-to-account', site: 'acme-eu', target: { emails: ['rgarcia@example.es'] } },
      { requestedBy: { kind: 'slack', id: PEOPLE.admin.id, name: PEOPLE.admin.name } },
    );
    return job._id;
  }

  it('/migration-status answers a job on another site as one that does not exist, and lists only readable jobs', async () => {
    const { slack } = slackHarness();
    const status = (user: string, text: string, expected: RegExp) =>
      nextEphemeral(user, expected, () => slack.slashCommand(user, CHANNELS.general.id, '/migration-status', text));
    const id = await jobOnAcmeEu();
    const hidden = await status(MAX, id, /There is no job/);
    const missing = await status(MAX, 'jzzzzzzz', /There is no job/);
    expect(hidden.text).toBe(`There is no job "${id}".`);
    expect(missing.text).toBe('There is no job "jzzzzzzz".');

    const overview = await status(MAX, '', /running or queued/);
    expect(JSON.stringify(overview)).not.toContain(id);
    const all = await status(PEOPLE.admin.id, '', /running or queued/);
    expect(JSON.stringify(all)).toContain(id);

    const seen = await status(PEOPLE.admin.id, id, new RegExp(`Job ${id}`));
    expect(readableText({ blocks: seen.blocks ?? [] })).toMatch(/rgarcia@example\.es/);
  });

  it('Fix duplicates of a job on a site the person does not administer is refused without revealing it', async () => {
    const id = await jobOnAcmeEu();
    expect(await clickForged(SAM, ACTION.fixDuplicates, id, /There is no job/)).toBe(`There is no job "${id}".`);
    const denied = await clickForged(MAX, ACTION.fixDuplicates, id, /You need/);
    expect(denied).toMatch(/^You need the site-admin \(or org-admin\) role to fix duplicates;/);
  });

  it('a review button naming a group of another site is refused before the group is read', async () => {
    await grantRole(MAX, 'approver', 'acme', testContext());
    const refused = await clickForged(MAX, ACTION.reviewGroup, 'acme-eu/Imported from acme', /You need/);
    expect(refused).toMatch(
      /^You need the approver on acme-eu \(or org-admin\) role to review imported groups on acme-eu;/,
    );
  });
});
