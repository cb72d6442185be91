/**
 * TEMPORARY, for branch i16-h only — the lead deletes this file (and its one spread line in root.ts) when
 * merging helper F's real routers. It declares the shapes of the issue-#16 procedures the browser uses
 * (docs: /work/wt/briefs/i16-contract.md) so the UI type-checks before F's work lands. Every procedure
 * refuses at run time; none of them is ever reachable in a merged build because root.ts spreads these
 * BEFORE the real routers, whose keys win.
 */
import { z } from "zod";
import { DomainError } from "../../errors";
import { createTRPCRouter, publicProcedure } from "../trpc";

const role = z.enum(["viewer", "editor", "admin"]);
type SessionUser = { id: string; email: string; name: string; role: "viewer" | "editor" | "admin" };
type UserRow = SessionUser & { disabledAt: Date | null; createdAt: Date };
type AuditRow = {
  id: string;
  at: Date;
  actorId: string | null;
  actor: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  details: unknown;
  ip: string | null;
  ok: boolean;
};
type OutboundSettings = { allowPrivateNetworks: boolean; allowedHosts: string[] };

function stub<T>(): T {
  throw new DomainError("INTERNAL_SERVER_ERROR", "UI stub: not implemented in this branch");
}

export const uiStubRouters = {
  auth: createTRPCRouter({
    me: publicProcedure.query(() => stub<{ user: SessionUser | null; setupRequired: boolean }>()),
  }),
  users: createTRPCRouter({
    list: publicProcedure.query(() => stub<UserRow[]>()),
    add: publicProcedure.input(z.object({ email: z.string(), name: z.string(), role, password: z.string() })).mutation(() => stub<UserRow>()),
    setRole: publicProcedure.input(z.object({ id: z.string(), role })).mutation(() => stub<UserRow>()),
    disable: publicProcedure.input(z.object({ id: z.string() })).mutation(() => stub<UserRow>()),
    enable: publicProcedure.input(z.object({ id: z.string() })).mutation(() => stub<UserRow>()),
    resetPassword: publicProcedure.input(z.object({ id: z.string(), password: z.string() })).mutation(() => stub<{ ok: true }>()),
  }),
  audit: createTRPCRouter({
    list: publicProcedure
      .input(
        z.object({
          cursor: z.string().nullish(),
          actor: z.string().optional(),
          action: z.string().optional(),
          entityType: z.string().optional(),
          from: z.date().optional(),
          to: z.date().optional(),
        }),
      )
      .query(() => stub<{ items: AuditRow[]; nextCursor: string | null }>()),
  }),
  settings: createTRPCRouter({
    get: publicProcedure.query(() => stub<OutboundSettings>()),
    update: publicProcedure.input(z.object({ allowPrivateNetworks: z.boolean(), allowedHosts: z.array(z.string()) })).mutation(() => stub<OutboundSettings>()),
  }),
};
