import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useT } from '../i18n/I18n';
import { useUi } from '../state/ui';
import { focusList } from './focus';

/**
 * A modal on the native <dialog>: focus is trapped by the browser, Escape closes it, and
 * focus returns to the message list so the next shortcut works.
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
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
      // The browser focuses the first focusable element (the close button); start on the
      // dialog's own first choice instead, so Enter does the expected thing.
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
  }, []);
  const close = () => {
    onClose?.();
    useUi.getState().set({ dialog: null });
    focusList();
  };
  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        close();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" onClick={close} aria-label={t('common.close')}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}

export function closeDialog(): void {
  useUi.getState().set({ dialog: null });
  focusList();
}
