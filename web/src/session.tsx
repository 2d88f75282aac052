/**
 * Who is signed in, for every page: loaded from /api/v1/me at start, set by the sign-in page,
 * cleared by signing out or by any 401.
 */
import { createContext, useContext } from 'react';
import type { User } from './api/types.js';

export interface Session {
  user: User;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
