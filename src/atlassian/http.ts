import { DomainError } from '../accounts/errors';

/**
 * What a failed Atlassian call said, whichever client made it: jira.js wraps axios errors in an HttpException
 * whose cause keeps the response; the Admin API client throws AtlassianHttpError.
 */
export interface HttpFailure {
  status: number;
  header(name: string): string | undefined;
  message: string;
}

export class AtlassianHttpError extends Error {
  override name = 'AtlassianHttpError';
  constructor(
    readonly status: number,
    readonly headers: Headers,
    message: string,
  ) {
    super(message);
  }
}

interface AxiosLike {
  response?: { status: number; headers: Record<string, unknown>; data?: unknown };
}

export function httpFailure(error: unknown): HttpFailure | null {
  if (error instanceof AtlassianHttpError) {
    return { status: error.status, header: (name) => error.headers.get(name) ?? undefined, message: error.message };
  }
  const cause = (error as { cause?: AxiosLike })?.cause ?? (error as AxiosLike);
  const response = cause?.response;
  if (!response || typeof response.status !== 'number') return null;
  return {
    status: response.status,
    header: (name) => {
      const value = response.headers[name.toLowerCase()];
      return value === undefined || value === null ? undefined : String(value);
    },
    message: atlassianMessage(response.data) ?? `HTTP ${response.status}`,
  };
}

/** Atlassian's error bodies: { errorMessages: [...] } on the site APIs, { message } on the Admin API. */
export function atlassianMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' && body ? body.slice(0, 200) : null;
  const { errorMessages, message } = body as { errorMessages?: unknown; message?: unknown };
  if (Array.isArray(errorMessages) && errorMessages.length) return errorMessages.join(' ');
  return typeof message === 'string' ? message : null;
}

/**
 * How long to wait before trying again, or null when trying again cannot help. 429: Retry-After (seconds), else
 * X-RateLimit-Reset (an ISO 8601 time), else a second; 503 only when it says Retry-After.
 */
export function retryDelayMs(failure: HttpFailure, now = Date.now()): number | null {
  const after = failure.header('retry-after');
  const afterMs = after === undefined ? null : secondsOrDate(after, now);
  if (failure.status === 503) return afterMs;
  if (failure.status !== 429) return null;
  if (afterMs !== null) return afterMs;
  const reset = failure.header('x-ratelimit-reset');
  const resetAt = reset === undefined ? Number.NaN : Date.parse(reset);
  return Number.isNaN(resetAt) ? 1000 : Math.max(0, resetAt - now);
}

function secondsOrDate(value: string, now: number): number | null {
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** One sentence for a call that failed for good. `what` says what was being read: "the service desks". */
export function explainFailure(error: unknown, host: string, what: string): DomainError {
  const failure = httpFailure(error);
  if (!failure) {
    const code = (error as { code?: string })?.code;
    const reason = code ?? (error as Error)?.message ?? String(error);
    return new DomainError('unavailable', `Could not reach ${host} to read ${what} (${reason}).`);
  }
  switch (failure.status) {
    case 401:
      return new DomainError(
        'refused',
        `${host} refused the credentials (401) when reading ${what}: check ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN (or ATLASSIAN_ADMIN_API_KEY for the Admin API).`,
      );
    case 403:
      return new DomainError(
        'refused',
        `The token's account may not read ${what} on ${host} (403: ${failure.message}).`,
      );
    case 404:
      return new DomainError('not-found', `${host} has no ${what} (404: ${failure.message}).`);
    default:
      return new DomainError(
        'unavailable',
        `${host} answered ${failure.status} when reading ${what}: ${failure.message}`,
      );
  }
}
