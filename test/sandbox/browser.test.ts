import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { exited, ROOT, uriFor } from '../support/processes';

/**
 * `npm start` without Slack credentials, as a newcomer runs it (the built dist/src/main.js in a child process), driven
 * through its page in Debian's chromium. Every click travels page → sandbox routes → signed request to the real
 * bot's /slack/events, and every message the page shows is one the bot sent to the emulator's Web API.
 */

const SHOTS = join(ROOT, 'test-output', 'sandbox');
const dbName = `test_sandbox_browser_${process.pid}`;
/** Long enough for the job worker's poll, the job and the notifier's paced post. */
const WAIT_MS = 20_000;

let sandbox: ChildProcess;
let browser: Browser;
let page: Page;

/** Starts the sandbox on a free port and resolves with the page URL it prints. */
function startSandbox(): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: uriFor(dbName),
    PORT: '0',
    JOB_POLL_MS: '100',
    LOG_LEVEL: 'warn',
  };
  for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_API_URL']) delete env[name];
  sandbox = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const url = /Open (http:\/\/\S+)/.exec(seen)?.[1];
      if (url) resolve(url);
    };
    sandbox.stdout?.on('data', onData);
    sandbox.stderr?.on('data', onData);
    sandbox.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before printing its URL: ${seen}`)));
  });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const url = await startSandbox();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  await page.goto(url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  sandbox?.kill('SIGTERM');
  if (sandbox) expect(await exited(sandbox)).toBe(0);
  // The sandbox works in a database of its own, named after MONGODB_URI's.
  const client = await MongoClient.connect(uriFor(dbName));
  await client.db(`${dbName}_sandbox`).dropDatabase();
  await client.close();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

async function actAs(realName: string): Promise<void> {
  const switcher = page.getByLabel('Act as');
  const value = await switcher.locator('option', { hasText: realName }).getAttribute('value');
  await switcher.selectOption(value ?? '');
}

async function open(channel: string): Promise<Locator> {
  await page.getByRole('navigation').getByRole('button', { name: channel }).click();
  const composer = page.getByRole('textbox', { name: `Message ${channel}` });
  await composer.waitFor();
  return composer;
}

async function run(composer: Locator, command: string): Promise<void> {
  await composer.fill(command);
  await composer.press('Enter');
}

const message = (text: string | RegExp) => page.locator('.message').filter({ hasText: text });

// First: once jsmith@abc.com is migrated, copying acme to acme-eu imports no group for them.
test('an approver approves the group imported by /copy-customers acme acme-eu', async () => {
  await actAs('Ada Admin');
  const composer = await open('#support-team');
  await run(composer, '/copy-customers acme acme-eu');
  const copy = page.getByRole('dialog');
  await copy.getByRole('button', { name: 'Copy' }).click({ timeout: WAIT_MS });
  await copy.getByText(/queued/).waitFor({ timeout: WAIT_MS });
  await copy.getByRole('button', { name: 'Close', exact: true }).first().click();

  await actAs('April Approver');
  await open('#approvals');
  const card = message(/Imported group/).filter({ has: page.getByRole('button', { name: 'Review' }) });
  await card.first().getByRole('button', { name: 'Review' }).click({ timeout: WAIT_MS });
  const review = page.getByRole('dialog', { name: 'Review imported group' });
  await review.getByRole('radio', { name: /^Approve/ }).check({ timeout: WAIT_MS });
  await review.getByRole('textbox', { name: 'Reason' }).fill('Same customers as on acme.');
  await shot('a-review-modal');
  await review.getByRole('button', { name: /Submit|Decide|Save/ }).click();
  await message(/approved/i)
    .first()
    .waitFor({ timeout: WAIT_MS });
  await shot('b-group-approved');
});

test('an admin types /migrate-customer with usage hints, confirms the modal and sees the completion in the channel', async () => {
  await actAs('Ada Admin');
  const composer = await open('#support-team');

  await composer.pressSequentially('/migr');
  const suggestion = page.getByRole('option', { name: /\/migrate-customer/ });
  await suggestion.waitFor();
  expect(await suggestion.textContent()).toContain('<email>… [site]');
  await shot('1-command-hints');

  await run(composer, '/migrate-customer jsmith@abc.com acme');
  const modal = page.getByRole('dialog', { name: 'Migrate customers' });
  await modal.getByText('Migrate jsmith@abc.com to an Atlassian account on acme.').waitFor({ timeout: WAIT_MS });
  await shot('2-migration-preview');
  await modal.getByRole('button', { name: 'Migrate' }).click();
  await modal.getByText(/Job `?\S+`? is queued/).waitFor({ timeout: WAIT_MS });
  await shot('3-job-queued');
  await modal.getByRole('button', { name: 'Close', exact: true }).first().click();
  await modal.waitFor({ state: 'detached' });

  const completion = message(/Migrated jsmith@abc\.com to an Atlassian account on acme/);
  await completion.waitFor({ timeout: WAIT_MS });
  expect(await completion.getByText('Only visible to you').count()).toBe(0);
  await shot('4-completion-in-channel');

  // The requester's DM with the app, and its Home tab, which the app publishes when the tab is opened.
  await page.getByRole('navigation').getByRole('button', { name: 'Customer Accounts' }).click();
  await page.getByRole('tab', { name: 'Messages' }).click();
  await message(/Migrated jsmith@abc\.com to an Atlassian account on acme/).waitFor({ timeout: WAIT_MS });
  await page.getByRole('tab', { name: 'Home' }).click();
  await page.getByText('Pending approvals').waitFor({ timeout: WAIT_MS });
  await shot('5-app-home');
});

test('a member without a role gets a one-sentence denial, visible only to them', async () => {
  await actAs('Max Member');
  const composer = await open('#support-team');
  await run(composer, '/migrate-customer kpatel@example.com acme');
  const denial = message(/You need the site-admin on acme \(or org-admin\) role to migrate customers/);
  await denial.waitFor({ timeout: WAIT_MS });
  expect(await denial.getByText('Only visible to you').count()).toBe(1);
  expect(await page.getByRole('dialog').count()).toBe(0);
  await shot('6-member-denied');

  // The admin does not see the member's ephemeral denial.
  await actAs('Ada Admin');
  await denial.waitFor({ state: 'detached' });
  await message(/Migrated jsmith@abc\.com/).waitFor();
});
