// The one set of React Query keys for a letter and what hangs off it. Everything that reads a
// letter (the document page, a task's letter) uses these, so one invalidation of
// `documentKeys.all(id)` (as completing a task does) refreshes every view of it.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { Attachment, DocumentRecord, Endorsement, LetterRoute } from './types';

export const documentKeys = {
  /** The letter and everything under it: the prefix to invalidate. */
  all: (id: number) => ['documents', id] as const,
  attachments: (id: number) => ['documents', id, 'attachments'] as const,
  endorsements: (id: number) => ['documents', id, 'endorsements'] as const,
  route: (id: number) => ['documents', id, 'route'] as const,
  versions: (id: number) => ['documents', id, 'versions'] as const,
};

export const useDocument = (id: number) => useQuery({ queryKey: documentKeys.all(id), queryFn: () => api.get<DocumentRecord>(`/documents/${id}`), retry: false });
export const useAttachments = (id: number) => useQuery({ queryKey: documentKeys.attachments(id), queryFn: () => api.get<{ items: Attachment[] }>(`/documents/${id}/attachments`) });
export const useEndorsements = (id: number) => useQuery({ queryKey: documentKeys.endorsements(id), queryFn: () => api.get<{ items: Endorsement[] }>(`/documents/${id}/endorsements`) });
/** Not everyone who reads a letter may follow its processes: a refusal is not retried. */
export const useLetterRoute = (id: number) => useQuery({ queryKey: documentKeys.route(id), queryFn: () => api.get<LetterRoute>(`/documents/${id}/route`), retry: false });
