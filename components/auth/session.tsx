"use client";
/**
 * Who is signed in, for every screen: the `auth.me` answer in a React context, `useCan(cap)` for hiding
 * controls a role cannot use (components/auth/can.ts), and the guard that sends an anonymous browser to
 * the sign-in page.
 *
 * Why it exists: screens ask one hook instead of each fetching the session; the guard renders nothing of
 * the app until the session is known, so no signed-out flash of data and no burst of 401 answers.
 */
import { useQuery } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { createContext, useContext, useEffect, useMemo, type ReactNode } from "react";
import { useT } from "../i18n/provider";
import { useTRPC } from "../trpc/client";
import { can as roleCan, isRole, type Capability, type Role } from "./can";
import { goToSignIn, isPublicPath } from "./redirect";

export type SessionUser = { id: string; email: string; name: string; role: Role };

type Session = { user: SessionUser | null; can: (cap: Capability) => boolean };
const SessionContext = createContext<Session>({ user: null, can: () => false });

export function useSession(): Session {
  return useContext(SessionContext);
}

/** Whether the signed-in user's role allows `cap`. */
export function useCan(cap: Capability): boolean {
  return useSession().can(cap);
}

/** Renders children only when the role allows `cap`. */
export function IfCan({ cap, children, fallback = null }: { cap: Capability; children: ReactNode; fallback?: ReactNode }) {
  return useCan(cap) ? <>{children}</> : <>{fallback}</>;
}

/**
 * On app pages: loads the session, sends an anonymous browser to /sign-in?next=…, and provides the
 * session to everything below. On public pages (sign-in, setup) it renders children straight away.
 */
export function SessionGate({ children, frame }: { children: ReactNode; frame: (content: ReactNode) => ReactNode }) {
  const pathname = usePathname();
  const open = isPublicPath(pathname);
  const trpc = useTRPC();
  const t = useT();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), enabled: !open, staleTime: 60_000 });
  const raw = me.data?.user ?? null;
  const value = useMemo<Session>(() => {
    const user: SessionUser | null = raw && isRole(raw.role) ? { id: raw.id, email: raw.email, name: raw.name, role: raw.role } : null;
    return { user, can: (cap) => roleCan(user?.role, cap) };
  }, [raw]);
  const user = value.user;
  const anonymous = !open && me.isSuccess && !user;
  useEffect(() => {
    if (anonymous) goToSignIn();
  }, [anonymous]);

  if (open) return <>{children}</>;
  if (!user) {
    if (me.isError) {
      return (
        <div role="alert" className="flex min-h-screen items-center justify-center gap-3 text-sm text-slate-600" data-testid="session-error">
          {t("auth.signIn.network")}
          <button type="button" onClick={() => void me.refetch()} className="rounded-md px-3 py-1.5 font-medium ring-1 ring-slate-300 hover:bg-slate-50">
            {t("common.retry")}
          </button>
        </div>
      );
    }
    return (
      <div role="status" className="flex min-h-screen items-center justify-center gap-2 text-sm text-slate-500" data-testid="session-checking">
        <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600" />
        {t("auth.checking")}
      </div>
    );
  }
  return <SessionContext.Provider value={value}>{frame(children)}</SessionContext.Provider>;
}
