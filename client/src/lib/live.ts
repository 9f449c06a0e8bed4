// Live updates over Socket.io (server/modules/notify/README.md): one socket per signed-in tab,
// with a fresh access token on each (re)connect and the last event id seen, so nothing is missed.
// Events only say that something changed; the page re-reads it through the REST API.
import { useEffect, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import { currentTokens, refresh } from './api';

export interface LiveEvent {
  id: number;
  type: string;
  subject: { type: string; id: number };
  summary?: Record<string, unknown>;
  /** Processes whose monitor the event changes (for managers watching them). */
  processKeys?: string[];
}

const LAST_KEY = 'saraban.lastEventId';

/** Calls onEvent for each new event addressed to me, and onResync when too far behind to replay. */
export function useLiveEvents(onEvent: (event: LiveEvent) => void, onResync: () => void): boolean {
  const [connected, setConnected] = useState(false);
  const handlers = useRef({ onEvent, onResync });
  useEffect(() => {
    handlers.current = { onEvent, onResync };
  });
  useEffect(() => {
    let last = Number(sessionStorage.getItem(LAST_KEY)) || undefined;
    const socket = io({
      transports: ['websocket'],
      auth: (cb) => cb({ token: currentTokens()?.accessToken, lastEventId: last }),
    });
    socket.on('connect', () => setConnected(true));
    socket.on('disconnect', () => setConnected(false));
    socket.on('event', (e: LiveEvent) => {
      if (last !== undefined && e.id <= last) return; // seen already (a reconnect may repeat one)
      last = e.id;
      sessionStorage.setItem(LAST_KEY, String(e.id));
      handlers.current.onEvent(e);
    });
    socket.on('resync', () => handlers.current.onResync());
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      // An expired token: refresh it, and Socket.io's own reconnection sends the new one.
      if (err.data?.code === 'token_expired' || err.data?.code === 'invalid_token') void refresh();
    });
    return () => {
      socket.close();
    };
  }, []);
  return connected;
}
