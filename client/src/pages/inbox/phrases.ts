// An organisation's stock endorsement phrases (GET/PUT /organisations/:orgId/endorsement-phrases,
// server/modules/tasks/phrases.ts): read by the task view's decision form, edited on the admin page.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

export interface Phrase { id: number; decision: string; text: string }

/** Stands in a phrase for the unit chosen for มอบหมาย (the server's UNIT_PLACEHOLDER). */
export const UNIT_PLACEHOLDER = '{หน่วยงาน}';

export const phrasesKey = (orgId: number | undefined) => ['endorsement-phrases', orgId] as const;

export const usePhrases = (orgId: number | undefined) =>
  useQuery({ queryKey: phrasesKey(orgId), queryFn: () => api.get<{ items: Phrase[] }>(`/organisations/${orgId}/endorsement-phrases`), enabled: orgId != null, staleTime: 300_000, select: (d) => d.items });

/** The phrase as it goes into the endorsement: the unit's name in place of the placeholder once one is chosen. */
export const filledIn = (text: string, unitName: string | null) => (unitName ? text.split(UNIT_PLACEHOLDER).join(unitName) : text);
