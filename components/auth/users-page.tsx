"use client";
/**
 * 用户 (admins only): who can sign in and with which role — add a user with a role and an initial
 * password, change a role, disable/enable, reset a password. The server enforces every rule (admin role,
 * password length, not locking out the last admin); this screen words its answers.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useI18n } from "../i18n/provider";
import { useTRPC, type RouterOutputs } from "../trpc/client";
import { formatDateTime } from "../ui/format";
import { Badge, Button, Card, Dialog, EmptyState, ErrorState, Field, LoadingState, PageHeader, inputClass } from "../ui/primitives";
import { MIN_PASSWORD_LENGTH } from "./api";
import { ROLES, isRole, type Role } from "./can";
import { RequireCap } from "./require";
import { useSession } from "./session";
import { RoleBadge } from "./user-menu";

type UserRow = RouterOutputs["users"]["list"][number];

export function UsersPage() {
  return (
    <RequireCap cap="users.manage">
      <UsersScreen />
    </RequireCap>
  );
}

function UsersScreen() {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { user: me } = useSession();
  const list = useQuery(trpc.users.list.queryOptions());
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [disabling, setDisabling] = useState<UserRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: () => (refresh(), setNotice(t("users.saved"))) }));
  const disable = useMutation(trpc.users.disable.mutationOptions({ onSuccess: () => (refresh(), setDisabling(null)) }));
  const enable = useMutation(trpc.users.enable.mutationOptions({ onSuccess: refresh }));
  const rowError = setRole.error ?? enable.error;

  return (
    <div className="mx-auto max-w-6xl px-8 py-8">
      <PageHeader
        title={t("users.title")}
        subtitle={t("users.subtitle")}
        actions={
          <Button variant="primary" onClick={() => setAdding(true)} data-testid="add-user">
            + {t("users.add")}
          </Button>
        }
      />
      {notice ? (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="users-notice">
          {notice}
        </p>
      ) : null}
      {rowError ? (
        <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="users-error">
          {rowError.message}
        </p>
      ) : null}
      <Card>
        {list.isPending ? (
          <LoadingState />
        ) : list.isError ? (
          <ErrorState message={list.error.message} onRetry={() => void list.refetch()} />
        ) : list.data.length === 0 ? (
          <EmptyState title={t("users.empty")} />
        ) : (
          <table className="w-full text-left text-sm" data-testid="users-table">
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-3 font-medium">{t("users.col.name")}</th>
                <th className="px-4 py-3 font-medium">{t("users.col.email")}</th>
                <th className="px-4 py-3 font-medium">{t("users.col.role")}</th>
                <th className="px-4 py-3 font-medium">{t("users.col.status")}</th>
                <th className="px-4 py-3 font-medium">{t("users.col.created")}</th>
                <th className="px-4 py-3 text-right font-medium">{t("users.col.actions")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.data.map((u) => {
                const self = u.id === me?.id;
                const role: Role = isRole(u.role) ? u.role : "viewer";
                return (
                  <tr key={u.id} data-testid="user-row" data-email={u.email}>
                    <td className="px-4 py-3 font-medium text-slate-900">
                      {u.name}
                      {self ? <span className="text-slate-500">{t("users.you")}</span> : null}
                    </td>
                    <td className="px-4 py-3 text-slate-700">{u.email}</td>
                    <td className="px-4 py-3">
                      {self ? (
                        <RoleBadge role={role} />
                      ) : (
                        <select
                          aria-label={`${t("users.col.role")} ${u.email}`}
                          value={role}
                          disabled={setRole.isPending}
                          onChange={(e) => isRole(e.target.value) && setRole.mutate({ id: u.id, role: e.target.value })}
                          className="rounded-md border border-slate-300 px-2 py-1 text-sm"
                          data-testid="user-role"
                        >
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {t(`auth.role.${r}`)}
                            </option>
                          ))}
                        </select>
                      )}
                    </td>
                    <td className="px-4 py-3">{u.disabled ? <Badge tone="red">{t("users.disabled")}</Badge> : <Badge tone="green">{t("users.active")}</Badge>}</td>
                    <td className="px-4 py-3 text-slate-500">{formatDateTime(u.createdAt, locale)}</td>
                    <td className="px-4 py-3">
                      <div className="flex justify-end gap-2">
                        <Button variant="ghost" onClick={() => setResetting(u)} data-testid="user-reset-password">
                          {t("users.resetPassword")}
                        </Button>
                        {self ? null : u.disabled ? (
                          <Button onClick={() => enable.mutate({ id: u.id })} disabled={enable.isPending} data-testid="user-enable">
                            {t("users.enable")}
                          </Button>
                        ) : (
                          <Button variant="danger" onClick={() => setDisabling(u)} data-testid="user-disable">
                            {t("users.disable")}
                          </Button>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Card>
      {adding ? (
        <AddUserDialog
          onClose={() => setAdding(false)}
          onAdded={(email) => {
            setAdding(false);
            refresh();
            setNotice(t("users.added", { email }));
          }}
        />
      ) : null}
      {resetting ? (
        <ResetPasswordDialog
          user={resetting}
          onClose={() => setResetting(null)}
          onDone={() => {
            setNotice(t("users.passwordReset", { email: resetting.email }));
            setResetting(null);
          }}
        />
      ) : null}
      <Dialog
        open={!!disabling}
        onClose={() => setDisabling(null)}
        title={t("users.disable")}
        footer={
          <>
            <Button onClick={() => setDisabling(null)}>{t("common.cancel")}</Button>
            <Button variant="danger" disabled={disable.isPending} onClick={() => disabling && disable.mutate({ id: disabling.id })} data-testid="user-disable-confirm">
              {t("users.disable")}
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-700">{disabling ? t("users.disableConfirm", { email: disabling.email }) : null}</p>
        {disable.error ? <p className="mt-2 text-sm text-red-700">{disable.error.message}</p> : null}
      </Dialog>
    </div>
  );
}

function AddUserDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (email: string) => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const add = useMutation(trpc.users.add.mutationOptions({ onSuccess: (_r, v) => onAdded(v.email) }));
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!email.trim()) return setProblem(t("auth.signIn.missing"));
    if (password.length < MIN_PASSWORD_LENGTH) return setProblem(t("auth.setup.weak", { n: MIN_PASSWORD_LENGTH }));
    setProblem(null);
    // no name: the server uses the part of the email before "@"
    add.mutate({ email: email.trim(), name: name.trim() || undefined, role, password });
  }
  const message = problem ?? add.error?.message ?? null;
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("users.add")}
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button variant="primary" type="submit" form="add-user-form" disabled={add.isPending} data-testid="add-user-submit">
            {t("users.add")}
          </Button>
        </>
      }
    >
      <form id="add-user-form" onSubmit={submit} noValidate>
        {message ? (
          <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="add-user-error">
            {message}
          </p>
        ) : null}
        <Field label={t("auth.name")} htmlFor="new-user-name">
          <input id="new-user-name" value={name} onChange={(e) => setName(e.target.value)} className={inputClass} autoFocus />
        </Field>
        <Field label={t("auth.email")} htmlFor="new-user-email">
          <input id="new-user-email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} className={inputClass} />
        </Field>
        <Field label={t("users.col.role")} htmlFor="new-user-role">
          <select id="new-user-role" value={role} onChange={(e) => isRole(e.target.value) && setRole(e.target.value)} className={inputClass}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`auth.role.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("users.initialPassword")} htmlFor="new-user-password" hint={t("auth.passwordHint", { n: MIN_PASSWORD_LENGTH })}>
          <input id="new-user-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} className={inputClass} />
        </Field>
      </form>
    </Dialog>
  );
}

function ResetPasswordDialog({ user, onClose, onDone }: { user: UserRow; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const reset = useMutation(trpc.users.resetPassword.mutationOptions({ onSuccess: onDone }));
  function submit(e: FormEvent) {
    e.preventDefault();
    if (password.length < MIN_PASSWORD_LENGTH) return setProblem(t("auth.setup.weak", { n: MIN_PASSWORD_LENGTH }));
    setProblem(null);
    reset.mutate({ id: user.id, password });
  }
  const message = problem ?? reset.error?.message ?? null;
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("users.resetTitle", { email: user.email })}
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button variant="primary" type="submit" form="reset-password-form" disabled={reset.isPending} data-testid="reset-password-submit">
            {t("users.resetPassword")}
          </Button>
        </>
      }
    >
      <form id="reset-password-form" onSubmit={submit} noValidate>
        {message ? (
          <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {message}
          </p>
        ) : null}
        <Field label={t("users.newPassword")} htmlFor="reset-password" hint={t("auth.passwordHint", { n: MIN_PASSWORD_LENGTH })}>
          <input id="reset-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} className={inputClass} autoFocus />
        </Field>
      </form>
    </Dialog>
  );
}
