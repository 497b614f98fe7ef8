import { Slot } from "@radix-ui/react-slot";

// No directive: rendered on both sides.
export function Button({
  asChild,
  ...props
}: React.ButtonHTMLAttributes<HTMLButtonElement> & { asChild?: boolean }) {
  const Comp = asChild ? Slot : "button";
  return <Comp className="button" {...props} />;
}
