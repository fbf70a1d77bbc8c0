import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { parseMoney } from '../../../shared/money';
import type { Member } from '../../../shared/protocol';
import { getBridge } from '../../bridge';
import { teamKeys, useInboxSettings } from '../../data/team';
import { errorText } from '../../data/useTriage';
import { formatAmount } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { limitsSummary } from '../../i18n/limitNotice';
import { announce } from '../../ui/announce';
import { untrustedPlain } from '../../ui/SafeText';

type Limits = NonNullable<Member['limits']>;

/**
 * A manager's money limits as one line under their name in the team table: read by everyone,
 * with "Edit limits" for the owner (the form opens as a row of its own beneath, where it has room).
 */
export function MemberLimitsLine({
  member,
  editable,
  editing,
  onEdit,
}: {
  member: Member;
  editable: boolean;
  editing: boolean;
  onEdit(): void;
}) {
  const t = useT();
  const locale = useLocale();
  return (
    <span className="member-limits" data-limits={member.userId}>
      <span>{t('limits.line', { limits: limitsSummary(member.limits, t, locale) })}</span>
      {editable ? (
        <button type="button" className="link" aria-expanded={editing} onClick={onEdit}>
          {t('limits.edit')}
        </button>
      ) : null}
    </span>
  );
}

/** The owner sets a manager's limits; nothing is sent until both amounts read as money. */
export function LimitsForm({
  accountId,
  inboxId,
  member,
  onDone,
}: {
  accountId: string;
  inboxId: string;
  member: Member;
  onDone(): void;
}) {
  const limits: Limits = member.limits ?? { maxPrice: null, dailyRefund: null };
  const t = useT();
  const locale = useLocale();
  const client = useQueryClient();
  const id = useId();
  const currency = useInboxSettings(accountId, inboxId).data?.settings?.price.currency ?? null;
  const shown = (m: Limits['maxPrice']) => (m ? formatAmount(m, locale).replace(/[^\d.,٠-٩٫٬]/g, '') : '');
  const [maxText, setMaxText] = useState(shown(limits.maxPrice));
  const [dailyText, setDailyText] = useState(shown(limits.dailyRefund));
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  // Opened on purpose by the owner: the first field takes focus, once.
  useEffect(() => first.current?.focus({ preventScroll: true }), []);

  const parse = (text: string) => {
    if (text.trim() === '') return null;
    if (!currency) throw new Error(t('limits.noCurrency'));
    const amount = parseMoney(text, currency, locale);
    if (amount.minor <= 0) throw new Error(t('limits.positive'));
    return amount;
  };
  const save = async () => {
    setFailure(null);
    let maxPrice: ReturnType<typeof parse>;
    let dailyRefund: ReturnType<typeof parse>;
    try {
      maxPrice = parse(maxText);
      dailyRefund = parse(dailyText);
    } catch (error) {
      // Nothing is sent: the form keeps what was typed and says what to fix.
      setFailure(t('limits.badAmount', { reason: errorText(error) }));
      return;
    }
    setBusy(true);
    try {
      await getBridge().call('team.setLimits', { accountId, inboxId, userId: member.userId, maxPrice, dailyRefund });
      announce(t('limits.saved', { name: untrustedPlain(member.displayName) }));
      await client.invalidateQueries({ queryKey: teamKeys.team(accountId, inboxId) });
      onDone();
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="limits-form"
      aria-label={t('limits.formTitle', { name: untrustedPlain(member.displayName) })}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        // Esc closes the form like any other popover, keeping what is saved.
        if (e.key === 'Escape') {
          e.stopPropagation();
          onDone();
        }
      }}
    >
      <AmountField
        id={`${id}-max`}
        label={t('limits.maxLabel', { currency: currency ?? '' })}
        value={maxText}
        onChange={setMaxText}
        inputRef={first}
      />
      <AmountField
        id={`${id}-daily`}
        label={t('limits.dailyLabel', { currency: currency ?? '' })}
        value={dailyText}
        onChange={setDailyText}
      />
      <span className="inline-actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('limits.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </span>
      <p className="muted small limits-hint">{t('limits.emptyIsNone')}</p>
      {failure ? (
        <p role="alert" className="field-error limits-hint">
          {failure}
        </p>
      ) : null}
    </form>
  );
}

/** One labelled amount: digits read left to right in either language. */
function AmountField({
  id,
  label,
  value,
  onChange,
  inputRef,
}: {
  id: string;
  label: string;
  value: string;
  onChange(text: string): void;
  inputRef?: React.Ref<HTMLInputElement>;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        inputMode="decimal"
        dir="ltr"
        ref={inputRef}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
