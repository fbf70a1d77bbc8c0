import * as RadixPopover from '@radix-ui/react-popover';
import type { ReactNode } from 'react';
import { focusList, LIST_ID } from './focus';

/**
 * A panel that opens from a button (the notices list): Escape and an outside click close
 * it, it mirrors in Arabic (DirectionProvider), and on closing the focus goes back to the
 * message list (when shown) so the next key works, as after a dialog. It floats only while open.
 */
export function Popover({
  trigger,
  children,
  label,
  open,
  onOpenChange,
  align = 'end',
}: {
  trigger: ReactNode;
  children: ReactNode;
  label: string;
  open: boolean;
  onOpenChange(open: boolean): void;
  align?: 'start' | 'end';
}) {
  return (
    <RadixPopover.Root open={open} onOpenChange={onOpenChange}>
      <RadixPopover.Trigger asChild>{trigger}</RadixPopover.Trigger>
      <RadixPopover.Portal>
        <RadixPopover.Content
          className="popover"
          align={align}
          sideOffset={4}
          collisionPadding={8}
          aria-label={label}
          onCloseAutoFocus={(event) => {
            // Back to the list when it is on screen; elsewhere (earnings) to the button.
            if (document.getElementById(LIST_ID)?.offsetParent) {
              event.preventDefault();
              focusList();
            }
          }}
        >
          {children}
        </RadixPopover.Content>
      </RadixPopover.Portal>
    </RadixPopover.Root>
  );
}
