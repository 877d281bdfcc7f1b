import { z } from 'zod';
import { invalid } from './errors';

const emailSchema = z.email();

/** The comparison key of an email: emails are compared case-insensitively everywhere. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function isEmail(value: string): boolean {
  return emailSchema.safeParse(value.trim()).success;
}

/** Trims and validates an email typed by a person; throws a DomainError naming the bad value. */
export function parseEmail(value: string): string {
  const email = value.trim();
  if (!isEmail(email)) throw invalid(`"${value}" is not an email address.`);
  return email;
}
