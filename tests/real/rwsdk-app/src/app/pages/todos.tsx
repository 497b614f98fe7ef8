import { TodoForm } from "@/app/components/TodoForm";
import { TodoTabs } from "@/app/components/TodoTabs";
import { links } from "@/app/shared/links";

export const Todos = () => (
  <main>
    <h1>Todos</h1>
    <TodoForm />
    <TodoTabs open={["write the test"]} done={["read the spec"]} />
    <a href={links.home}>Home</a>
  </main>
);
