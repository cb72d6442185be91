import { requireSessionCookie } from "@/app/_lib/session-cookie";
import { Suspense } from "react";
import { FlowDataPage } from "@/components/records/flow-data-page";
import { LoadingState } from "@/components/ui/primitives";

export default async function FlowRecordsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireSessionCookie(`/flows/${id}/records`);
  return (
    <Suspense fallback={<LoadingState />}>
      <FlowDataPage flowId={id} />
    </Suspense>
  );
}
