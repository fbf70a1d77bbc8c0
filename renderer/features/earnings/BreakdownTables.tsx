import { useIntl } from 'react-intl';
import type { Breakdown } from '../../data/earnings';
import { formatWindow } from '../../i18n/format';
import { Amount } from '../../ui/Amount';
import { UntrustedInline } from '../../ui/SafeText';
import { useEarningsT } from './EarningsIntl';

export function LabelTable({ breakdown }: { breakdown: Breakdown }) {
  const t = useEarningsT();
  const { locale } = useIntl();
  if (breakdown.labels.length === 0) return <p>{t('earnings.table.empty')}</p>;
  return (
    <table className="earnings-table">
      <thead>
        <tr>
          <th scope="col">{t('earnings.table.label')}</th>
          <th scope="col">{t('earnings.table.count')}</th>
          <th scope="col">{t('earnings.table.paid')}</th>
          <th scope="col">{t('earnings.table.net')}</th>
        </tr>
      </thead>
      <tbody>
        {breakdown.labels.map((row) => (
          <tr key={`${row.currency}:${row.label ?? ''}`}>
            <th scope="row" dir="auto">
              {row.label ?? t('earnings.label.none')}
            </th>
            <td>{new Intl.NumberFormat(locale).format(row.count)}</td>
            <td>
              <Amount value={row.gross} locale={locale} />
            </td>
            <td>
              <Amount value={row.net} locale={locale} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SupporterTable({ breakdown }: { breakdown: Breakdown }) {
  const t = useEarningsT();
  const { locale } = useIntl();
  if (breakdown.supporters.length === 0) return <p>{t('earnings.table.empty')}</p>;
  return (
    <table className="earnings-table">
      <thead>
        <tr>
          <th scope="col">{t('earnings.table.fan')}</th>
          <th scope="col">{t('earnings.table.count')}</th>
          <th scope="col">{t('earnings.table.paid')}</th>
        </tr>
      </thead>
      <tbody>
        {breakdown.supporters.map((row) => (
          <tr key={`${row.currency}:${row.fanId}`}>
            {/* Fan names are untrusted text: isolated, direction from the content. */}
            <th scope="row">
              <UntrustedInline text={row.fanName} />
            </th>
            <td>{new Intl.NumberFormat(locale).format(row.count)}</td>
            <td>
              <Amount value={row.paid} locale={locale} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Captures by the tier fans paid for (#18), fastest first; free passes move no money and are never here. */
export function TierTable({ breakdown }: { breakdown: Breakdown }) {
  const t = useEarningsT();
  const { locale } = useIntl();
  if (breakdown.tiers.length === 0) return <p>{t('earnings.table.empty')}</p>;
  return (
    <table className="earnings-table earnings-tiers">
      <thead>
        <tr>
          <th scope="col">{t('earnings.table.tier')}</th>
          <th scope="col">{t('earnings.table.count')}</th>
          <th scope="col">{t('earnings.table.paid')}</th>
          <th scope="col">{t('earnings.table.net')}</th>
        </tr>
      </thead>
      <tbody>
        {breakdown.tiers.map((row) => (
          <tr key={`${row.currency}:${row.windowMs}`} data-window-ms={row.windowMs}>
            <th scope="row">{t('earnings.tier.within', { window: formatWindow(row.windowMs, locale) })}</th>
            <td>{new Intl.NumberFormat(locale).format(row.count)}</td>
            <td>
              <Amount value={row.gross} locale={locale} />
            </td>
            <td>
              <Amount value={row.net} locale={locale} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
