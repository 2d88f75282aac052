/**
 * Users and roles. A manager sees who is in the workspace; an admin adds people (with a
 * starting password shown once, to hand over), changes their role and team, deactivates them
 * (signed out everywhere, tokens revoked) or brings them back with a new starting password,
 * and adds teams. An admin's own row cannot be demoted or deactivated.
 */
import { type FormEvent, useState } from 'react';
import type { ManagedUser, TeamJson } from '../../../src/contracts/settings.js';
import { post, request } from '../api/client.js';
import type { Role } from '../api/types.js';
import { useGet } from '../use-api.js';
import { SaveStatus, useSave } from './use-save.js';

const ROLES: Role[] = ['rep', 'manager', 'admin'];
const ROLE_WORDS: Record<Role, string> = {
  rep: 'Rep — their own contacts',
  manager: 'Manager — their team’s',
  admin: 'Admin — the whole workspace',
};

/** A password to hand over: 16 characters from a 56-letter alphabet without look-alikes. */
export function startingPassword(
  random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
) {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from(random(16), (b) => alphabet[b % alphabet.length]).join('');
}

export function UsersTable({
  users,
  teams,
  meId,
  canEdit,
  onChange,
}: {
  users: ManagedUser[];
  teams: TeamJson[];
  meId: number;
  canEdit: boolean;
  onChange: (id: number, update: Record<string, unknown>, done: string) => void;
}) {
  const teamName = (id: number | null) => teams.find((t) => t.id === id)?.name ?? '—';
  return (
    <table className="table users">
      <caption className="visually-hidden">People in this workspace</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Role</th>
          <th scope="col">Team</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => {
          const me = u.id === meId;
          const who = u.name || u.email;
          return (
            <tr key={u.id} className={u.active ? undefined : 'inactive'}>
              <td>
                {who}
                {me ? <span className="muted small"> (you)</span> : null}
                <br />
                <span className="muted small">{u.email}</span>
              </td>
              <td>
                {canEdit && !me && u.active ? (
                  <select
                    aria-label={`Role of ${who}`}
                    value={u.role}
                    onChange={(e) =>
                      onChange(u.id, { role: e.target.value }, `${who} is now ${e.target.value}.`)
                    }
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                ) : (
                  u.role
                )}
              </td>
              <td>
                {canEdit && u.active ? (
                  <select
                    aria-label={`Team of ${who}`}
                    value={u.teamId ?? ''}
                    onChange={(e) =>
                      onChange(
                        u.id,
                        { teamId: e.target.value === '' ? null : Number(e.target.value) },
                        `${who} moved to ${e.target.value === '' ? 'no team' : teamName(Number(e.target.value))}.`,
                      )
                    }
                  >
                    <option value="">No team</option>
                    {teams.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.name}
                      </option>
                    ))}
                  </select>
                ) : (
                  teamName(u.teamId)
                )}
              </td>
              <td>
                {u.active ? 'Active' : <strong>Deactivated</strong>}
                {canEdit && !me ? (
                  <>
                    {' '}
                    {u.active ? (
                      <button
                        type="button"
                        onClick={() =>
                          onChange(u.id, { active: false }, `${who} is deactivated and signed out.`)
                        }
                      >
                        Deactivate <span className="visually-hidden">{who}</span>
                      </button>
                    ) : (
                      <button
                        type="button"
                        onClick={() => {
                          const password = startingPassword();
                          onChange(
                            u.id,
                            { active: true, password },
                            `${who} is back. Their new starting password, shown once: ${password}`,
                          );
                        }}
                      >
                        Reactivate <span className="visually-hidden">{who}</span>
                      </button>
                    )}
                  </>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function AddUserForm({ teams, onAdded }: { teams: TeamJson[]; onAdded: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('rep');
  const [teamId, setTeamId] = useState('');
  const save = useSave();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const password = startingPassword();
    const body = { email, name, role, password, teamId: teamId === '' ? null : Number(teamId) };
    if (
      await save.run(
        () => post('/api/v1/users', body),
        `Added ${name || email}. Their starting password, shown once — hand it over and ask them to keep it safe: ${password}`,
      )
    ) {
      setEmail('');
      setName('');
      onAdded();
    }
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Add a user">
      <h3>Add a user</h3>
      <div className="field-row">
        <div className="field grow">
          <label htmlFor="new-user-email">Email</label>
          <input
            id="new-user-email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field grow">
          <label htmlFor="new-user-name">Name</label>
          <input id="new-user-name" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
      </div>
      <div className="field-row">
        <div className="field grow">
          <label htmlFor="new-user-role">Role</label>
          <select id="new-user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_WORDS[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor="new-user-team">Team</label>
          <select id="new-user-team" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            <option value="">No team</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <SaveStatus message={save.message} />
      <button type="submit" className="primary" disabled={save.busy}>
        Add user
      </button>
    </form>
  );
}

function AddTeamForm({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState('');
  const save = useSave();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await save.run(() => post('/api/v1/teams', { name }), `Team ${name} added.`)) {
      setName('');
      onAdded();
    }
  };
  return (
    <form className="field-row" onSubmit={submit} aria-label="Add a team">
      <div className="field grow">
        <label htmlFor="new-team">New team</label>
        <input id="new-team" required value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <button type="submit" disabled={save.busy}>
        Add team
      </button>
      <SaveStatus message={save.message} />
    </form>
  );
}

export function UsersSection({ meId, isAdmin }: { meId: number; isAdmin: boolean }) {
  const users = useGet<{ users: ManagedUser[] }>('/api/v1/users');
  const teams = useGet<{ teams: TeamJson[] }>('/api/v1/teams');
  const save = useSave();
  const reload = () => {
    if (users.state === 'ready') users.reload();
    if (teams.state === 'ready') teams.reload();
  };
  const change = async (id: number, update: Record<string, unknown>, done: string) => {
    if (await save.run(() => request('PATCH', `/api/v1/users/${id}`, { body: update }), done)) reload();
  };
  const teamList = teams.state === 'ready' ? teams.data.teams : [];
  return (
    <section className="card stack" aria-labelledby="users">
      <h2 id="users">Users and roles</h2>
      <p className="muted small">
        Reps see and call their own contacts, managers their team’s, admins the whole workspace and these
        settings.
      </p>
      {users.state === 'error' ? (
        <p className="error-text" role="alert">
          ⚠ {users.message}
        </p>
      ) : null}
      <SaveStatus message={save.message} />
      {users.state === 'ready' ? (
        <div className="table-scroll">
          <UsersTable
            users={users.data.users}
            teams={teamList}
            meId={meId}
            canEdit={isAdmin}
            onChange={(id, update, done) => void change(id, update, done)}
          />
        </div>
      ) : null}
      {isAdmin ? (
        <>
          <AddUserForm teams={teamList} onAdded={reload} />
          <AddTeamForm onAdded={reload} />
        </>
      ) : null}
    </section>
  );
}
