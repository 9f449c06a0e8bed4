// Who is signed in, and in which capacity they act. The chosen capacity stays in the browser
// and goes with every request as X-Acting-Capacity (the server will use it with the runtime).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import * as client from './api';
import type { Capacity, Me } from './types';

interface Auth {
  /** True while the page load asks the server (through the refresh cookie) whether we are signed in. */
  restoring: boolean;
  signedIn: boolean;
  me: Me | undefined;
  loadingMe: boolean;
  capacity: Capacity | undefined;
  setCapacity: (positionId: number) => void;
  isAdmin: boolean;
  isDesigner: boolean;
  /** May open the monitor: executives, administrators, process designers. */
  isWatcher: boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [tokens, setTokens] = useState(client.currentTokens());
  const [restoring, setRestoring] = useState(true);
  const [capacityId, setCapacityId] = useState<number | null>(client.actingCapacity());

  useEffect(() => client.onTokens(setTokens), []);
  useEffect(() => {
    void client.restoreSession().then(() => {
      setTokens(client.currentTokens());
      setRestoring(false);
    });
  }, []);

  // Refresh the access token a minute before it expires, so a page left open stays signed in.
  const expiresAt = tokens?.expiresAt;
  useEffect(() => {
    if (!expiresAt) return;
    const wait = Math.max(5_000, expiresAt - Date.now() - client.REFRESH_MARGIN_MS);
    const timer = window.setTimeout(() => void client.refresh(), wait);
    return () => window.clearTimeout(timer);
  }, [expiresAt]);

  const signedIn = tokens != null;
  const meQuery = useQuery({ queryKey: ['me'], queryFn: () => client.api.get<Me>('/me'), enabled: signedIn, staleTime: 60_000 });
  const me = signedIn ? meQuery.data : undefined;

  useEffect(() => {
    if (!signedIn) queryClient.clear();
  }, [signedIn, queryClient]);

  // A capacity that ended (delegation revoked or expired) is forgotten, so it is no longer sent.
  useEffect(() => {
    if (me && capacityId != null && !me.capacities.some((c) => c.positionId === capacityId)) {
      client.setActingCapacity(null);
      setCapacityId(null);
    }
  }, [me, capacityId]);

  const capacity = useMemo(() => {
    if (!me) return undefined;
    return me.capacities.find((c) => c.positionId === capacityId) ?? me.capacities.find((c) => c.capacity === 'self') ?? me.capacities[0];
  }, [me, capacityId]);

  const setCapacity = useCallback((positionId: number) => {
    client.setActingCapacity(positionId);
    setCapacityId(positionId);
  }, []);

  const value = useMemo<Auth>(() => {
    const roles = new Set(me?.user.roles ?? []);
    return {
      restoring,
      signedIn,
      me,
      loadingMe: signedIn && meQuery.isLoading,
      capacity,
      setCapacity,
      isAdmin: roles.has('system_admin'),
      isDesigner: roles.has('process_designer') || roles.has('system_admin'),
      isWatcher: roles.has('executive') || roles.has('system_admin') || roles.has('process_designer'),
      login: async (username, password) => {
        client.setActingCapacity(null);
        setCapacityId(null);
        await client.login(username, password);
      },
      logout: async () => {
        await client.logout();
        setCapacityId(null);
      },
    };
  }, [restoring, signedIn, me, meQuery.isLoading, capacity, setCapacity]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
