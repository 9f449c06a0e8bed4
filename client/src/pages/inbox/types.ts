// Shapes of the task API's answers (server/modules/tasks/routes.ts).
export interface Task {
  id: number; instanceId: number; processKey: string; elementId: string; name: string; title: string | null;
  status: 'open' | 'completed' | 'cancelled'; assigneeUserId: number | null; priority: number; urgency: number;
  dueAt: string | null; overdue: boolean; documentId: number | null; createdAt: string; completedAt: string | null;
  /** The letter's ด่วนภายใน deadline; the position I act for through which the task reached me (null: my own). */
  urgentBy: string | null; actingForPositionId: number | null;
}
export interface FormField {
  id: string; label: string | null; type: 'string' | 'long' | 'boolean' | 'date' | 'enum' | string; required: boolean;
  values?: { id: string; name: string | null }[];
  /** camunda:formData constraints the server enforces (readonly: shown, never sent). */
  constraints?: { readonly?: boolean; minlength?: number; maxlength?: number; min?: number; max?: number };
}
export interface TaskDetail extends Task {
  formFields: FormField[];
  may: { claim: boolean; unclaim: boolean; complete: boolean; delegate: boolean; reassign: boolean };
  actingAs: { capacity: string; positionId: number | null };
}
export interface HistoryItem {
  id: number; elementId: string | null; name: string | null; event: string; taskId: number | null; userId: number | null; capacity: string | null;
  detail: { variables?: Record<string, unknown>; comment?: string } | null; at: string;
}
export const SORTS = ['urgency', 'priority', 'due', 'created'] as const;
/** A filter and sort set as saved on the server (server/modules/preferences/schemas.ts). */
export interface InboxFilters {
  tab: 'mine' | 'group'; q?: string; urgency?: number; overdue?: boolean; sort?: (typeof SORTS)[number]; scope?: string;
}
export interface SavedFilter { id: number; name: string; filters: InboxFilters; createdAt: string }
export interface ClaimResult { id: number; outcome: 'claimed' | 'taken' | 'refused' | 'not_found'; message: string | null; task: Task | null }
export interface TaskPage { items: Task[]; total: number }
