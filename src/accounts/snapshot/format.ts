import { z } from 'zod';
import { isAccountId, isPortalCustomerId } from '../ids';

/** The directory snapshot format, version 1 (DOMAIN.md section 4). Unknown fields are errors, to catch typos. */

const text = z.string().trim().min(1, 'must not be empty');
const time = z.iso.datetime({ message: 'must be an ISO 8601 UTC time such as 2026-10-02T09:15:00Z' });
const accountId = z.string().refine(isAccountId, 'must be an account id: 24 lowercase hex digits');
const principalId = z
  .string()
  .refine((id) => isAccountId(id) || isPortalCustomerId(id), 'must be an account id or a portal-only customer id');
const siteId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a site id such as "acme" (lowercase, digits, -)');

const project = z.strictObject({
  key: z.string().regex(/^[A-Z][A-Z0-9]*$/, 'must be a project key such as "HELP"'),
  name: text,
});

const site = z.strictObject({
  id: siteId,
  host: text,
  workspace: text,
  portalUrl: z.url(),
  projects: z.array(project),
});

const portalCustomer = z.strictObject({
  id: z.string().refine(isPortalCustomerId, 'must be a portal-only customer id: qm:<uuid>:<uuid>'),
  site: siteId,
  email: z.email(),
  displayName: text,
  status: z.enum(['active', 'inactive']),
  invitedToProduct: time.nullable(),
  migratedTo: accountId.nullable(),
  migratedAt: time.nullable(),
});

const accountSite = z.strictObject({
  site: siteId,
  siteAccess: z.boolean(),
  products: z.array(text),
  roles: z.array(text),
  admin: z.boolean(),
});

const account = z.strictObject({
  id: accountId,
  email: z.email(),
  displayName: text,
  emailVerified: z.boolean(),
  status: z.enum(['active', 'inactive', 'closed']),
  sites: z.array(accountSite),
});

const review = z.strictObject({
  state: z.enum(['pending', 'approved', 'rejected']),
  sourceSite: siteId,
  reviewedBy: z.strictObject({ id: text, name: text }).nullable(),
  reviewedAt: time.nullable(),
  reason: z.string().nullable(),
});

const group = z.strictObject({
  site: siteId,
  name: text,
  roles: z.array(text),
  origin: z.enum(['default', 'imported']),
  review: review.nullable(),
  members: z.array(accountId),
});

const request = z.strictObject({
  key: z.string().regex(/^[A-Z][A-Z0-9]*-[1-9][0-9]*$/, 'must be a request key such as "HELP-12"'),
  site: siteId,
  project: z.string(),
  reporter: principalId,
  participants: z.array(principalId),
  createdAt: time,
});

export const snapshotSchema = z.strictObject({
  version: z.literal(1, 'must be 1 (the only snapshot version)'),
  organization: z.strictObject({ id: text, name: text }),
  sites: z.array(site),
  portalCustomers: z.array(portalCustomer),
  accounts: z.array(account),
  groups: z.array(group),
  requests: z.array(request),
});

export type Snapshot = z.infer<typeof snapshotSchema>;
export type SnapshotSite = Snapshot['sites'][number];
export type SnapshotPortalCustomer = Snapshot['portalCustomers'][number];
export type SnapshotAccount = Snapshot['accounts'][number];
export type SnapshotGroup = Snapshot['groups'][number];
export type SnapshotRequest = Snapshot['requests'][number];

/** Times in snapshots: ISO 8601 UTC, whole seconds written without a fraction (as in the example fixture). */
export function formatTime(date: Date | null): string | null {
  return date ? date.toISOString().replace('.000Z', 'Z') : null;
}

export const parseTime = (value: string | null) => (value === null ? null : new Date(value));
