import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { parseMoney } from '../../../shared/money';
import type { Member } from '../../../shared/protocol';
import { getBridge } from '../../bridge';
import { teamKeys, useInboxSettings } from '../../data/team';
import { errorText } from '../../data/useTriage';
import { amountInText, formatAmount } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { announce } from '../../ui/announce';
import { untrustedPlain } from '../../ui/SafeText';

type Limits = NonNullable<Member['limits']>;

/** A member's money limits in the team table: read by everyone, set by the owner on a manager. */
export function MemberLimitsCell({
  accountId,
  inboxId,
  member,
  editable,
}: {
  accountId: string;
  inboxId: string;
  member: Member;
  editable: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const [editing, setEditing] = useState(false);
  if (member.role === 'owner') return <>{t('limits.none')}</>;
  const limits = member.limits ?? { maxPrice: null, dailyRefund: null };
  const summary = [
    limits.maxPrice ? t('limits.maxSummary', { max: amountInText(limits.maxPrice, locale) }) : null,
    limits.dailyRefund ? t('limits.dailySummary', { max: amountInText(limits.dailyRefund, locale) }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <div className="member-limits" data-limits={member.userId}>
      <span>{summary || t('limits.none')}</span>
      {editable && !editing ? (
        <button type="button" onClick={() => setEditing(true)}>
          {t('limits.edit')}
        </button>
      ) : null}
      {editable && editing ? (
        <LimitsForm
          accountId={accountId}
          inboxId={inboxId}
          member={member}
          limits={limits}
          onDone={() => setEditing(false)}
        />
      ) : null}
    </div>
  );
}

function LimitsForm({
  accountId,
  inboxId,
  member,
  limits,
  onDone,
}: {
  accountId: string;
  inboxId: string;
  member: Member;
  limits: Limits;
  onDone(): void;
}) {
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
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label htmlFor={`${id}-max`}>{t('limits.maxLabel', { currency: currency ?? '' })}</label>
      <input id={`${id}-max`} inputMode="decimal" value={maxText} onChange={(e) => setMaxText(e.target.value)} />
      <label htmlFor={`${id}-daily`}>{t('limits.dailyLabel', { currency: currency ?? '' })}</label>
      <input id={`${id}-daily`} inputMode="decimal" value={dailyText} onChange={(e) => setDailyText(e.target.value)} />
      <p className="muted small">{t('limits.emptyIsNone')}</p>
      {failure ? <p role="alert">{failure}</p> : null}
      <span className="inline-actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('limits.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </span>
    </form>
  );
}
