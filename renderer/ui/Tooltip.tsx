import * as RadixTooltip from '@radix-ui/react-tooltip';
import type { ReactElement } from 'react';
import type { Command } from '../state/keymap';
import { KeyHint } from './Kbd';

/** One provider for the app: tooltips show after a short pause and move between triggers instantly. */
export function TooltipProvider({ children }: { children: React.ReactNode }) {
  return (
    <RadixTooltip.Provider delayDuration={400} skipDelayDuration={200}>
      {children}
    </RadixTooltip.Provider>
  );
}

/** A hover/focus hint with the command's key; the trigger keeps its own accessible name. */
export function Tooltip({
  content,
  command,
  children,
}: {
  content: string;
  command?: Command;
  children: ReactElement;
}) {
  return (
    <RadixTooltip.Root>
      <RadixTooltip.Trigger asChild>{children}</RadixTooltip.Trigger>
      <RadixTooltip.Portal>
        <RadixTooltip.Content className="tooltip" sideOffset={6} collisionPadding={8}>
          <span>{content}</span>
          {command ? <KeyHint command={command} /> : null}
        </RadixTooltip.Content>
      </RadixTooltip.Portal>
    </RadixTooltip.Root>
  );
}
