import { Suspense } from "react";
import { FlowDataPage } from "@/components/records/flow-data-page";
import { LoadingState } from "@/components/ui/primitives";

export default async function FlowRecordsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense fallback={<LoadingState />}>
      <FlowDataPage flowId={id} />
    </Suspense>
  );
}
