import { rolesOf } from './roles';

/**
 * The sites whose jobs, approvals and warnings a person may read: every role lets its holder read its site, and
 * a role held on every site (org-admin, or any role granted without a site) reads them all — then null.
 */
export async function readableSites(user: string): Promise<string[] | null> {
  const roles = await rolesOf(user);
  if (roles.some((held) => held.site === null)) return null;
  return [...new Set(roles.map((held) => held.site as string))].sort();
}
