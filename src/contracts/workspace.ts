/**
 * Limits of workspace settings, shared by the API, the CLI (local and remote) and the store.
 */

/** The longest appointment-reminder lead a workspace may set, in minutes (0 turns reminders off). */
export const MAX_REMINDER_MINUTES = 240;
