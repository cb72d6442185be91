/**
 * Keeps a process that runs the engine from holding several times its live heap in garbage.
 *
 * Why this exists: a run allocates fast (pages, records, payload texts) and V8 grows the old space of
 * a fast-allocating process up to 4× what survives a full collection before collecting it. For the
 * engine that meant ~35 MB live and 180+ MB of heap after a million records (peak RSS 356 MB,
 * server/bench/engine/README.md). With the growth factor capped at 2× the heap stays ≤ ~130 MB
 * whatever the record count, for a few more (cheap, mostly concurrent) full collections.
 * CHOICE: set at runtime (v8.setFlagsFromString) by the entry points that run the engine — the web
 * process's runtime and the CLI — so it holds however the process was started; V8 reads the flag
 * at every full collection.
 */
import v8 from "node:v8";

export function boundHeapGrowth(): void {
  v8.setFlagsFromString("--heap-growing-percent=100");
}
