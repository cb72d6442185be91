import { requireSessionCookie } from "@/app/_lib/session-cookie";
import { Suspense } from "react";
import { RunList } from "@/components/runs/run-list";
import { LoadingState } from "@/components/ui/primitives";

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireSessionCookie("/runs", searchParams);
  return (
    <Suspense fallback={<LoadingState />}>
      <RunList />
    </Suspense>
  );
}
