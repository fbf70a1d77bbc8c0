import { useId } from 'react';
import type { PeriodSpecWire } from '../../../shared/contract';
import { useEarningsT } from './EarningsIntl';

export type PeriodKind = PeriodSpecWire['kind'];
const KINDS: PeriodKind[] = ['today', '7d', '30d', 'month', 'year', 'custom'];

export function PeriodPicker({
  kind,
  from,
  to,
  invalid,
  onChange,
}: {
  kind: PeriodKind;
  from: string;
  to: string;
  invalid: boolean;
  onChange(next: { kind: PeriodKind; from: string; to: string }): void;
}) {
  const t = useEarningsT();
  const id = useId();
  return (
    <fieldset className="earnings-period">
      <legend className="visually-hidden">{t('earnings.period')}</legend>
      <label htmlFor={`${id}-kind`}>{t('earnings.period')}</label>
      <select
        id={`${id}-kind`}
        value={kind}
        onChange={(e) => onChange({ kind: e.target.value as PeriodKind, from, to })}
      >
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`earnings.period.${k}`)}
          </option>
        ))}
      </select>
      {kind === 'custom' && (
        <>
          <label htmlFor={`${id}-from`}>{t('earnings.from')}</label>
          <input
            id={`${id}-from`}
            type="date"
            value={from}
            aria-invalid={invalid}
            onChange={(e) => onChange({ kind, from: e.target.value, to })}
          />
          <label htmlFor={`${id}-to`}>{t('earnings.to')}</label>
          <input
            id={`${id}-to`}
            type="date"
            value={to}
            aria-invalid={invalid}
            onChange={(e) => onChange({ kind, from, to: e.target.value })}
          />
          {invalid && (
            <p role="alert" className="earnings-error">
              {t('earnings.invalidPeriod')}
            </p>
          )}
        </>
      )}
    </fieldset>
  );
}
