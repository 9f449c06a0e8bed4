// Service tasks are external tasks (camunda:type="external" camunda:topic="…") run by the server
// from the job table, never inline code. Each topic is a function of the task's inputs and the
// process variables; a thrown error becomes a retry, then an incident an administrator can retry.

export interface ServiceCall {
  topic: string;
  /** camunda:inputParameter values, expressions already resolved. */
  input: Record<string, unknown>;
  variables: Record<string, unknown>;
}

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
};
