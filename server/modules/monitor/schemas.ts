import { z } from '../../lib/openapi';
import { paging } from '../../lib/route';
import { HistoryItem, IncidentSchema, Instance, Task } from '../workflow/schemas';

const id = z.coerce.number().int().positive().openapi({ type: 'integer' });
const ms = z.number().int().openapi({ description: 'milliseconds' });

export const keyParam = z.object({ key: z.string().min(1).max(128) });

/** Which part of the watcher's organisations a view covers, and which version of the process. */
export const ScopeQuery = z.object({
  organisationId: id.optional().openapi({ description: 'This organisation and those below it (default: all I may watch).' }),
  definitionId: id.optional().openapi({ description: 'One deployed version (default: all versions).' }),
});

export const WindowQuery = ScopeQuery.extend({
  window: z.enum(['hour', 'day', '30d']).default('day').openapi({ description: 'Tasks completed in the last hour, day or 30 days.' }),
});

export const OverdueQuery = z.object({
  organisationId: ScopeQuery.shape.organisationId,
  processKey: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10).openapi({ type: 'integer' }),
});

export const InstanceQuery = z.object({
  q: z.string().trim().max(200).optional().openapi({ description: 'Instance id, business key, or part of the letter subject or letter number.' }),
  status: z.enum(['running', 'ended', 'incident']).optional(),
  processKey: z.string().min(1).max(128).optional(),
  organisationId: ScopeQuery.shape.organisationId,
  ...paging,
});

const DefinitionRef = z.object({ id: z.number().int(), key: z.string(), name: z.string().nullable(), version: z.number().int(), organisationId: z.number().int() }).openapi('MonitorDefinition');

export const MonitoredProcesses = z
  .object({
    organisations: z.array(z.object({ id: z.number().int(), parentId: z.number().int().nullable(), nameTh: z.string() })),
    items: z.array(
      z.object({
        key: z.string(),
        name: z.string().nullable(),
        running: z.number().int(),
        versions: z.array(z.object({ definitionId: z.number().int(), version: z.number().int(), organisationId: z.number().int(), isActive: z.boolean(), deployedAt: z.string() })),
      }),
    ),
  })
  .openapi('MonitoredProcesses');

export const ActivityLoad = z
  .object({
    processKey: z.string(),
    definition: DefinitionRef.openapi({ description: 'The version drawn (the chosen one, or the active one).' }),
    at: z.string(),
    totals: z.object({ open: z.number().int(), overdue: z.number().int() }),
    items: z.array(
      z.object({
        elementId: z.string(),
        name: z.string(),
        inDiagram: z.boolean().openapi({ description: 'False for open work at an activity the drawn version no longer has.' }),
        open: z.number().int(),
        overdue: z.number().int(),
        oldestWaitingMs: ms.nullable(),
        averageWaitingMs: ms.nullable(),
      }),
    ),
  })
  .openapi('MonitorActivityLoad');

export const SlowestActivities = z
  .object({
    window: z.enum(['hour', 'day', '30d']),
    since: z.string(),
    items: z.array(z.object({ elementId: z.string(), name: z.string(), completed: z.number().int(), averageMs: ms, p90Ms: ms })),
  })
  .openapi('MonitorSlowestActivities');

export const OverdueHolders = z
  .object({
    people: z.array(z.object({ userId: z.number().int(), name: z.string(), unitName: z.string().nullable(), organisationId: z.number().int().nullable(), overdue: z.number().int(), longestOverdueMs: ms })),
    units: z.array(z.object({ unitId: z.number().int(), name: z.string(), organisationId: z.number().int().nullable(), overdue: z.number().int(), longestOverdueMs: ms })),
  })
  .openapi('MonitorOverdueHolders');

const DocumentRef = z.object({ id: z.number().int(), subject: z.string(), letterNumber: z.string().nullable(), receiveNumber: z.string().nullable().openapi({ description: 'เลขรับ/ส่ง in its register: number/B.E. year' }) }).nullable();
const Place = { organisationId: z.number().int(), organisationName: z.string().nullable() };

export const InstancePage = z
  .object({
    items: z.array(Instance.extend({ ...Place, definitionVersion: z.number().int().nullable(), openIncidents: z.number().int(), document: DocumentRef })),
    total: z.number().int(),
  })
  .openapi('MonitorInstances');

export const InstanceDetail = z
  .object({
    instance: Instance.extend(Place),
    definition: DefinitionRef,
    xml: z.string(),
    document: DocumentRef,
    path: z.array(z.object({ elementId: z.string(), elementType: z.string().nullable(), name: z.string().nullable(), at: z.string() })),
    activeElementIds: z.array(z.string()),
    history: z.array(HistoryItem.extend({ elementName: z.string().nullable(), userName: z.string().nullable() })),
    openTasks: z.array(Task.extend({ holder: z.string().nullable().openapi({ description: 'who holds it: the assignee, or whom it waits for (groups, units, positions, people)' }) })),
    incidents: z.array(IncidentSchema),
    canRetry: z.boolean().openapi({ description: 'I administer the organisation: I may retry its incidents (POST /workflow/incidents/:id/retry) and cancel the instance (POST /workflow/instances/:id/cancel).' }),
  })
  .openapi('MonitorInstance');
