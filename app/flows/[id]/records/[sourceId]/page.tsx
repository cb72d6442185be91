import { RecordLineage } from "@/components/records/lineage";

export default async function RecordLineagePage({ params }: { params: Promise<{ id: string; sourceId: string }> }) {
  const { id, sourceId } = await params;
  return <RecordLineage flowId={id} sourceId={decodeURIComponent(sourceId)} />;
}
