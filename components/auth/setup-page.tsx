"use client";
/**
 * /setup?token=…: the one-time link `npm start` prints when there is no user yet. Creates the first admin
 * (POST /api/auth/setup), which signs them in. A used or expired link, or a workspace that already has
 * users, gets a clear sentence and the way to the sign-in page instead of a form that cannot work.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useI18n } from "../i18n/provider";
import { useTRPC } from "../trpc/client";
import { Button, Field, inputClass } from "../ui/primitives";
import { MIN_PASSWORD_LENGTH, postAuth } from "./api";
import { AuthFrame, FormError } from "./auth-frame";

export function SetupPage({ token }: { token?: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [gone, setGone] = useState(false);
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim() || !email.trim() || !password) return setError(t("auth.signIn.missing"));
    if (password.length < MIN_PASSWORD_LENGTH) return setError(t("auth.setup.weak", { n: MIN_PASSWORD_LENGTH }));
    if (password !== repeat) return setError(t("auth.setup.mismatch"));
    setPending(true);
    setError(null);
    const answer = await postAuth("/api/auth/setup", { token, email: email.trim(), name: name.trim(), password });
    if (answer.status === 200) {
      // a full load: the session gate reads the new cookie
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.assign("/flows");
      return;
    }
    setPending(false);
    if (answer.status === 410) setGone(true);
    else if (answer.status === 0) setError(t("auth.signIn.network"));
    else setError(answer.error ?? `${t("common.error")} (HTTP ${answer.status})`);
  }

  // A workspace that already has users (or a link already used / expired) cannot be set up again.
  const closed = gone || me.data?.setupRequired === false;
  let body;
  if (!token) body = <FormError message={t("auth.setup.noToken")} testId="setup-error" />;
  else if (closed) {
    body = (
      <div>
        <FormError message={t("auth.setup.gone")} testId="setup-gone" />
        <Link href="/sign-in" className="text-sm font-medium text-brand-700 hover:underline" data-testid="setup-go-sign-in">
          {t("auth.setup.goSignIn")}
        </Link>
      </div>
    );
  } else {
    body = (
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="setup-form">
        <FormError message={error} testId="setup-error" />
        <Field label={t("auth.name")} htmlFor="name">
          <input id="name" autoComplete="name" autoFocus value={name} onChange={(e) => setName(e.target.value)} className={inputClass} />
        </Field>
        <Field label={t("auth.email")} htmlFor="email">
          <input id="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} className={inputClass} />
        </Field>
        <Field label={t("auth.password")} htmlFor="password" hint={t("auth.passwordHint", { n: MIN_PASSWORD_LENGTH })}>
          <input id="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} className={inputClass} />
        </Field>
        <Field label={t("auth.passwordRepeat")} htmlFor="password2">
          <input id="password2" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} className={inputClass} />
        </Field>
        <Button type="submit" variant="primary" className="mt-2 w-full" disabled={pending} data-testid="setup-submit">
          {pending ? t("auth.setup.pending") : t("auth.setup.submit")}
        </Button>
      </form>
    );
  }
  return (
    <AuthFrame title={t("auth.setup.title")} subtitle={t("auth.setup.subtitle")}>
      {body}
    </AuthFrame>
  );
}
