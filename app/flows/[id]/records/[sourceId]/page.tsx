import { requireSessionCookie } from "@/app/_lib/session-cookie";
import { RecordLineage } from "@/components/records/lineage";

export default async function RecordLineagePage({ params }: { params: Promise<{ id: string; sourceId: string }> }) {
  const { id, sourceId } = await params;
  await requireSessionCookie(`/flows/${id}/records/${sourceId}`);
  return <RecordLineage flowId={id} sourceId={decodeURIComponent(sourceId)} />;
}
