import { type FormEvent, useId, useState } from 'react';
import { useIntl } from 'react-intl';
import { MoneyError, parseMoney } from '../../../shared/money';
import { amountInText, formatDateTime, formatMoneyList } from '../../i18n/format';
import { Amount } from '../../ui/Amount';
import { announce } from '../../ui/announce';
import { TableHead } from '../../ui/TableHead';
import { usePayouts, useRequestPayout } from './data';
import { useEarningsT } from './EarningsIntl';

export function Payouts({
  accountId,
  inboxId,
  timeZone,
  canRequest,
}: {
  accountId: string;
  inboxId: string;
  timeZone: string;
  canRequest: boolean;
}) {
  const t = useEarningsT();
  const { locale } = useIntl();
  const id = useId();
  const payouts = usePayouts(accountId, inboxId, timeZone, true);
  const request = useRequestPayout(accountId, inboxId);
  const available = payouts.data?.available ?? [];
  const [currency, setCurrency] = useState<string>('');
  const [text, setText] = useState('');
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const chosen = currency || available[0]?.currency || '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    let amount: ReturnType<typeof parseMoney>;
    try {
      amount = parseMoney(text, chosen, locale);
      if (amount.minor <= 0) throw new MoneyError('invalid_amount_text', 'zero');
    } catch {
      setMessage({ tone: 'error', text: t('earnings.payouts.invalid') });
      return;
    }
    request.mutate(amount, {
      onSuccess: (payout) => {
        const done = t('earnings.payouts.done', { amount: amountInText(payout.amount, locale) });
        setMessage({ tone: 'ok', text: done });
        announce(done);
        setText('');
      },
      onError: (error) => setMessage({ tone: 'error', text: t('earnings.payouts.failed', { message: error.message }) }),
    });
  };

  return (
    <section className="earnings-payouts" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('earnings.payouts.title')}</h2>
      <p>
        {t('earnings.available')}: {available.length === 0 ? t('earnings.none') : formatMoneyList(available, locale)}
      </p>
      {canRequest && available.length > 0 && (
        <form onSubmit={submit} className="earnings-payout-form">
          <label htmlFor={`${id}-amount`}>{t('earnings.payouts.amount')}</label>
          <input
            id={`${id}-amount`}
            inputMode="decimal"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={message?.tone === 'error'}
          />
          {available.length > 1 && (
            <>
              <label htmlFor={`${id}-currency`}>{t('earnings.payouts.currency')}</label>
              <select id={`${id}-currency`} value={chosen} onChange={(e) => setCurrency(e.target.value)}>
                {available.map((a) => (
                  <option key={a.currency} value={a.currency}>
                    {a.currency}
                  </option>
                ))}
              </select>
            </>
          )}
          {available.length === 1 && <span>{chosen}</span>}
          <button type="submit" disabled={request.isPending || text.trim() === ''}>
            {request.isPending ? t('earnings.payouts.requesting') : t('earnings.payouts.request')}
          </button>
        </form>
      )}
      {message && (
        <p role={message.tone === 'error' ? 'alert' : 'status'} className={`earnings-${message.tone}`}>
          {message.text}
        </p>
      )}
      {payouts.data && payouts.data.payouts.length === 0 && <p>{t('earnings.payouts.empty')}</p>}
      {payouts.data && payouts.data.payouts.length > 0 && (
        <table className="earnings-table">
          <TableHead
            columns={[
              t('earnings.payouts.date'),
              { label: t('earnings.payouts.amount'), className: 'num-col' },
              t('earnings.payouts.status'),
            ]}
          />
          <tbody>
            {payouts.data.payouts.map((p) => (
              <tr key={p.id}>
                <td>{formatDateTime(p.at, locale)}</td>
                <td className="num-col num">
                  <Amount value={p.amount} locale={locale} />
                </td>
                <td>
                  {/* Payouts shown here are ledger entries the platform confirmed. */}
                  <span className="chip money-captured">{t('earnings.payouts.paid')}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
