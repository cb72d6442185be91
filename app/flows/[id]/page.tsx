import { requireSessionCookie } from "@/app/_lib/session-cookie";
import { Designer } from "@/components/flow/designer";

export default async function FlowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireSessionCookie(`/flows/${id}`);
  return <Designer flowId={id} />;
}
