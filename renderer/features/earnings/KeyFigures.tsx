import { useIntl } from 'react-intl';
import { acceptancePercent, type Summary } from '../../data/earnings';
import { amountInText } from '../../i18n/format';
import { useEarningsT } from './EarningsIntl';

type CurrencyFigures = Summary['currencies'][number];

/**
 * Currencies ordered by use: the one most messages were paid in first (the inbox's own
 * price), so the key figures and the cards lead with what matters.
 */
export function byUse(currencies: readonly CurrencyFigures[]): CurrencyFigures[] {
  return [...currencies].sort((a, b) => b.received.count - a.received.count || a.currency.localeCompare(b.currency));
}

/**
 * The row of key figures a finance dashboard leads with — earned, held, at risk, available,
 * acceptance rate — for the main currency of the period; each amount is the core's, never
 * summed across currencies.
 */
export function KeyFigures({ summary }: { summary: Summary }) {
  const t = useEarningsT();
  const { locale } = useIntl();
  const main = byUse(summary.currencies)[0];
  if (!main) return null;
  const m = (amount: { minor: number; currency: string }) => amountInText(amount, locale);
  const percent = acceptancePercent(main.acceptance);
  const tiles: { key: string; label: string; value: string; detail?: string; tone?: string }[] = [
    {
      key: 'net',
      label: t('earnings.net'),
      value: m(main.accepted.net),
      detail: t('earnings.messages', { count: main.accepted.count }),
      tone: 'captured',
    },
    {
      key: 'held',
      label: t('earnings.held'),
      value: m(main.held.amount),
      detail: t('earnings.messages', { count: main.held.count }),
      tone: 'held',
    },
    {
      key: 'risk',
      label: t('earnings.expiringSoon'),
      value: m(main.expiringSoon.amount),
      detail: t('earnings.messages', { count: main.expiringSoon.count }),
      tone: main.expiringSoon.count > 0 ? 'risk' : undefined,
    },
    { key: 'available', label: t('earnings.available'), value: m(main.available) },
    {
      key: 'acceptance',
      label: t('earnings.acceptanceRate'),
      value: percent === null ? t('earnings.none') : `${new Intl.NumberFormat(locale).format(percent)}%`,
      detail:
        percent === null
          ? undefined
          : t('earnings.acceptanceOf', { accepted: main.acceptance.accepted, decided: main.acceptance.decided }),
    },
  ];
  return (
    <section className="key-figures" aria-label={t('earnings.keyFigures', { currency: main.currency })}>
      {tiles.map((tile) => (
        <div
          key={tile.key}
          className={tile.tone ? `key-figure tone-${tile.tone}` : 'key-figure'}
          data-figure={tile.key}
        >
          <span className="key-figure-label">{tile.label}</span>
          <span className="key-figure-value num">{tile.value}</span>
          {tile.detail ? <span className="key-figure-detail">{tile.detail}</span> : null}
        </div>
      ))}
    </section>
  );
}
