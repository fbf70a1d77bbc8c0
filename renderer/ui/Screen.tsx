import { ArrowLeft } from 'lucide-react';
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useT } from '../i18n/I18n';
import { useRoute } from '../state/route';
import { focusList } from './focus';

/**
 * A full screen beside the inbox (earnings, team, audit, settings): it takes the whole
 * workspace, has a back button, and Escape returns to where the person came from — the
 * same way out a dialog had, without covering the app.
 */
export function Screen({
  title,
  children,
  onClose,
  className,
  actions,
}: {
  title: string;
  children: ReactNode;
  onClose?: () => void;
  className?: string;
  /** Controls at the end of the header (a period picker, an export button). */
  actions?: ReactNode;
}) {
  const t = useT();
  const titleId = useId();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    // Start on the screen's own first choice when it has one, else on the screen itself.
    const target = ref.current?.querySelector<HTMLElement>('[data-autofocus]') ?? ref.current;
    target?.focus({ preventScroll: true });
  }, []);
  const close = () => {
    onClose?.();
    useRoute.getState().back();
    focusList();
  };
  return (
    <section
      ref={ref}
      className={className ? `screen ${className}` : 'screen'}
      aria-labelledby={titleId}
      tabIndex={-1}
      onKeyDown={(event) => {
        // Menus and popovers inside close themselves first (Radix stops the event).
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          close();
        }
      }}
    >
      <header className="screen-head">
        <button type="button" className="icon-button" onClick={close} aria-label={t('screen.back')}>
          <ArrowLeft size={16} aria-hidden="true" className="flip-rtl" />
        </button>
        <h2 id={titleId}>{title}</h2>
        {actions ? <div className="screen-actions">{actions}</div> : null}
      </header>
      <div className="screen-body">{children}</div>
    </section>
  );
}
