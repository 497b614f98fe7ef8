"use client";

import * as Tabs from "@radix-ui/react-tabs";
import { ListTodo, CircleCheck } from "lucide-react";

export function TodoTabs({ open, done }: { open: string[]; done: string[] }) {
  return (
    <Tabs.Root defaultValue="open">
      <Tabs.List>
        <Tabs.Trigger value="open">
          <ListTodo size={16} /> Open
        </Tabs.Trigger>
        <Tabs.Trigger value="done">
          <CircleCheck size={16} /> Done
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content value="open">
        <ul>{open.map((t) => <li key={t}>{t}</li>)}</ul>
      </Tabs.Content>
      <Tabs.Content value="done">
        <ul>{done.map((t) => <li key={t}>{t}</li>)}</ul>
      </Tabs.Content>
    </Tabs.Root>
  );
}
