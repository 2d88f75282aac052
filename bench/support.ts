/**
 * Shared benchmark plumbing: timing child processes, peak memory, and writing results.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TMP = `${ROOT}bench/tmp`;
export const RESULTS = `${ROOT}bench/results`;
export const CLI = `${ROOT}dist/cli/main.js`;
const MAX_RSS = `${ROOT}bench/max-rss.mjs`;

export interface Timed {
  seconds: number;
  maxRssMb: number | null;
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command to completion and times it; node commands also report peak memory. */
export function timeCommand(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<Timed> {
  const isNode = command === process.execPath;
  const fullArgs = isNode ? ['--import', MAX_RSS, ...args] : args;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, fullArgs, {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const m = /BENCH_MAX_RSS_KB=(\d+)/.exec(stderr);
      resolve({ seconds, maxRssMb: m ? Number(m[1]) / 1024 : null, stdout, stderr, code: code ?? -1 });
    });
    child.stdin.end(input ?? '');
  });
}

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

export function writeResult(name: string, result: object): string {
  mkdirSync(RESULTS, { recursive: true });
  const path = `${RESULTS}/${name}.json`;
  writeFileSync(
    path,
    `${JSON.stringify({ when: new Date().toISOString(), machine: machine(), ...result }, null, 2)}\n`,
  );
  return path;
}
