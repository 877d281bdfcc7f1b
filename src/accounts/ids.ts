import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * Identifier formats of the directory. Random ids are for things a person creates; derived ids are
 * for things a job creates, so that a retried or resumed step produces the same id and a unique
 * index turns the repeat into a no-op instead of a second document.
 */

const ACCOUNT_ID = /^[0-9a-f]{24}$/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PORTAL_CUSTOMER_ID = new RegExp(`^qm:${UUID}:${UUID}$`);

export const isAccountId = (id: string) => ACCOUNT_ID.test(id);
export const isPortalCustomerId = (id: string) => PORTAL_CUSTOMER_ID.test(id);

export function newAccountId(): string {
  return randomBytes(12).toString('hex');
}

export function newPortalCustomerId(): string {
  return `qm:${randomUUID()}:${randomUUID()}`;
}

function digest(parts: readonly string[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

function uuidFrom(bytes: Buffer): string {
  const hex = Buffer.from(bytes.subarray(0, 16));
  hex[6] = ((hex[6] ?? 0) & 0x0f) | 0x40; // version 4 layout, so the id looks like every other one
  hex[8] = ((hex[8] ?? 0) & 0x3f) | 0x80;
  const h = hex.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** An account id derived from the given parts (same parts, same id). */
export function derivedAccountId(...parts: string[]): string {
  return digest(['account', ...parts])
    .subarray(0, 12)
    .toString('hex');
}

/** A portal-only customer id derived from the given parts (same parts, same id). */
export function derivedPortalCustomerId(...parts: string[]): string {
  const bytes = digest(['portal-customer', ...parts]);
  return `qm:${uuidFrom(bytes.subarray(0, 16))}:${uuidFrom(bytes.subarray(16, 32))}`;
}
