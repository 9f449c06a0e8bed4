// Service tasks are external tasks (camunda:type="external" camunda:topic="…") run by the server
// from the job table, never inline code. Each topic is a function of the task's inputs and the
// process variables; a thrown error becomes a retry, then an incident an administrator can retry.

import { Op } from 'sequelize';
import type { Database } from '../../db';
import { DestructionItem, ProcessDefinition, ProcessInstance } from '../../db/models';
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

export interface ServiceTopic {
  description: string;
  handler: ServiceHandler;
  /** Process keys whose shipped file alone may use the topic: refused at deploy in any other
   * diagram, and refused at run time unless the instance runs the version the product deployed. */
  shippedOnly?: string[];
}

// The mark deployShippedProcesses puts on the versions it deploys from processes/. It lives in the
// serialised source, which the server alone writes: no XML a designer sends can produce it.
const SHIPPED_MARK = 'sarabanShipped';

export function markShipped(sourceContext: string): string {
  return JSON.stringify({ ...JSON.parse(sourceContext), [SHIPPED_MARK]: true });
}

export function isShipped(sourceContext: string): boolean {
  return (JSON.parse(sourceContext) as Record<string, unknown>)[SHIPPED_MARK] === true;
}

/** Throws unless the call runs in an instance of a version the product itself deployed, of one of `keys`. */
async function assertShippedProcess(call: ServiceCall, keys: string[]): Promise<void> {
  const instance = await ProcessInstance.findByPk(call.context.instanceId, { attributes: ['id', 'definitionId'] });
  const definition = instance && (await ProcessDefinition.findByPk(instance.definitionId, { attributes: ['id', 'key', 'sourceContext'] }));
  if (!definition || !keys.includes(definition.key) || !isShipped(definition.sourceContext)) {
    throw new Error(`The topic ${call.topic} runs only in the process the product ships (${keys.join(', ')}); instance ${call.context.instanceId} does not run it.`);
  }
}

const topics: Record<string, ServiceTopic> = {
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
    description: 'ทำลายหนังสือ: marks the documents in variable "documentIds" (input "documentIds" overrides) destroyed in the instance\'s organisation, records each in the audit log, and deletes stored files no other document uses. Only in the shipped document_destruction process, and only documents of the destruction list approved for the instance. Safe to run again.',
    shippedOnly: ['document_destruction'],
    handler: async (call) => {
      const { input, variables, context } = call;
      await assertShippedProcess(call, ['document_destruction']);
      const ids = numberList(input.documentIds ?? variables.documentIds);
      if (!ids.length) throw new Error('No documents to destroy: variable "documentIds" is empty.');
      // The approved list (written by POST /retention/destruction-list/approve as it started the
      // instance) is the bound: variables can be changed before a retry, the list cannot.
      const approved = await DestructionItem.findAll({ where: { instanceId: context.instanceId, documentId: { [Op.in]: ids } }, attributes: ['documentId'] });
      const approvedIds = new Set(approved.map((a) => Number(a.documentId)));
      const outside = ids.filter((id) => !approvedIds.has(id));
      if (outside.length) throw new Error(`Documents ${outside.join(', ')} are not on the destruction list approved for instance ${context.instanceId}; nothing was destroyed.`);
      const initiator = (variables._initiator ?? null) as { userId?: number } | null;
      const result = await destroyDocuments(context.db, context.dataDir, {
        organisationId: context.organisationId, documentIds: ids, actorId: initiator?.userId ?? context.startedById, instanceId: context.instanceId,
        archivesLetterNumber: typeof variables.archivesLetterNumber === 'string' ? variables.archivesLetterNumber : null,
      });
      return { destroyedCount: result.destroyed.length, destroyedAt: new Date().toISOString() };
    },
  },
};

// No inherited names: a topic called "constructor" is not a topic.
export const SERVICE_TOPICS: Record<string, ServiceTopic> = Object.assign(Object.create(null) as Record<string, ServiceTopic>, topics);
