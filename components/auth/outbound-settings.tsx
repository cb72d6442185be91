"use client";
/**
 * Settings › 出站访问 (admins only): whether connections may reach private-network and loopback
 * addresses, and the internal hosts allowed anyway. The outbound policy itself lives on the server; this
 * form edits its two settings and warns what turning the switch on means (SSRF).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useI18n } from "../i18n/provider";
import { useTRPC, type RouterOutputs } from "../trpc/client";
import { Button, Card, ErrorState, LoadingState } from "../ui/primitives";

/** One host per line (commas and spaces also separate); blanks and duplicates dropped. */
export function parseHosts(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of text.split(/[\s,;]+/)) {
    const h = raw.trim().toLowerCase();
    if (h) seen.add(h);
  }
  return [...seen];
}

type Current = RouterOutputs["settings"]["get"];

export function OutboundSettings() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const current = useQuery(trpc.settings.get.queryOptions());
  // kept here: the form remounts with the saved values, and the confirmation must survive that
  const [saved, setSaved] = useState(false);
  return (
    <section className="mt-8" aria-labelledby="outbound-title" data-testid="outbound-settings">
      <h2 id="outbound-title" className="text-base font-semibold text-slate-900">
        {t("outbound.title")}
      </h2>
      <p className="mt-1 mb-3 text-sm text-slate-500">{t("outbound.subtitle")}</p>
      <Card className="px-5 py-4">
        {current.isPending ? (
          <LoadingState />
        ) : current.isError ? (
          <ErrorState message={current.error.message} onRetry={() => void current.refetch()} />
        ) : (
          <OutboundForm key={JSON.stringify(current.data)} data={current.data} saved={saved} setSaved={setSaved} />
        )}
      </Card>
    </section>
  );
}

function OutboundForm({ data, saved, setSaved }: { data: Current; saved: boolean; setSaved: (v: boolean) => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [allowPrivate, setAllowPrivate] = useState(data.allowPrivateNetworks);
  const [hosts, setHosts] = useState(data.allowedHosts.join("\n"));
  const update = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void qc.invalidateQueries({ queryKey: trpc.settings.get.queryKey() });
      },
    }),
  );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        update.mutate({ ...data, allowPrivateNetworks: allowPrivate, allowedHosts: parseHosts(hosts) });
      }}
    >
      <label className="flex items-start gap-3">
        <input
          type="checkbox"
          checked={allowPrivate}
          onChange={(e) => (setAllowPrivate(e.target.checked), setSaved(false))}
          className="mt-1 h-4 w-4 rounded border-slate-300 text-brand-600"
          data-testid="outbound-allow-private"
        />
        <span>
          <span className="block text-sm font-medium text-slate-700">{t("outbound.allowPrivate")}</span>
          <span className="block text-xs text-slate-500">{t("outbound.allowPrivateHint")}</span>
        </span>
      </label>
      {allowPrivate ? (
        <p role="alert" className="mt-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="outbound-warning">
          {t("outbound.warning")}
        </p>
      ) : null}
      <label htmlFor="outbound-hosts" className="mt-4 block text-sm font-medium text-slate-700">
        {t("outbound.allowedHosts")}
      </label>
      <textarea
        id="outbound-hosts"
        rows={4}
        value={hosts}
        onChange={(e) => (setHosts(e.target.value), setSaved(false))}
        placeholder="erp.internal"
        className="mt-1 block w-full rounded-md border-0 px-3 py-1.5 font-mono text-sm text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none"
        data-testid="outbound-hosts"
      />
      <p className="mt-1 text-xs text-slate-500">{t("outbound.allowedHostsHint")}</p>
      {update.error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {update.error.message}
        </p>
      ) : null}
      <div className="mt-4 flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={update.isPending} data-testid="outbound-save">
          {t("outbound.save")}
        </Button>
        {saved ? (
          <span role="status" className="text-sm text-emerald-700">
            {t("outbound.saved")}
          </span>
        ) : null}
      </div>
    </form>
  );
}
