/**
 * Every failure a person can act on is a DomainError: its message is the one sentence shown to them
 * (in Slack, in the CLI), and its kind lets callers choose a status or an icon without parsing text.
 */
export type DomainErrorKind =
  | 'invalid' // the input itself is wrong: a malformed email, an unknown option
  | 'not-found' // the input names something that does not exist
  | 'conflict' // the change would break an invariant or repeat something already done
  | 'refused' // the change is possible in general but not for this target (admin, licensed, …)
  | 'unavailable'; // the database or another dependency cannot be reached right now

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (message: string) => new DomainError('invalid', message);
export const notFound = (message: string) => new DomainError('not-found', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const refused = (message: string) => new DomainError('refused', message);
