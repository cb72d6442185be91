/**
 * Test fixture (server/runs/sigterm-resume.test.ts): a server process without the web layer — the
 * runtime exactly as instrumentation.ts starts it inside `npm start` (tune the database, bind the
 * sandbox connections, start the embedded queue which resumes queued and interrupted runs, start the
 * scheduler) and the stop handlers `npm start` installs (server/graceful-stop.ts). Prints "ready".
 */
import { installGracefulStop } from "@/server/graceful-stop";
import { startRuntime } from "@/server/runtime";

void startRuntime().then(() => {
  installGracefulStop({});
  console.log("ready");
  setInterval(() => undefined, 60_000); // keep the process alive, as the HTTP server would
});
