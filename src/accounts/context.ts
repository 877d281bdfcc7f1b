import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Actor } from './models';

/** Who is acting and which job or interaction the writes belong to; every write is audited with both. */
export interface OperationContext {
  actor: Actor;
  correlationId: string;
}

export const newCorrelationId = () => randomUUID();

export function cliContext(): OperationContext {
  const name = userInfo().username || 'operator';
  return { actor: { kind: 'cli', id: 'cli', name }, correlationId: newCorrelationId() };
}
