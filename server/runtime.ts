/**
 * The embedded server runtime, started once per web process (instrumentation.ts): tunes the database,
 * and (as the engine lands) binds sandbox connections, seeds demo schemes, resumes interrupted runs
 * and starts the queue and scheduler.
 *
 * Why on globalThis: Next bundles route handlers separately from this hook; one runtime per process.
 */
import { db, tuneDb } from "./db";

const g = globalThis as unknown as { __shuqiaoRuntime?: Promise<void> };

export function startRuntime(): Promise<void> {
  return (g.__shuqiaoRuntime ??= (async () => {
    const client = db();
    await tuneDb(client);
  })());
}
