/**
 * TEMPORARY, for branch i16-h only — the lead deletes this file (and its one spread line in root.ts) when
 * merging helper F's real routers. Shapes as in branch i16-f (server/api/routers/{auth,users,audit,settings}.ts). It declares the shapes of the issue-#16 procedures the browser uses
 * (docs: /work/wt/briefs/i16-contract.md) so the UI type-checks before F's work lands. Every procedure
 * refuses at run time; none of them is ever reachable in a merged build because root.ts spreads these
 * BEFORE the real routers, whose keys win.
 */
import { z } from "zod";
import { DomainError } from "../../errors";
import { createTRPCRouter, publicProcedure } from "../trpc";

const role = z.enum(["viewer", "editor", "admin"]);
type SessionUser = { id: string; email: string; name: string; role: "viewer" | "editor" | "admin" };
type UserRow = SessionUser & { disabled: boolean; createdAt: Date; lastSeenAt: Date | null };
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
    add: publicProcedure.input(z.object({ email: z.string(), name: z.string().optional(), role, password: z.string() })).mutation(() => stub<UserRow>()),
    setRole: publicProcedure.input(z.object({ id: z.string(), role })).mutation(() => stub<UserRow>()),
    disable: publicProcedure.input(z.object({ id: z.string() })).mutation(() => stub<UserRow>()),
    enable: publicProcedure.input(z.object({ id: z.string() })).mutation(() => stub<UserRow>()),
    resetPassword: publicProcedure.input(z.object({ id: z.string(), password: z.string() })).mutation(() => stub<{ ok: true }>()),
  }),
  audit: createTRPCRouter({
    list: publicProcedure
      .input(
        z
          .object({
            cursor: z.string().nullish(),
            limit: z.number().int().min(1).max(200).default(50),
            actor: z.string().optional(),
            action: z.string().optional(),
            entityType: z.string().optional(),
            entityId: z.string().optional(),
            ok: z.boolean().optional(),
            from: z.date().optional(),
            to: z.date().optional(),
          })
          .default({ limit: 50 }),
      )
      .query(() => stub<{ items: AuditRow[]; nextCursor: string | null }>()),
  }),
  settings: createTRPCRouter({
    get: publicProcedure.query(() => stub<OutboundSettings>()),
    update: publicProcedure.input(z.object({ allowPrivateNetworks: z.boolean(), allowedHosts: z.array(z.string()) }).partial()).mutation(() => stub<OutboundSettings>()),
  }),
};
