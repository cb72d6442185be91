/**
 * Loads the Qeasy test configs in qeasy-fixtures/<scenario>/{source,target,mapping}.json.
 *
 * Why this exists: the importer tests, the round-trip property, the CLI test and the end-to-end runs
 * all read the same configs; one loader keeps their names in one place.
 */
import fs from "node:fs";
import path from "node:path";

export const QEASY_FIXTURES_DIR = path.resolve(__dirname, "qeasy-fixtures");

export const QEASY_SCENARIOS = [
  "guanyi-shop-customer",
  "dingtalk-pettycash-expense",
  "dingtalk-department",
  "guanyi-vip-splitarray",
  "guanyi-trade-beatflat",
  "guanyi-trade-lines-supplier",
  "kingdee-dept-supplier",
] as const;
export type QeasyScenario = (typeof QEASY_SCENARIOS)[number];

export function qeasyFixture(name: QeasyScenario): { source: unknown; target: unknown; mapping?: unknown } {
  const dir = path.join(QEASY_FIXTURES_DIR, name);
  const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? (JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as unknown) : undefined);
  const mapping = read("mapping.json");
  return { source: read("source.json"), target: read("target.json"), ...(mapping !== undefined ? { mapping } : {}) };
}
