// Deliveries in the web app: the one set of React Query keys, and the live listener that re-reads
// them when the server says a delivery changed (delivery.sent, .arrived, .received, .rejected …).
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDebouncedCallback } from '@mantine/hooks';
import { api, ApiError } from '../../lib/api';
import type { Translate } from '../../i18n';
import { refusal } from '../registry/common';
import { useLiveEvents } from '../../lib/live';
import type { Delivery, List, Organisation } from '../../lib/types';

export const deliveryKeys = {
  /** Everything about deliveries: the prefix a live event invalidates. */
  all: ['deliveries'] as const,
  arrivals: ['deliveries', 'arrivals'] as const,
  ofDocument: (id: number) => ['deliveries', 'document', id] as const,
  outgoing: (olderThanHours: number | null) => ['deliveries', 'outgoing', olderThanHours] as const,
};

/** The tray: what is waiting (sent or arrived, not yet received), most urgent first, then oldest first. */
export const byUrgency = (a: Delivery, b: Delivery) => b.letter.urgencyLevel - a.letter.urgencyLevel || a.sentAt.localeCompare(b.sentAt) || a.id - b.id;

export const useArrivals = (enabled = true) =>
  useQuery({ queryKey: deliveryKeys.arrivals, queryFn: () => api.get<List<Delivery>>('/deliveries/arrivals?limit=500'), select: (d) => [...d.items].sort(byUrgency), enabled, retry: false });

export const useDocumentDeliveries = (documentId: number) =>
  useQuery({ queryKey: deliveryKeys.ofDocument(documentId), queryFn: () => api.get<List<Delivery>>(`/documents/${documentId}/deliveries`), select: (d) => d.items, retry: false });

/**
 * The organisation's sent deliveries, newest first; with `olderThanHours`, only those sent and not yet
 * received (rejected, returned or withdrawn) for more than that many hours.
 */
export const useOutgoing = (olderThanHours: number | null, enabled = true) =>
  useQuery({
    queryKey: deliveryKeys.outgoing(olderThanHours),
    queryFn: () => api.get<List<Delivery>>(`/deliveries/outgoing?limit=500${olderThanHours === null ? '' : `&pending=true&olderThanHours=${olderThanHours}`}`),
    select: (d) => d.items,
    enabled,
    retry: false,
    placeholderData: keepPreviousData,
  });

/** The deployment's directory (GET /api/organisations is open to every signed-in user): the active ones. */
export const useOrganisations = (enabled = true) =>
  useQuery({ queryKey: ['organisations', 'directory'], queryFn: () => api.get<List<Organisation>>('/organisations'), select: (d) => d.items.filter((o) => o.active), enabled, staleTime: 60_000 });

/**
 * Keeps every delivery view fresh: one listener for the tab (the navigation's arrivals count mounts it
 * for registry clerks and the custodian, who are the ones sending and receiving), which re-reads the
 * deliveries queries on any delivery event. Several events come together (a circular to 50 offices),
 * so one re-read after a short pause.
 */
export function useDeliveriesLive(): boolean {
  const queryClient = useQueryClient();
  const reload = useDebouncedCallback(() => void queryClient.invalidateQueries({ queryKey: deliveryKeys.all }), 200);
  return useLiveEvents((event) => {
    if (event.type.startsWith('delivery.')) reload();
  }, reload);
}

/**
 * A refused delivery request in the user's language with the server's own words: a 409 here is not an
 * edit conflict but "already accepted by …", "already sent to …", and a 403 says why it may not be sent.
 */
export function deliveryRefusal(error: unknown, t: Translate): string | null {
  if (error instanceof ApiError && (error.status === 409 || error.status === 403)) return `${t('delivery.refused')}: ${error.message}`;
  return refusal(error, t);
}
