// The monitor's reads (server/modules/monitor): shapes and fetchers.
import { api } from '../../lib/api';

export type Window = 'hour' | 'day' | '30d';
export const WINDOWS: Window[] = ['hour', 'day', '30d'];

export interface Scope {
  organisationId?: number;
  definitionId?: number;
}

export interface MonitoredProcesses {
  organisations: Array<{ id: number; parentId: number | null; nameTh: string }>;
  items: Array<{ key: string; name: string | null; running: number; versions: Array<{ definitionId: number; version: number; organisationId: number; isActive: boolean; deployedAt: string }> }>;
}

export interface DefinitionRef {
  id: number;
  key: string;
  name: string | null;
  version: number;
  organisationId: number;
}

export interface ActivityLoad {
  processKey: string;
  definition: DefinitionRef;
  at: string;
  totals: { open: number; overdue: number };
  items: Array<{ elementId: string; name: string; inDiagram: boolean; open: number; overdue: number; oldestWaitingMs: number | null; averageWaitingMs: number | null }>;
}

export interface SlowestActivities {
  window: Window;
  since: string;
  items: Array<{ elementId: string; name: string; completed: number; averageMs: number; p90Ms: number }>;
}

export interface OverdueHolders {
  people: Array<{ userId: number; name: string; unitName: string | null; overdue: number; longestOverdueMs: number }>;
  units: Array<{ unitId: number; name: string; overdue: number; longestOverdueMs: number }>;
}

export type InstanceStatus = 'running' | 'completed' | 'cancelled' | 'failed';
export interface MonitorInstance {
  id: number;
  processKey: string;
  businessKey: string | null;
  status: InstanceStatus;
  startedAt: string;
  endedAt: string | null;
  organisationId: number;
  organisationName: string | null;
  definitionVersion: number | null;
  openIncidents: number;
  document: { id: number; subject: string; letterNumber: string | null; receiveNumber: string | null } | null;
}

export interface HistoryItem {
  id: number;
  elementId: string | null;
  elementName: string | null;
  event: string;
  userName: string | null;
  capacity: string | null;
  detail: unknown;
  at: string;
}

export interface Incident {
  id: number;
  elementId: string | null;
  message: string;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
}

export interface InstanceDetail {
  instance: Omit<MonitorInstance, 'definitionVersion' | 'openIncidents' | 'document'>;
  definition: DefinitionRef;
  xml: string;
  document: MonitorInstance['document'];
  path: Array<{ elementId: string; elementType: string | null; name: string | null; at: string }>;
  activeElementIds: string[];
  history: HistoryItem[];
  openTasks: Array<{ id: number; elementId: string; name: string; createdAt: string; dueAt: string | null; overdue: boolean; assigneeUserId: number | null; holder: string | null }>;
  incidents: Incident[];
  canRetry: boolean;
}

const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
};

export const monitorApi = {
  processes: () => api.get<MonitoredProcesses>('/monitor/processes'),
  xml: (definitionId: number) => api.text(`/monitor/definitions/${definitionId}/xml`),
  activities: (key: string, scope: Scope) => api.get<ActivityLoad>(`/monitor/processes/${encodeURIComponent(key)}/activities${query({ ...scope })}`),
  slowest: (key: string, scope: Scope, window: Window) => api.get<SlowestActivities>(`/monitor/processes/${encodeURIComponent(key)}/slowest${query({ ...scope, window })}`),
  overdue: (key: string, scope: Scope) => api.get<OverdueHolders>(`/monitor/overdue${query({ processKey: key, organisationId: scope.organisationId, limit: 10 })}`),
  instances: (params: { processKey?: string; organisationId?: number; q?: string; status?: string; limit: number; offset: number }) =>
    api.get<{ items: MonitorInstance[]; total: number }>(`/monitor/instances${query(params)}`),
  instance: (id: number) => api.get<InstanceDetail>(`/monitor/instances/${id}`),
  retry: (incidentId: number) => api.post<Incident>(`/workflow/incidents/${incidentId}/retry`),
  cancel: (instanceId: number, reason: string) => api.post<unknown>(`/workflow/instances/${instanceId}/cancel`, { reason }),
};
