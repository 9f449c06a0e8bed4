import { z } from '../../lib/openapi';
import { ProcessVariables } from '../../lib/variables';

export { ProcessVariables };

export const BpmnBody = z
  .object({
    xml: z.string().min(1).max(2_000_000).openapi({ description: 'BPMN 2.0 XML as drawn in bpmn-js or Camunda Modeler' }),
    activate: z.boolean().optional().openapi({ description: 'Make the new version the one new instances use (default true).' }),
    newProcess: z.boolean().optional().openapi({ description: 'The diagram is a new process (drawn from "new diagram"): refuse with 409 when its process id is already a process of my organisation or one above it, instead of deploying it as the next version.' }),
  })
  .strict()
  .openapi('BpmnDeployment');

export const ElementProblem = z.object({ elementId: z.string().nullable(), message: z.string() }).openapi('ElementProblem');

export const DefinitionVersion = z
  .object({ id: z.number().int(), version: z.number().int(), isActive: z.boolean(), deployedAt: z.string(), deployedById: z.number().int().nullable() })
  .openapi('DefinitionVersion');

export const DefinitionSummary = z
  .object({ key: z.string(), name: z.string().nullable(), organisationId: z.number().int(), inherited: z.boolean(), versions: z.array(DefinitionVersion) })
  .openapi('ProcessDefinition');

export const Deployed = z
  .object({ id: z.number().int(), key: z.string(), name: z.string().nullable(), version: z.number().int(), isActive: z.boolean(), organisationId: z.number().int() })
  .openapi('DeployedVersion');

const warnings = z.array(ElementProblem).openapi({ description: 'What deploys but is ignored or may stop an instance: unknown vendor attributes, Camunda settings the server has no use for, a gateway without a default flow.' });

/** A deployment: the new version, and the warnings of its validation. */
export const DeployResult = Deployed.extend({ warnings }).openapi('DeploymentResult');

export const ValidationResult = z.object({ valid: z.literal(true), key: z.string(), name: z.string().nullable(), warnings }).openapi('BpmnValidation');

export const keyVersionParams = z.object({
  key: z.string().min(1).max(128),
  version: z.coerce.number().int().positive().openapi({ type: 'integer' }),
});

export const StartInstanceBody = z
  .object({
    processKey: z.string().min(1).max(128),
    businessKey: z.string().max(128).optional(),
    documentId: z.number().int().positive().optional(),
    variables: ProcessVariables.optional(),
  })
  .strict()
  .openapi('StartInstance');

export const Task = z
  .object({
    id: z.number().int(),
    instanceId: z.number().int(),
    processKey: z.string(),
    elementId: z.string(),
    name: z.string(),
    title: z.string().nullable(),
    status: z.enum(['open', 'completed', 'cancelled']),
    assigneeUserId: z.number().int().nullable(),
    ownerUserId: z.number().int().nullable(),
    priority: z.number().int(),
    urgency: z.number().int().openapi({ description: '1 ปกติ, 2 ด่วน, 3 ด่วนมาก, 4 ด่วนที่สุด' }),
    dueAt: z.string().nullable(),
    overdue: z.boolean(),
    formKey: z.string().nullable(),
    documentId: z.number().int().nullable(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
    urgentBy: z.string().nullable().openapi({ description: "the letter's ด่วนภายใน deadline (inbox lists and a task's page; null elsewhere)" }),
    actingForPositionId: z.number().int().nullable().openapi({ description: 'the position I act for through which this task reached me (inbox lists; null: my own)' }),
  })
  .openapi('Task');

export const Instance = z
  .object({
    id: z.number().int(),
    definitionId: z.number().int(),
    processKey: z.string(),
    businessKey: z.string().nullable(),
    documentId: z.number().int().nullable(),
    status: z.enum(['running', 'completed', 'cancelled', 'failed']),
    version: z.number().int(),
    startedById: z.number().int().nullable(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
  })
  .openapi('ProcessInstance');

export const HistoryItem = z
  .object({
    id: z.number().int(),
    elementId: z.string().nullable(),
    name: z.string().nullable().openapi({ description: "the step's name in the process definition" }),
    elementType: z.string().nullable(),
    event: z.string(),
    taskId: z.number().int().nullable(),
    userId: z.number().int().nullable(),
    capacity: z.string().nullable(),
    forPositionId: z.number().int().nullable(),
    detail: z.unknown().nullable(),
    at: z.string(),
  })
  .openapi('HistoryItem');

export const IncidentSchema = z
  .object({ id: z.number().int(), instanceId: z.number().int(), elementId: z.string().nullable(), message: z.string(), status: z.enum(['open', 'resolved']), createdAt: z.string(), resolvedAt: z.string().nullable() })
  .openapi('Incident');
