import { Suspense } from "react";
import { RunList } from "@/components/runs/run-list";
import { LoadingState } from "@/components/ui/primitives";

export default function RunsPage() {
  return (
    <Suspense fallback={<LoadingState />}>
      <RunList />
    </Suspense>
  );
}
