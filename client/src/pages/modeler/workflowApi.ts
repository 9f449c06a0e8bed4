// The workflow definitions API (issue 3's contract). Until the server has it, its calls
// answer 404 and the modeler says so instead of failing.
import { api } from '../../lib/api';

export interface DefinitionVersion {
  id: number | string;
  version: number;
  isActive: boolean;
  deployedAt: string;
}
export interface Definition {
  key: string;
  name: string | null;
  versions: DefinitionVersion[];
}

export interface ElementRef {
  id: string;
  type: string;
  name: string | null;
}
export interface VersionComparison {
  key: string;
  from: number;
  to: number;
  added: ElementRef[];
  removed: ElementRef[];
  changed: Array<ElementRef & { changes: Array<{ field: string; from: string | null; to: string | null }> }>;
}

export const workflowApi = {
  list: () => api.get<{ items: Definition[] }>('/workflow/definitions'),
  xml: (key: string, version: number) => api.text(`/workflow/definitions/${encodeURIComponent(key)}/versions/${version}/xml`),
  validate: (xml: string, newProcess = false) => api.post<{ valid: true }>('/workflow/definitions/validate', { xml, ...(newProcess ? { newProcess } : {}) }),
  compare: (key: string, from: number, to: number) => api.get<VersionComparison>(`/workflow/definitions/${encodeURIComponent(key)}/compare?from=${from}&to=${to}`),
  /** `newProcess`: drawn from "แผนภาพใหม่", so the server refuses (409) an id that is already a process. */
  deploy: (xml: string, newProcess = false) => api.post<{ key: string; version: number; id: number | string }>('/workflow/definitions', { xml, ...(newProcess ? { newProcess } : {}) }),
};
