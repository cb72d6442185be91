/**
 * Next.js start-up hook: starts the server runtime (queue, scheduler, resume of interrupted runs,
 * sandbox connections and demo schemes) inside the web process, in embedded mode.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.SHUQIAO_NO_RUNTIME !== "1") {
    const { startRuntime } = await import("./server/runtime");
    await startRuntime();
  }
}
