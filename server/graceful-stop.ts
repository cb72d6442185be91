/**
 * How the server process stops on SIGTERM / SIGINT / SIGHUP: stop accepting requests, stop the
 * runtime (no new scheduled or queued runs; the runs executing here finish their in-flight batches and
 * are suspended — back to `queued`, resumed by the next start), close what remains, exit — within
 * STOP_DEADLINE_MS, after which the process exits anyway (the write-ahead intents of batches still in
 * flight are settled by lookup when the run resumes, so nothing is written twice).
 *
 * Why a module of its own: `npm start` (scripts/start.ts) installs it, and the test that stops a real
 * server process mid-run installs the same code. It imports nothing heavy: the runtime (started inside
 * Next by instrumentation.ts, in the same process) is reached through globalThis.__shuqiaoRuntime.
 */

/** How long a graceful stop may take before the process exits anyway. */
export const STOP_DEADLINE_MS = 15_000;

type RuntimeHandle = { stop(): Promise<void> };

export function installGracefulStop(opts: {
  /** first, synchronously: stop accepting requests */
  closeServer?: () => void;
  /** last, after the runtime stopped (e.g. the in-process simulators the runs were talking to) */
  closeRest?: () => Promise<void> | void;
  deadlineMs?: number;
}): void {
  const deadline = opts.deadlineMs ?? STOP_DEADLINE_MS;
  let stopping = false;
  const stop = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n收到 ${sig}，正在停止：完成进行中的批次后退出（最多 ${deadline / 1000} 秒）(stopping)`);
    setTimeout(() => {
      console.error(`停止超时（${deadline / 1000} 秒），直接退出；未完成的批次将在下次启动时核对后继续 (stop deadline passed)`);
      process.exit(1);
    }, deadline).unref();
    opts.closeServer?.();
    const runtime = (globalThis as { __shuqiaoRuntime?: Promise<RuntimeHandle> }).__shuqiaoRuntime;
    void Promise.resolve(runtime)
      .then((r) => r?.stop())
      .catch((err) => console.error(`停止运行时出错 (runtime stop failed): ${(err as Error).message}`))
      .then(() => opts.closeRest?.())
      .catch((err) => console.error(`关闭时出错 (close failed): ${(err as Error).message}`))
      .finally(() => process.exit(0));
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, stop);
}
