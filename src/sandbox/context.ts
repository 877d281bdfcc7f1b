import { newCorrelationId, type OperationContext } from '../accounts/context';

/** What the sandbox writes while setting itself up is audited as its own, not as any person's. */
export const sandboxContext = (): OperationContext => ({
  actor: { kind: 'system', id: 'sandbox', name: 'sandbox set-up' },
  correlationId: newCorrelationId(),
});
