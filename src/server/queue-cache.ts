/**
 * A short-lived cache of `GET /api/v1/queue` answers (a look at the next calls, nothing
 * leased). A user refreshing their next call asks the same question many times a minute;
 * planning it is far dearer than answering it again.
 *
 * An answer is kept for at most TTL_MS of the server's clock and is dropped as soon as any
 * event of its workspace passes on the event bus (an attempt logged, a lease, a snooze, a
 * do-not-call, a contact, enrollment or import change), so it crosses server processes on
 * PostgreSQL too. Writes made outside the server (the local CLI on the same database) show
 * within TTL_MS.
 */
import type { EventBus } from '../app/events.js';
import type { QueueItem } from '../contracts/queue.js';

export const QUEUE_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  workspaceId: number;
  items: QueueItem[];
  expiresAt: number;
}

export class QueueCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every event of a workspace: an answer planned across a bump is not kept. */
  private readonly generations = new Map<number, number>();
  private readonly unsubscribe: () => void;

  constructor(events: EventBus) {
    this.unsubscribe = events.subscribe((event) => this.dropWorkspace(event.workspaceId));
  }

  static key(userId: number, campaignId: number | null, limit: number): string {
    return `${userId}:${campaignId ?? '*'}:${limit}`;
  }

  get(key: string, now: number): QueueItem[] | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.items;
  }

  generation(workspaceId: number): number {
    return this.generations.get(workspaceId) ?? 0;
  }

  /** Keeps an answer planned while the workspace was at `generation`, unless it has moved since. */
  set(key: string, workspaceId: number, generation: number, items: QueueItem[], now: number): void {
    if (this.generation(workspaceId) !== generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { workspaceId, items, expiresAt: now + QUEUE_CACHE_TTL_MS });
  }

  dropWorkspace(workspaceId: number): void {
    this.generations.set(workspaceId, this.generation(workspaceId) + 1);
    for (const [key, entry] of this.entries) if (entry.workspaceId === workspaceId) this.entries.delete(key);
  }

  close(): void {
    this.unsubscribe();
    this.entries.clear();
  }
}
