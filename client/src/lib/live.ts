// Live updates over Socket.io (server/modules/notify/README.md): one socket per signed-in tab, shared by every listener,
// with a fresh access token on each (re)connect and the last event id seen, so nothing is missed.
// Events only say that something changed; the page re-reads it through the REST API.
//
// The server closes a socket when its token expires and at once when the user's sessions end
// (password change, logout everywhere, account disabled). Socket.io does not reconnect after a
// close or a refusal by the server, so this module does: first with the token the tab has now
// (a password change made in this tab brings its own new token), and only if that is refused does
// it wait briefly for a token on its way (the password change's answer) and then ask for one
// through the refresh cookie. A refresh the server refuses signs the tab out (api.ts), and a tab
// without a token is never reconnected.
import { useEffect, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import { currentTokens, onTokens, refresh } from './api';

export interface LiveEvent {
  id: number;
  type: string;
  subject: { type: string; id: number };
  summary?: Record<string, unknown>;
  /** Processes whose monitor the event changes (for managers watching them). */
  processKeys?: string[];
}

const LAST_KEY = 'saraban.lastEventId';
/** How long a refused handshake waits for a token already on its way before refreshing. */
const TOKEN_GRACE_MS = 2_000;
const MAX_BACKOFF_MS = 60_000;

interface Listener {
  onEvent: (event: LiveEvent) => void;
  onResync: () => void;
  onConnected: (connected: boolean) => void;
}
/** Every page part listening in this tab (inbox, nav counts, monitor) shares one socket. */
const listeners = new Set<Listener>();
let shared: { connected: boolean; close: () => void } | null = null;

function openShared(): () => void {
  let last = Number(sessionStorage.getItem(LAST_KEY)) || undefined;
  let closed = false;
  /** The token the last handshake carried. */
  let sentToken: string | undefined;
  /** Refused handshakes in a row (for the back-off), reset by a connection. */
  let refusals = 0;
  let timer: number | undefined;
  const socket = io({
    transports: ['websocket'],
    auth: (cb) => {
      sentToken = currentTokens()?.accessToken;
      cb({ token: sentToken, lastEventId: last });
    },
  });
  const later = (fn: () => void, ms: number) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(fn, ms);
  };
  /** Connects again with the tab's current token, unless signed out, closed or already connecting. */
  const reconnect = () => {
    if (closed || !currentTokens() || socket.connected || socket.active) return;
    socket.connect(); // the handshake sends the last event id seen: the server replays what was missed
  };
  /** The server refused the token it was sent: a newer one, else one through the refresh cookie. */
  const afterRefusal = () => {
    refusals++;
    const refused = sentToken;
    const newer = () => currentTokens() != null && currentTokens()!.accessToken !== refused;
    if (newer()) return later(reconnect, 0);
    // Refused again after a refresh: wait longer each time (a server that refuses every token).
    later(() => {
      if (closed || !currentTokens()) return;
      if (newer()) return reconnect();
      void refresh().then((tokens) => {
        // null: the session ended (the tab is signed out); never reconnect a signed-out tab.
        if (tokens && !closed) reconnect();
      });
    }, Math.min(MAX_BACKOFF_MS, TOKEN_GRACE_MS * 2 ** Math.min(refusals - 1, 6)));
  };
  socket.on('connect', () => {
    refusals = 0;
    shared!.connected = true;
    for (const l of [...listeners]) l.onConnected(true);
  });
  socket.on('disconnect', (reason) => {
    if (shared) shared.connected = false;
    for (const l of [...listeners]) l.onConnected(false);
    // Closed by the server (token expired, session ended): Socket.io leaves it closed.
    if (reason === 'io server disconnect') later(reconnect, 0);
  });
  socket.on('event', (e: LiveEvent) => {
    if (last !== undefined && e.id <= last) return; // seen already (a reconnect may repeat one)
    last = e.id;
    sessionStorage.setItem(LAST_KEY, String(e.id));
    for (const l of [...listeners]) l.onEvent(e);
  });
  socket.on('resync', () => {
    for (const l of [...listeners]) l.onResync();
  });
  socket.on('connect_error', () => {
    // A refusal by the server (socket.active false) is not retried by Socket.io; a network
    // failure is, by Socket.io itself.
    if (!socket.active) afterRefusal();
  });
  // Signed out in this tab or another: the socket closes; a new sign-in reconnects it.
  const stopTokens = onTokens((tokens) => {
    if (!tokens) socket.disconnect();
    else if (tokens.accessToken !== sentToken && !socket.connected && !socket.active) later(reconnect, 0);
  });
  return () => {
    closed = true;
    window.clearTimeout(timer);
    stopTokens();
    socket.close();
  };
}

/** Calls onEvent for each new event addressed to me, and onResync when too far behind to replay. */
export function useLiveEvents(onEvent: (event: LiveEvent) => void, onResync: () => void): boolean {
  const [connected, setConnected] = useState(() => shared?.connected ?? false);
  const handlers = useRef({ onEvent, onResync });
  useEffect(() => {
    handlers.current = { onEvent, onResync };
  });
  useEffect(() => {
    const listener: Listener = { onEvent: (e) => handlers.current.onEvent(e), onResync: () => handlers.current.onResync(), onConnected: setConnected };
    listeners.add(listener);
    if (!shared) {
      shared = { connected: false, close: () => undefined };
      shared.close = openShared();
    } else setConnected(shared.connected);
    return () => {
      listeners.delete(listener);
      if (!listeners.size && shared) {
        const s = shared;
        shared = null;
        s.close();
      }
    };
  }, []);
  return connected;
}
