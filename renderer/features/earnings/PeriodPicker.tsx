import { useId } from 'react';
import type { PeriodSpecWire } from '../../../shared/contract';
import { Segmented } from '../../ui/Segmented';
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
      <Segmented<PeriodKind>
        label={t('earnings.period')}
        value={kind}
        onChange={(next) => onChange({ kind: next, from, to })}
        options={KINDS.map((k) => ({ value: k, label: t(`earnings.period.${k}`) }))}
      />
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
