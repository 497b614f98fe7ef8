export const links = {
  home: "/",
  todos: "/todos",
} as const;
