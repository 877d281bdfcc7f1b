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

/** What a customer-card button carries: whom it is about, and where. */
export interface CustomerRef {
  email: string;
  site: string;
}

export const encodeRef = (ref: CustomerRef) => JSON.stringify(ref);

export function decodeRef(value: string | undefined): CustomerRef {
  const parsed = JSON.parse(value ?? '{}') as Partial<CustomerRef>;
  if (typeof parsed.email !== 'string' || typeof parsed.site !== 'string')
    throw new Error('button value is not a customer reference');
  return { email: parsed.email, site: parsed.site };
}
