/**
 * `ringback appointments` — upcoming and recent phone appointments with their status; `ics ID`
 * prints one's invite; `reschedule ID --when TEXT`, `cancel ID`, `held ID`, `no-show ID` change
 * one (app/appointments.ts: the same checks as the API).
 */
import type { Command } from 'commander';
import {
  appointmentInvite,
  changeAppointment,
  inviteHost,
  listAppointments,
} from '../../app/appointments.js';
import type { AppointmentView } from '../../contracts/appointments.js';
import { type AppointmentChangeKind, STATUS_WORDS } from '../../core/appointments/lifecycle.js';
import { workspaceOfActor } from '../../store/workspace-repo.js';
import { resolveUser } from '../actor.js';
import { clockNow, positiveInt, printJson, printTable, withStore } from '../context.js';

function localTime(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(Date.parse(iso));
}

function printAppointments(list: AppointmentView[], zone: string): void {
  printTable(
    list.map((a) => ({
      id: a.id,
      when: localTime(a.startsAt, zone),
      contact: a.company ? `${a.contact} (${a.company})` : a.contact,
      with: a.user,
      status: STATUS_WORDS[a.status],
    })),
    ['id', 'when', 'contact', 'with', 'status'],
  );
}

const CHANGES: { name: string; change: AppointmentChangeKind; description: string }[] = [
  {
    name: 'cancel',
    change: 'cancel',
    description: 'cancel an appointment: its reminder stops and the contact is due a call',
  },
  { name: 'held', change: 'held', description: 'mark an appointment held: the call took place' },
  {
    name: 'no-show',
    change: 'no_show',
    description: 'mark an appointment a no-show: a put-off (rule 8), and the contact is due a call',
  },
];

export function registerAppointments(program: Command): void {
  const appointments = program
    .command('appointments')
    .description('phone appointments from a day ago on, with their status; and changing one')
    .option('--user <email>', 'only this user’s appointments')
    // Read by the subcommands too: commander takes a parent's options anywhere on the line.
    .option('--json', 'print JSON')
    .action(async (flags: { user?: string; json?: boolean }) => {
      const now = clockNow();
      const { list, zone } = await withStore(async (store) => {
        const only = flags.user ? await resolveUser(store, flags.user, now) : null;
        const workspace = await workspaceOfActor(store.db, only, now);
        return {
          list: await listAppointments(store, { user: only, only, now }),
          zone: only?.time_zone || workspace.time_zone,
        };
      });
      if (flags.json) printJson(list);
      else printAppointments(list, zone);
    });

  appointments
    .command('ics')
    .description('print an appointment’s invite (.ics) to add to a calendar')
    .argument('<id>', 'the appointment')
    .action(async (id: string) => {
      const now = clockNow();
      const ics = await withStore((store) =>
        appointmentInvite(store, {
          user: null,
          id: positiveInt('appointment', id),
          host: inviteHost(process.env.RINGBACK_PUBLIC_URL || undefined),
          now,
        }),
      );
      process.stdout.write(ics);
    });

  const printChanged = (changed: AppointmentView, json: boolean | undefined, zone: string) => {
    if (json) printJson(changed);
    else
      process.stdout.write(
        `Appointment ${changed.id} with ${changed.contact} is ${STATUS_WORDS[changed.status]}: ${localTime(changed.startsAt, zone)}.\n`,
      );
  };

  appointments
    .command('reschedule')
    .description('move an appointment to a new time; its reminder moves too')
    .argument('<id>', 'the appointment')
    .requiredOption('--when <text>', 'the new time, in words: "Friday 3pm"')
    .action(async (id: string, flags: { when: string }, command: Command) => {
      const now = clockNow();
      const { changed, zone } = await withStore(async (store) => ({
        changed: await changeAppointment(store, {
          user: null,
          id: positiveInt('appointment', id),
          change: 'reschedule',
          when: flags.when,
          now,
        }),
        zone: (await workspaceOfActor(store.db, null, now)).time_zone,
      }));
      printChanged(changed, command.optsWithGlobals().json, zone);
    });

  for (const { name, change, description } of CHANGES) {
    appointments
      .command(name)
      .description(description)
      .argument('<id>', 'the appointment')
      .action(async (id: string, _flags: unknown, command: Command) => {
        const now = clockNow();
        const { changed, zone } = await withStore(async (store) => ({
          changed: await changeAppointment(store, {
            user: null,
            id: positiveInt('appointment', id),
            change,
            now,
          }),
          zone: (await workspaceOfActor(store.db, null, now)).time_zone,
        }));
        printChanged(changed, command.optsWithGlobals().json, zone);
      });
  }
}
