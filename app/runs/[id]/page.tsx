import { requireSessionCookie } from "@/app/_lib/session-cookie";
import { RunDetail } from "@/components/runs/run-detail";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireSessionCookie(`/runs/${id}`);
  // keyed by run id: one event store per run
  return <RunDetail key={id} runId={id} />;
}
