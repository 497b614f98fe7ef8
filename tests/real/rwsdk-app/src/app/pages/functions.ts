"use server";

export async function addTodo(
  state: { count: number },
  form: FormData,
): Promise<{ count: number }> {
  const title = String(form.get("title") ?? "").trim();
  return { count: title ? state.count + 1 : state.count };
}
