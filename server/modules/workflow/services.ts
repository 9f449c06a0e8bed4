// Service tasks are external tasks (camunda:type="external" camunda:topic="…") run by the server
// from the job table, never inline code. Each topic is a function of the task's inputs and the
// process variables; a thrown error becomes a retry, then an incident an administrator can retry.

import type { Database } from '../../db';
import { destroyDocuments } from '../retention/destruction';

export interface ServiceCall {
  topic: string;
  /** camunda:inputParameter values, expressions already resolved. */
  input: Record<string, unknown>;
  variables: Record<string, unknown>;
  /** Where the call runs: the instance and its organisation, the runtime's database and data folder. */
  context: { instanceId: number; organisationId: number; startedById: number | null; db: Database; dataDir: string };
}

const numberList = (value: unknown): number[] => (Array.isArray(value) ? value.map(Number).filter((n) => Number.isInteger(n) && n > 0) : []);

export type ServiceHandler = (call: ServiceCall) => Promise<Record<string, unknown> | void>;

export const SERVICE_TOPICS: Record<string, { description: string; handler: ServiceHandler }> = {
  'check-required': {
    description: 'ตรวจสอบความครบถ้วน: fails (an incident) while any variable named in input "required" (comma-separated paths) is empty.',
    handler: async ({ input, variables }) => {
      const missing = String(input.required ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .filter((path) => {
          const value = path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), variables);
          return value == null || value === '' || (Array.isArray(value) && value.length === 0);
        });
      if (missing.length) throw new Error(`Missing required data: ${missing.join(', ')}`);
    },
  },
  'set-variables': {
    description: 'Sets process variables from the input parameters (values or expressions).',
    handler: async ({ input }) => ({ ...input }),
  },
  'destroy-documents': {
    description: 'ทำลายหนังสือ: marks the documents in variable "documentIds" (input "documentIds" overrides) destroyed in the instance\'s organisation, records each in the audit log, and deletes stored files no other document uses. Safe to run again.',
    handler: async ({ input, variables, context }) => {
      const ids = numberList(input.documentIds ?? variables.documentIds);
      if (!ids.length) throw new Error('No documents to destroy: variable "documentIds" is empty.');
      const initiator = (variables._initiator ?? null) as { userId?: number } | null;
      const result = await destroyDocuments(context.db, context.dataDir, {
        organisationId: context.organisationId, documentIds: ids, actorId: initiator?.userId ?? context.startedById, instanceId: context.instanceId,
        archivesLetterNumber: typeof variables.archivesLetterNumber === 'string' ? variables.archivesLetterNumber : null,
      });
      return { destroyedCount: result.destroyed.length, destroyedAt: new Date().toISOString() };
    },
  },
};
