/**
 * Starts test/support/webhook-receiver.mjs as its own process: what it received, as it saw it
 * (verified with the standardwebhooks library or not), and a way to set what each path answers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./webhook-receiver.mjs', import.meta.url));

export type ReceiverMode = 'ok' | 'fail' | 'retry-after' | 'hang';

export interface Received {
  path: string;
  id: string;
  type: string;
  verified: boolean;
  status: number;
  at: number;
  data: Record<string, unknown>;
}

export interface Receiver {
  /** The receiver's address, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  child: ChildProcess;
  /** Sets what `path` answers and the secret it verifies with. */
  set(path: string, endpoint: { secret?: string; mode?: ReceiverMode }): void;
  received(): Received[];
  /** Resolves once `done(received)` holds; rejects after `timeoutMs`, saying what arrived. */
  waitFor(done: (received: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const dir = mkdtempSync(join(tmpdir(), 'ringback-receiver-'));
  const configFile = join(dir, 'config.json');
  const config: Record<string, { secret?: string; mode?: ReceiverMode }> = {};
  writeFileSync(configFile, '{}');
  const child = spawn(process.execPath, [SCRIPT, configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Received[] = [];
  let buffer = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the receiver exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const part of parts) {
        const listening = /^listening (\d+)$/.exec(part);
        if (listening) resolve(Number(listening[1]));
        else if (part.startsWith('{')) lines.push(JSON.parse(part) as Received);
      }
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    set(path, endpoint) {
      config[path] = { ...config[path], ...endpoint };
      writeFileSync(configFile, JSON.stringify(config));
    },
    received: () => [...lines],
    async waitFor(done, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (!done(lines)) {
        if (Date.now() > until) {
          throw new Error(
            `the receiver did not get what was awaited; it got ${lines.length}: ${JSON.stringify(lines.slice(-5))}`,
          );
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      return [...lines];
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
