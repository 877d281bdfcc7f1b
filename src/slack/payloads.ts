import { z } from 'zod';
import { invalid } from '../accounts/errors';

/**
 * What comes back from Slack in a button's value or a modal's private_metadata was written by the bot, but
 * arrives in a request anyone holding the signing secret (or a bug) could shape: each is parsed with a schema
 * here, and what it claims (a site, a job, a group) is authorized again by the listener that uses it.
 */

// As the snapshot format writes site ids: acme, acme-eu.
const siteId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);
const email = z
  .string()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/);

/** A customer-card button: whom it is about, and where. */
export const customerRefSchema = z.object({ email, site: siteId }).strict();
export type CustomerRef = z.infer<typeof customerRefSchema>;

/** A "Fix duplicates" button: the copy job. */
export const jobIdSchema = z.string().regex(/^j[a-z0-9]{7}$/);

/** A Review button and the review modal: the imported group, `<site>/<group name>`. */
export const groupIdSchema = z
  .string()
  .max(300)
  .regex(/^[a-z0-9][a-z0-9-]*\/.+$/);
export const siteOfGroup = (groupId: string) => groupId.slice(0, groupId.indexOf('/'));

/** A migration modal: the id of its pending confirmation (src/slack/confirmations.ts). */
export const pendingIdSchema = z.string().regex(/^[0-9a-f]{24}$/);

const count = z.number().int().min(0);

/** The copy confirmation modal: the request previewed and what the preview said (views/copyModal.ts). */
export const copyConfirmationSchema = z
  .object({
    // Key order as previewCopy makes it: the fingerprint hashes the request's JSON.
    request: z
      .object({
        kind: z.literal('copy-customers'),
        from: siteId,
        to: siteId,
        projects: z
          .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/))
          .min(1)
          .optional(),
      })
      .strict(),
    fingerprint: z.string().max(200),
    counts: z.object({
      copiedPortalOnly: count,
      copiedInactive: count,
      customerRoleGranted: count,
      siteAccessOff: count,
      importedToGroup: count,
      duplicates: count,
      alreadyOnDestination: count,
      needsAction: count,
    }),
    refused: count,
  })
  .strict();

const TAMPERED = 'This button or form carries something the bot did not write; run the command again.';

/** Parses a value or private_metadata with its schema; anything else is one sentence, never an exception trace. */
export function parsePayload<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw invalid(TAMPERED);
}

/** The same for a payload written as JSON. */
export function parseJsonPayload<S extends z.ZodType>(schema: S, raw: string | undefined): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(raw ?? '');
  } catch {
    throw invalid(TAMPERED);
  }
  return parsePayload(schema, value);
}
