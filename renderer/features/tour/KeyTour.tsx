import { Keyboard, X } from 'lucide-react';
import { useId, useState } from 'react';
import { useT } from '../../i18n/I18n';
import { focusList } from '../../ui/focus';
import { KeyHint } from '../../ui/Kbd';
import { rememberTourSeen, TOUR_STEPS, tourSeen } from './steps';

const storage = () => (typeof localStorage === 'undefined' ? null : localStorage);

/**
 * A short, skippable tour of the keys on the first inbox a person sees. It is a
 * non-modal card in a corner: it never takes focus from the list, so the keys it teaches
 * can be tried while it is open. Skip, Done or Escape (inside it) close it for good on
 * this device.
 */
export function KeyTour() {
  const t = useT();
  const titleId = useId();
  const [open, setOpen] = useState(() => !tourSeen(storage()));
  const [index, setIndex] = useState(0);
  if (!open) return null;
  const step = TOUR_STEPS[index] ?? TOUR_STEPS[0];
  if (!step) return null;
  const last = index === TOUR_STEPS.length - 1;
  const close = () => {
    rememberTourSeen(storage());
    setOpen(false);
    focusList();
  };
  return (
    <section
      className="tour"
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      aria-describedby={`${titleId}-body`}
      data-step={step.id}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          close();
        }
      }}
    >
      <header className="tour-head">
        <span className="tour-icon" aria-hidden="true">
          <Keyboard size={16} />
        </span>
        <span className="tour-count muted small">
          {t('tour.progress', { step: index + 1, total: TOUR_STEPS.length })}
        </span>
        <button type="button" className="icon-button" onClick={close} aria-label={t('tour.skip')}>
          <X size={14} aria-hidden="true" />
        </button>
      </header>
      <h2 id={titleId} className="tour-title">
        {t(`tour.${step.id}.title`)}
      </h2>
      <p id={`${titleId}-body`} className="tour-body">
        {t(`tour.${step.id}.body`)}
      </p>
      <ul className="tour-keys">
        {step.commands.map((command) => (
          <li key={command}>
            <KeyHint command={command} spoken />
            <span>{t(`command.${command}`)}</span>
          </li>
        ))}
      </ul>
      <footer className="tour-foot">
        <span className="tour-dots" aria-hidden="true">
          {TOUR_STEPS.map((s, i) => (
            <span key={s.id} className={i === index ? 'tour-dot is-current' : 'tour-dot'} />
          ))}
        </span>
        {index > 0 ? (
          <button type="button" onClick={() => setIndex(index - 1)}>
            {t('tour.back')}
          </button>
        ) : (
          <button type="button" onClick={close}>
            {t('tour.skip')}
          </button>
        )}
        <button type="button" className="primary" onClick={last ? close : () => setIndex(index + 1)}>
          {last ? t('tour.done') : t('tour.next')}
        </button>
      </footer>
    </section>
  );
}
