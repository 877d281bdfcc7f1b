import type { OperationContext } from '../accounts/context';

/** What planning says about one customer: the plan, or why it cannot be done (a sentence for a person). */
export type Outcome<P> = { plan: P } | { refused: string };

/** Plans for some customers, keyed by email key; close it when the job's planning is over. */
export interface Planner<O> {
  plan(emails: readonly string[]): Promise<Map<string, O>>;
  close(): Promise<void>;
}

/**
 * What the engine needs to run one kind of job. A job's items are customers, keyed by email key; the engine
 * stores each item's plan before applying it and sums each succeeded item's counts for the job's summary.
 */
export interface JobHandler<Request extends { kind: string }, Plan> {
  /** The site whose concurrency caps (and Slack subscribers) the job counts against. */
  site(request: Request): string;
  /** Whom the job is for, in a few words: "jsmith@abc.com", "42 emails". */
  describe(request: Request): string;
  /** The customers' emails, validated; none means there is nothing to do. Bad input throws a DomainError. */
  targets(request: Request): Promise<string[]>;
  /** Fingerprint of what the job would do now; a different one at confirmation means the preview went stale. */
  fingerprint(request: Request): Promise<string>;
  /**
   * What plans the customers of a job chunk by chunk (reads only). With `stream`, for jobs of several chunks, it
   * reads the directory once for the whole job rather than once per chunk; chunks then ask in job order.
   */
  planner(request: Request, stream: boolean): Promise<Planner<Outcome<Plan>>>;
  /** Applies plans in bulk, idempotently; returns the customers that failed (email key → why). */
  apply(request: Request, plans: readonly Plan[], context: OperationContext): Promise<Map<string, string>>;
  /**
   * Runs when no more customers will be processed (all done, or the job cancelled), just before the job ends.
   * Idempotent: a crash between this and the end runs it again.
   */
  beforeEnd?(request: Request, context: OperationContext): Promise<void>;
  emailOf(plan: Plan): string;
  counts(plan: Plan): Record<string, number>;
  /** A few words about one item's change for messages: "added to jira-servicemanagement-customers-acme". */
  note(plan: Plan): string | null;
}
