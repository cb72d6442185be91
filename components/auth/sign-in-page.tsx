"use client";
/**
 * /sign-in: email and password, posted as JSON to /api/auth/sign-in; on success back to `next` (a
 * same-site path only) or /flows. Says plainly what went wrong: wrong credentials, too many attempts
 * (with the minutes to wait), no connection.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useI18n } from "../i18n/provider";
import { useTRPC } from "../trpc/client";
import { Button, Field, inputClass } from "../ui/primitives";
import { minutesToWait, postAuth } from "./api";
import { AuthFrame, FormError } from "./auth-frame";
import { safeNext } from "./redirect";

export function SignInPage({ next }: { next?: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const target = safeNext(next);

  // Already signed in (e.g. the back button): straight on.
  const signedIn = !!me.data?.user;
  useEffect(() => {
    if (signedIn) window.location.replace(target);
  }, [signedIn, target]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!email.trim() || !password) return setError(t("auth.signIn.missing"));
    setPending(true);
    setError(null);
    const answer = await postAuth("/api/auth/sign-in", { email: email.trim(), password });
    if (answer.status === 200) {
      window.location.assign(target);
      return;
    }
    setPending(false);
    if (answer.status === 0) setError(t("auth.signIn.network"));
    else if (answer.status === 401) setError(t("auth.signIn.wrong"));
    else if (answer.status === 429) setError(t("auth.signIn.throttled", { n: minutesToWait(answer.retryAfterSec) }));
    else setError(answer.error ?? `${t("common.error")} (HTTP ${answer.status})`);
  }

  return (
    <AuthFrame title={t("auth.signIn.title")} subtitle={t("auth.signIn.subtitle")}>
      {me.data?.setupRequired ? (
        <p className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="setup-required">
          {t("auth.signIn.setupHint")}
        </p>
      ) : null}
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="sign-in-form">
        <FormError message={error} testId="sign-in-error" />
        <Field label={t("auth.email")} htmlFor="email">
          <input id="email" name="email" type="email" autoComplete="username" autoFocus required value={email} onChange={(e) => setEmail(e.target.value)} className={inputClass} />
        </Field>
        <Field label={t("auth.password")} htmlFor="password">
          <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} className={inputClass} />
        </Field>
        <Button type="submit" variant="primary" className="mt-2 w-full" disabled={pending} data-testid="sign-in-submit">
          {pending ? t("auth.signIn.pending") : t("auth.signIn.submit")}
        </Button>
      </form>
    </AuthFrame>
  );
}
