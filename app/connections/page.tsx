import { ConnectionsScreen } from "@/components/connections/connections-page";

export default function Page() {
  return <ConnectionsScreen />;
}
