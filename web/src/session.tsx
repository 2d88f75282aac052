/**
 * Who is signed in, for every page: loaded from /api/v1/me at start, set by the sign-in page,
 * cleared by signing out or by any 401. The session's CSRF token comes with it and is kept in
 * memory (api/client.ts), never in storage: a reload asks /api/v1/me again.
 */
import { createContext, useContext } from 'react';
import { get, rememberCsrf } from './api/client.js';
import type { User } from './api/types.js';

/** The signed-in user, their CSRF token remembered for writes; rejects when signed out. */
export async function loadSession(): Promise<User> {
  const me = await get<{ user: User; csrfToken: string | null }>('/api/v1/me');
  rememberCsrf(me.csrfToken);
  return me.user;
}

export interface Session {
  user: User;
  signOut: () => Promise<void>;
  /** The user changed one of their own settings (keyboard shortcuts). */
  updateUser: (user: User) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
