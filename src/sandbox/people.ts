import { DomainError } from '../accounts/errors';
import { Site } from '../accounts/models';
import type { ChannelOptions, UserOptions } from '../emulator/options';
import { grantRole } from '../slack/roles';
import { subscribe } from '../slack/subscriptions';
import { sandboxContext as context } from './context';

/**
 * Who the visitor can be in the sandbox, one of each kind of person the bot treats differently, and the channels
 * that hear from it. The admin becomes an org-admin through BOOTSTRAP_ADMINS, as in a real installation.
 */
export const SANDBOX_PEOPLE = {
  admin: { id: 'U0SBADMIN01', name: 'ada', real_name: 'Ada Admin', title: 'org-admin' },
  approver: { id: 'U0SBAPPRV01', name: 'april', real_name: 'April Approver', title: 'approver' },
  member: { id: 'U0SBMEMBR01', name: 'max', real_name: 'Max Member', title: 'no role' },
} as const satisfies Record<string, UserOptions & { title: string }>;

export const SANDBOX_CHANNELS = {
  team: { id: 'C0SBSUPPORT', name: 'support-team' },
  approvals: { id: 'C0SBAPPROVE', name: 'approvals' },
} as const satisfies Record<string, ChannelOptions>;

export const SANDBOX_BOT = { name: 'Customer Accounts' };

/**
 * The approver's role, and every site's notifications in #support-team and review cards in #approvals. Safe to
 * run at every start: what already exists is left as it is.
 */
export async function grantSandboxRoles(): Promise<void> {
  await unlessDone(grantRole(SANDBOX_PEOPLE.approver.id, 'approver', null, context()));
  for (const site of await Site.find({}, { _id: 1 }).sort({ _id: 1 }).lean()) {
    await unlessDone(subscribe(SANDBOX_CHANNELS.team.id, site._id, 'notifications', context()));
    await unlessDone(subscribe(SANDBOX_CHANNELS.approvals.id, site._id, 'approvals', context()));
  }
}

/** Roles and subscriptions answer a repeat with a conflict: here that means it was done at an earlier start. */
async function unlessDone(step: Promise<void>): Promise<void> {
  try {
    await step;
  } catch (error) {
    if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
  }
}
