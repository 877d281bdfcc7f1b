import { emulatedSlackConfig } from '../../src/config';
import {
  SlackClientSimulator,
  type SlackEmulator,
  type SlackEmulatorOptions,
  startSlackEmulator,
} from '../../src/emulator';
import { type BotOptions, type RunningBot, startBot } from '../../src/server';
import { bootstrapAdmins, grantRole } from '../../src/slack/roles';
import { subscribe } from '../../src/slack/subscriptions';
import { loadFixture, testContext, useTestDatabase } from './database';

/** The people of the test workspace, by what they may do. */
export const PEOPLE = {
  admin: { id: 'U0ADMIN0001', name: 'ada', real_name: 'Ada Admin' },
  siteAdmin: { id: 'U0SITEADM01', name: 'sam', real_name: 'Sam Site-Admin' },
  approver: { id: 'U0APPROVE01', name: 'april', real_name: 'April Approver' },
  approver2: { id: 'U0APPROVE02', name: 'apollo', real_name: 'Apollo Approver' },
  member: { id: 'U0MEMBER001', name: 'max', real_name: 'Max Member' },
};
export const CHANNELS = {
  general: { id: 'C0GENERAL01', name: 'general' },
  team: { id: 'C0SUPPORT01', name: 'support-team' },
  approvals: { id: 'C0APPROVALS', name: 'approvals' },
};
export const SIGNING_SECRET = 'test-signing-secret';

export interface SlackHarness {
  emulator: SlackEmulator;
  bot: RunningBot;
  slack: SlackClientSimulator;
  stop(): Promise<void>;
}

/**
 * The real bot on a loopback port, talking to the Slack emulator, on the test file's database (open it first
 * with useTestDatabase). The admin is an org-admin through BOOTSTRAP_ADMINS, exactly as in production.
 */
export async function startSlackHarness(
  options: { emulator?: SlackEmulatorOptions; bot?: BotOptions } = {},
): Promise<SlackHarness> {
  const emulator = await startSlackEmulator({
    users: Object.values(PEOPLE),
    channels: Object.values(CHANNELS),
    ...options.emulator,
  });
  const bot = await startBot(emulatedSlackConfig(emulator, SIGNING_SECRET, [PEOPLE.admin.id]), {
    workerOptions: { pollMs: 25, leaseMs: 10_000 },
    ...options.bot,
  });
  const slack = new SlackClientSimulator({ emulator, appUrl: bot.url, signingSecret: SIGNING_SECRET });
  return {
    emulator,
    bot,
    slack,
    async stop() {
      await bot.stop();
      await emulator.stop();
    },
  };
}

/** A test file's database and the bot on it: started before the tests, stopped before the database closes. */
export function useSlackHarness(
  label: string,
  options: Parameters<typeof startSlackHarness>[0] = {},
): () => SlackHarness {
  const database = useTestDatabase(label);
  let harness: SlackHarness | undefined;
  beforeAll(async () => {
    harness = await startSlackHarness(options);
  });
  database.beforeClose(async () => harness?.stop());
  return () => {
    if (!harness) throw new Error('the Slack harness is not started yet');
    return harness;
  };
}

/**
 * The example directory, and the workspace's people with their roles: ada is an org-admin (BOOTSTRAP_ADMINS),
 * sam a site-admin of acme, april and apollo approvers, max has no role. #support-team hears about acme and
 * #approvals gets acme's review cards.
 */
export async function resetWorld(): Promise<void> {
  await loadFixture();
  await bootstrapAdmins([PEOPLE.admin.id]);
  const context = testContext();
  await grantRole(PEOPLE.siteAdmin.id, 'site-admin', 'acme', context);
  await grantRole(PEOPLE.approver.id, 'approver', null, context);
  await grantRole(PEOPLE.approver2.id, 'approver', null, context);
  await subscribe(CHANNELS.team.id, 'acme', 'notifications', context);
  await subscribe(CHANNELS.approvals.id, 'acme', 'approvals', context);
}
