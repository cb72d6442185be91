import { describe, expect, it } from "vitest";
import { can, ROLES, type Capability } from "./can";

const EDITOR_CAPS: Capability[] = ["flows.edit", "flows.export", "runs.operate", "schedules.edit", "preview.use", "qeasy.use"];
const ADMIN_ONLY: Capability[] = ["connections.manage", "alerts.manage", "settings.manage", "users.manage", "audit.read"];

describe("can (mirrors server/auth/policy.ts)", () => {
  it("viewer reads only", () => {
    for (const c of [...EDITOR_CAPS, ...ADMIN_ONLY]) expect(can("viewer", c)).toBe(false);
  });
  it("editor designs and runs, no admin items", () => {
    for (const c of EDITOR_CAPS) expect(can("editor", c)).toBe(true);
    for (const c of ADMIN_ONLY) expect(can("editor", c)).toBe(false);
  });
  it("admin may do everything", () => {
    for (const c of [...EDITOR_CAPS, ...ADMIN_ONLY]) expect(can("admin", c)).toBe(true);
  });
  it("an unknown or missing role may do nothing", () => {
    expect(ROLES).toEqual(["viewer", "editor", "admin"]);
    for (const r of [null, undefined, "", "root", "Admin"]) expect(can(r, "flows.edit")).toBe(false);
  });
});
