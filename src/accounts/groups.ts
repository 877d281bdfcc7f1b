import { Group, type GroupDoc } from './models';

/** Roles an account holds on a site: those granted directly plus those of its groups there. */
export function effectiveRoles(direct: readonly string[], groups: readonly Pick<GroupDoc, 'roles'>[]): string[] {
  return [...new Set([...direct, ...groups.flatMap((g) => g.roles)])].sort();
}

/** The groups of one site with the given names, keyed by name. */
export async function groupsByName(site: string, names: readonly string[]): Promise<Map<string, GroupDoc>> {
  if (names.length === 0) return new Map();
  const groups = await Group.find({ site, name: { $in: names } }).lean();
  return new Map(groups.map((g) => [g.name, g]));
}

/** Names of the site's groups that grant a role (approved imported groups and default groups). */
export async function groupsGrantingRole(site: string, role: string): Promise<string[]> {
  const groups = await Group.find({ site, roles: role }, { name: 1 }).lean();
  return groups.map((g) => g.name);
}
