import { RunList } from "@/components/runs/run-list";

export default function RunsPage() {
  return <RunList />;
}
