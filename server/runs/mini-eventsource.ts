/**
 * A minimal EventSource for Node 20 (which has none), over fetch: enough for tRPC's
 * httpSubscriptionLink in tests and scripts (named events, `id:`, `data:`, close, readyState).
 *
 * Why this exists: the subscription must be proven with a real HTTP client against a real server,
 * and adding an npm dependency for a test is not allowed here. No automatic reconnection: tRPC
 * recreates the source itself, passing the last event id in the input.
 */
type Listener = (e: { type: string; data: string; lastEventId: string }) => void;

export class MiniEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readyState = 0;
  readonly url: string;
  readonly withCredentials = false;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly ac = new AbortController();

  constructor(url: string | URL, _init?: unknown) {
    this.url = String(url);
    void this.run();
  }

  addEventListener(type: string, fn: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)?.add(fn);
  }

  removeEventListener(type: string, fn: Listener): void {
    this.listeners.get(type)?.delete(fn);
  }

  close(): void {
    this.readyState = 2;
    this.ac.abort();
  }

  private emit(type: string, data = "", lastEventId = ""): void {
    for (const fn of this.listeners.get(type) ?? []) fn({ type, data, lastEventId });
  }

  private async run(): Promise<void> {
    try {
      const res = await fetch(this.url, { headers: { accept: "text/event-stream" }, signal: this.ac.signal });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      this.readyState = 1;
      this.emit("open");
      const decoder = new TextDecoder();
      let buf = "";
      let lastId = "";
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let idx: number;
        while ((idx = buf.search(/\r?\n\r?\n/)) >= 0) {
          const block = buf.slice(0, idx);
          buf = buf.slice(idx + (buf[idx] === "\r" ? 4 : 2));
          let event = "message";
          const data: string[] = [];
          for (const line of block.split(/\r?\n/)) {
            if (line.startsWith(":")) continue;
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "event") event = value;
            else if (field === "data") data.push(value);
            else if (field === "id") lastId = value;
          }
          if (this.readyState === 2) return;
          this.emit(event, data.join("\n"), lastId);
        }
      }
      if (this.readyState !== 2) {
        this.readyState = 2;
        this.emit("error");
      }
    } catch {
      if (this.readyState !== 2) {
        this.readyState = 2;
        this.emit("error");
      }
    }
  }
}
