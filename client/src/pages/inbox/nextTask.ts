// "งานถัดไป": after a task is done, the next one waiting in the inbox the worker came from, in the
// inbox's own order. The task's address keeps the inbox's filters and sort (/inbox/12?sort=due&…),
// so the same list is asked of the server (the same query the inbox page makes) and the task
// after the one just done in that list is the next; the first still waiting when none comes after.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { Task, TaskPage } from './types';

/** The inbox list the address describes: my tasks, or (tab=group&scope=kind:id) a group's. */
export function inboxListOf(params: URLSearchParams): { key: readonly unknown[]; path: string } {
  const search = new URLSearchParams({ sort: params.get('sort') || 'urgency', limit: '200' });
  const q = params.get('q')?.trim();
  if (q) search.set('q', q);
  if (params.get('urgency')) search.set('urgency', params.get('urgency')!);
  if (params.get('overdue') === '1') search.set('overdue', 'true');
  const [kind, id] = (params.get('scope') ?? '').split(':');
  if (params.get('tab') === 'group' && kind && id) {
    search.set('kind', kind);
    search.set('id', id);
    return { key: ['tasks', 'group', search.toString()], path: `/tasks/group?${search}` };
  }
  return { key: ['tasks', 'mine', search.toString()], path: `/tasks?${search}` };
}

/** The list as the inbox shows it (shared with the inbox's cache, refreshed when tasks change). */
export function useInboxList(params: URLSearchParams) {
  const { key, path } = inboxListOf(params);
  return useQuery({ queryKey: key, queryFn: () => api.get<TaskPage>(path) });
}

/** The task after `doneId` in the list as it was, among those still waiting now; else the first waiting. */
export function nextAfter(doneId: number, before: Task[], now: Task[]): Task | null {
  const waiting = now.filter((t) => t.id !== doneId && t.status === 'open');
  const at = before.findIndex((t) => t.id === doneId);
  const after = new Set(at < 0 ? [] : before.slice(at + 1).map((t) => t.id));
  return waiting.find((t) => after.has(t.id)) ?? waiting[0] ?? null;
}
