/**
 * Starts `sim-child.ts` (or a measurement worker) as a child process and reads its first JSON line.
 *
 * Why this exists: the benchmarks need the simulators, and each memory measurement, in processes of
 * their own; this is the shared plumbing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export const here = path.dirname(new URL(import.meta.url).pathname);

export interface Child<T> {
  proc: ChildProcess;
  first: T;
  stop(): Promise<void>;
}

export async function spawnTs<T>(script: string, args: string[] = [], nodeFlags: string[] = []): Promise<Child<T>> {
  const proc = spawn(process.execPath, [...nodeFlags, "--import", "tsx", path.join(here, script), ...args], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
  });
  const rl = createInterface({ input: proc.stdout! });
  const first = await new Promise<T>((resolve, reject) => {
    rl.once("line", (l) => {
      try {
        resolve(JSON.parse(l) as T);
      } catch (e) {
        reject(e);
      }
    });
    proc.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    proc,
    first,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.stdin?.end();
        setTimeout(() => proc.kill("SIGTERM"), 2000).unref();
      }),
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function sandbox(url: string, route: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await fetch(`${url}/__sandbox/${route}`, body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : undefined);
  return (await r.json()) as Record<string, unknown>;
}
