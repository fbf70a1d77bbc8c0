import * as RadixDialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import type { ReactNode } from 'react';
import { useT } from '../i18n/I18n';
import { useUi } from '../state/ui';
import { focusList } from './focus';

/**
 * A modal dialog on Radix Dialog: focus is trapped inside and starts on the dialog's own
 * first choice (`data-autofocus`), Escape and the close button close it, the rest of the
 * app is hidden from assistive tech while it is open, and focus returns to the message
 * list so the next shortcut works. Dialogs are open while mounted: closing one clears
 * `ui.dialog`, which unmounts it.
 */
export function Dialog({
  title,
  children,
  onClose,
  className,
  describedBy,
}: {
  title: string;
  children: ReactNode;
  onClose?: () => void;
  className?: string;
  describedBy?: string;
}) {
  const t = useT();
  const close = () => {
    onClose?.();
    useUi.getState().set({ dialog: null });
    focusList();
  };
  return (
    <RadixDialog.Root
      open
      onOpenChange={(open) => {
        if (!open) close();
      }}
    >
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content
          className={className ? `dialog ${className}` : 'dialog'}
          aria-describedby={describedBy}
          // Radix hides the rest of the app; saying so on the dialog too helps screen readers that ignore that.
          aria-modal="true"
          onOpenAutoFocus={(event) => {
            const first = (event.currentTarget as HTMLElement | null)?.querySelector<HTMLElement>('[data-autofocus]');
            if (first) {
              event.preventDefault();
              first.focus();
            }
          }}
          // Where focus goes next is decided by whoever closed the dialog (the list, or a screen it opened).
          onCloseAutoFocus={(event) => event.preventDefault()}
        >
          <div className="dialog-head">
            <RadixDialog.Title asChild>
              <h2>{title}</h2>
            </RadixDialog.Title>
            <RadixDialog.Close className="icon-button" aria-label={t('common.close')}>
              <X size={16} aria-hidden="true" />
            </RadixDialog.Close>
          </div>
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

export function closeDialog(): void {
  useUi.getState().set({ dialog: null });
  focusList();
}
