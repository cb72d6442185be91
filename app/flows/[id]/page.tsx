import { Designer } from "@/components/flow/designer";

export default async function FlowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <Designer flowId={id} />;
}
