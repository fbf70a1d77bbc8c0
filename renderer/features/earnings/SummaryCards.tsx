import { useIntl } from 'react-intl';
import { acceptancePercent, type Summary } from '../../data/earnings';
import { amountInText, formatDuration, isolate } from '../../i18n/format';
import { useEarningsT } from './EarningsIntl';
import { byUse } from './KeyFigures';

type CurrencyFigures = Summary['currencies'][number];

/** One card per currency: amounts in different currencies are never added together. */
export function SummaryCards({ summary }: { summary: Summary }) {
  const t = useEarningsT();
  if (summary.currencies.length === 0) return <p className="earnings-empty">{t('earnings.empty')}</p>;
  return (
    <div className="earnings-cards">
      {byUse(summary.currencies).map((figures) => (
        <CurrencyCard key={figures.currency} figures={figures} />
      ))}
    </div>
  );
}

function CurrencyCard({ figures }: { figures: CurrencyFigures }) {
  const t = useEarningsT();
  const { locale } = useIntl();
  const m = (amount: { minor: number; currency: string }) => amountInText(amount, locale);
  type Counted = { count: number; amount: { minor: number; currency: string } };
  // What is counted: messages, except on the payouts row.
  const counted = (c: Counted, what: 'earnings.messages' | 'earnings.payoutCount' = 'earnings.messages') =>
    `${m(c.amount)} · ${isolate(t(what, { count: c.count }))}`;
  const percent = acceptancePercent(figures.acceptance);
  const rows: [string, string, string?][] = [
    [t('earnings.received'), counted(figures.received)],
    [
      t('earnings.gross'),
      `${m(figures.accepted.gross)} · ${t('earnings.messages', { count: figures.accepted.count })}`,
    ],
    [t('earnings.fee'), m(figures.accepted.fee)],
    [t('earnings.net'), m(figures.accepted.net), 'net'],
    [t('earnings.refunded'), counted(figures.refunded)],
    [t('earnings.expired'), counted(figures.expired)],
    [t('earnings.paidOut'), counted(figures.paidOut, 'earnings.payoutCount')],
    [
      t('earnings.acceptanceRate'),
      percent === null
        ? t('earnings.none')
        : t('earnings.acceptanceValue', {
            percent,
            accepted: figures.acceptance.accepted,
            decided: figures.acceptance.decided,
          }),
    ],
    [
      t('earnings.medianDecision'),
      figures.medianDecisionMs === null ? t('earnings.none') : formatDuration(figures.medianDecisionMs, locale),
    ],
    [t('earnings.held'), counted(figures.held)],
    [t('earnings.expiringSoon'), counted(figures.expiringSoon), figures.expiringSoon.count > 0 ? 'risk' : undefined],
    [t('earnings.available'), m(figures.available), 'available'],
  ];
  return (
    <article className="earnings-card" aria-label={figures.currency} data-currency={figures.currency}>
      <h2>{figures.currency}</h2>
      <dl>
        {rows.map(([label, value, tone]) => (
          <div key={label} className={tone ? `earnings-row ${tone}` : 'earnings-row'}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </article>
  );
}

export function WaitingToSync({ summary }: { summary: Summary }) {
  const t = useEarningsT();
  const { locale } = useIntl();
  const waiting = summary.waitingToSync.filter((w) => w.accepts.count + w.refunds.count > 0);
  if (waiting.length === 0) return null;
  return (
    <ul className="earnings-waiting">
      {waiting.map((w) => (
        <li key={w.currency}>
          {t('earnings.waitingToSync', {
            currency: w.currency,
            accepts: w.accepts.count,
            acceptAmount: amountInText(w.accepts.amount, locale),
            refunds: w.refunds.count,
            refundAmount: amountInText(w.refunds.amount, locale),
          })}
        </li>
      ))}
    </ul>
  );
}
