import { House } from "lucide-react";
import { Counter } from "@/app/components/Counter";
import { InfoDialog } from "@/app/components/InfoDialog";
import { links } from "@/app/shared/links";

export const Home = () => (
  <main>
    <h1>
      <House size={20} /> dscan rwsdk app: home
    </h1>
    <Counter />
    <InfoDialog text="A RedwoodSDK app in the starter's layout." />
    <a href={links.todos}>Todos</a>
  </main>
);
