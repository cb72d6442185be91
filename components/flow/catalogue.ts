"use client";
/**
 * The designer's reference data (API catalogue, parsers, Kingdee forms, variables, connections),
 * fetched once per session through tRPC and shared by every inspector.
 *
 * Why this exists: pickers must offer exactly what the server understands; these lists change only
 * when the server is upgraded (connections: when someone edits them), so they are cached for the
 * session instead of refetched per inspector.
 */
import { useQuery } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "../trpc/client";

export type ApiEntry = RouterOutputs["catalogue"]["apis"][number];
export type ParserEntry = RouterOutputs["catalogue"]["parsers"][number];
export type FormEntry = RouterOutputs["catalogue"]["forms"][number];
export type ConnectionEntry = RouterOutputs["connections"]["list"][number];

const forever = { staleTime: Infinity, gcTime: Infinity } as const;

export function useCatalogue() {
  const trpc = useTRPC();
  const apis = useQuery({ ...trpc.catalogue.apis.queryOptions(), ...forever });
  const parsers = useQuery({ ...trpc.catalogue.parsers.queryOptions(), ...forever });
  const forms = useQuery({ ...trpc.catalogue.forms.queryOptions(), ...forever });
  const variables = useQuery({ ...trpc.catalogue.variables.queryOptions(), ...forever });
  const connections = useQuery({ ...trpc.connections.list.queryOptions(), staleTime: 30_000 });
  return {
    apis: apis.data ?? [],
    parsers: parsers.data ?? [],
    forms: forms.data ?? [],
    variables: variables.data ?? [],
    connections: connections.data ?? [],
  };
}

/** Label in the current language (catalogue labels come as {zh, en}). */
export function pick(label: { zh: string; en: string } | undefined, locale: "zh" | "en"): string {
  return label ? label[locale] || label.zh : "";
}
