import { type CustomerRef, customerRefSchema, parseJsonPayload } from './payloads';

/** Ids that tie buttons in views/ to their listeners in commands/; one list, so a rename cannot break a link. */
export const ACTION = {
  migrate: 'customer.migrate',
  makePortalOnly: 'customer.make-portal-only',
  restoreAccess: 'customer.restore-access',
  revokeLicences: 'migration.revoke-licences',
  reviewGroup: 'group.review',
  fixDuplicates: 'copy.fix-duplicates',
  newPreview: 'job.new-preview',
} as const;

/**
 * Slack wants the action ids of one block to differ, and a card may carry the same action for several sites: the
 * second and later buttons of an action in a block get `#2`, `#3`… (views/blocks.ts), and listeners match them all.
 */
export const nthActionId = (actionId: string, n: number) => (n > 1 ? `${actionId}#${n}` : actionId);

/** Every action id `nthActionId` makes of an id (ids are letters, digits, dots and dashes). */
export const actionIdPattern = (actionId: string) => new RegExp(`^${actionId.replaceAll('.', '\\.')}(?:#\\d+)?$`);

/** Modals by what submitting them does: each migration command confirms in a modal of its own. */
export const CALLBACK = {
  preparing: 'migration.preparing',
  migrateCustomer: 'migrate-customer.confirm',
  makePortalOnly: 'make-portal-only.confirm',
  markPortalOnly: 'mark-portal-only.confirm',
  reviewGroup: 'group-review.decide',
  copyCustomers: 'copy-customers.confirm',
  fixDuplicates: 'fix-duplicates.confirm',
} as const;

/** What a customer-card button carries: whom it is about, and where (checked by its schema when it comes back). */
export const encodeRef = (ref: CustomerRef) => JSON.stringify(ref);

export const decodeRef = (value: string | undefined): CustomerRef => parseJsonPayload(customerRefSchema, value);
