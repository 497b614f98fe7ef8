"use client";

import * as Dialog from "@radix-ui/react-dialog";
import * as Tooltip from "@radix-ui/react-tooltip";
import { Info, X } from "lucide-react";

export function InfoDialog({ text }: { text: string }) {
  return (
    <Tooltip.Provider>
      <Dialog.Root>
        <Tooltip.Root>
          <Tooltip.Trigger asChild>
            <Dialog.Trigger aria-label="info">
              <Info size={16} />
            </Dialog.Trigger>
          </Tooltip.Trigger>
          <Tooltip.Content>More about this page</Tooltip.Content>
        </Tooltip.Root>
        <Dialog.Portal>
          <Dialog.Overlay />
          <Dialog.Content>
            <Dialog.Title>About</Dialog.Title>
            <Dialog.Description>{text}</Dialog.Description>
            <Dialog.Close aria-label="close">
              <X size={16} />
            </Dialog.Close>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </Tooltip.Provider>
  );
}
