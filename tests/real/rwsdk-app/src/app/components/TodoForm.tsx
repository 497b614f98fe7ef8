"use client";

import { useActionState } from "react";
import { Check } from "lucide-react";
import { addTodo } from "@/app/pages/functions";

export function TodoForm() {
  const [state, action] = useActionState(addTodo, { count: 0 });
  return (
    <form action={action}>
      <input name="title" placeholder="What needs doing?" />
      <button type="submit">
        <Check size={16} /> Add
      </button>
      <p>{state.count} added</p>
    </form>
  );
}
