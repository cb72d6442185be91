import { ConnectionsPage } from "@/components/layout/simple-pages";

export default function Page() {
  return <ConnectionsPage />;
}
