/**
 * What the API sends, as the web app sees it. Shapes the server declares in src/contracts are
 * imported from there (types only: no zod reaches the bundle); the rest mirror the route
 * schemas in src/server until they move to contracts.
 */
export type { ContactDetail, ContactSummary } from '../../../src/contracts/contacts.js';
export type { ImportSummary, ImportUndo } from '../../../src/contracts/import-summary.js';
export type { StatsJson } from '../../../src/contracts/insights.js';
export type { LogResult, QueueItem, SkipResult, UndoResult } from '../../../src/contracts/queue.js';
export type { BlockSummary } from '../../../src/contracts/screening.js';
export type { TimelineEntry, TimelineJson } from '../../../src/contracts/timeline.js';
export type { Outcome } from '../../../src/core/cadence/types.js';

export type Role = 'rep' | 'manager' | 'admin';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  workspaceId: number;
  teamId: number | null;
  /** False: the block page's single-key shortcuts are off. */
  keyboardShortcuts: boolean;
}

export interface SignInResult {
  user: User;
  csrfToken: string;
}

export interface ApiToken {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** RFC 9457, as src/server/problem.ts writes it. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: { path: string; message: string }[];
}

export type ContactNumber = import('../../../src/contracts/contacts.js').ContactDetail['numbers'][number];

/** POST /api/v1/blocks (src/server/routes/blocks.ts). */
export interface StartedBlock {
  block: { id: number; startedAt: string; plannedEndAt: string };
}
