import { RunDetail } from "@/components/runs/run-detail";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // keyed by run id: one event store per run
  return <RunDetail key={id} runId={id} />;
}
