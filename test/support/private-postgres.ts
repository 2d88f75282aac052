/**
 * A PostgreSQL server of a test's own, on its own port and data directory, that the test may
 * stop, kill, pause and start again without touching the shared server other tests use.
 * Its binaries come with Debian's postgresql package (scripts/ensure-postgres.sh installs it);
 * as root they run as the `postgres` OS user, which owns the directory.
 *
 *   const pg = await startPrivatePostgres();
 *   await pg.stop('immediate'); await pg.start();
 *   await pg.destroy();          // also run at exit, so a failed test leaves no server behind
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  start(): Promise<void>;
  /** pg_ctl stop: `immediate` is a crash (no shutdown checkpoint), `fast` a normal stop. */
  stop(mode: 'immediate' | 'fast'): Promise<void>;
  /** SIGSTOP (pause) or SIGCONT (resume) to the server and every backend: a stalled database. */
  signal(which: 'SIGSTOP' | 'SIGCONT'): void;
  destroy(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`no PostgreSQL server binaries under ${root}: run scripts/ensure-postgres.sh`);
  }
  return join(root, versions[0]!, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'ringback-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const pgTool = async (tool: string, args: string[]) => {
    const [file, argv] = command(tool, args);
    return run(file, argv, { cwd: dir, timeout: 60_000 });
  };

  await pgTool('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=40 -c shared_buffers=16MB`;
  const start = async () => {
    await pgTool('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  };
  const stop = async (mode: 'immediate' | 'fast') => {
    await pgTool('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
  };
  const postmasterPid = (): number | undefined => {
    const file = join(data, 'postmaster.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  };
  let destroyed = false;
  // Synchronous, so it also runs from the exit handler of a test process that fails hard.
  const killNow = () => {
    if (destroyed) return;
    destroyed = true;
    const pid = postmasterPid();
    try {
      if (pid !== undefined) {
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGQUIT');
      }
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killNow);
  try {
    await start();
  } catch (error) {
    killNow();
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    signal: (which) => {
      const pid = postmasterPid();
      if (pid === undefined) throw new Error('the private PostgreSQL server is not running');
      signalAll(pid, which);
    },
    destroy: async () => {
      process.removeListener('exit', killNow);
      if (postmasterPid() !== undefined) {
        try {
          signalAll(postmasterPid()!, 'SIGCONT');
          await stop('immediate');
        } catch {
          // killNow below makes sure.
        }
      }
      killNow();
    },
  };
}

/** The server and its backends. */
function signalAll(postmaster: number, which: NodeJS.Signals): void {
  // From /proc rather than pgrep, which a slim Debian lacks.
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": the name may hold spaces, so read after its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) children.push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  for (const pid of [postmaster, ...children]) {
    try {
      process.kill(pid, which);
    } catch {
      // Exited meanwhile.
    }
  }
}
