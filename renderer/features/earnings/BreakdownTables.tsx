import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import type { Breakdown } from '../../data/earnings';
import { formatWindow } from '../../i18n/format';
import { Amount } from '../../ui/Amount';
import { UntrustedInline } from '../../ui/SafeText';
import { TableHead } from '../../ui/TableHead';
import { useEarningsT } from './EarningsIntl';

/** One row of a count + paid + net table: what it is about, and its totals. */
interface MoneyRow {
  key: string;
  head: ReactNode;
  count: number;
  gross: Breakdown['labels'][number]['gross'];
  net: Breakdown['labels'][number]['net'];
  /** The tier's window, for tests and styling; absent for labels. */
  windowMs?: number;
}

/** The table the label and tier breakdowns share: what, how many, what fans paid, what was earned. */
function MoneyTable({ first, rows, className }: { first: string; rows: MoneyRow[]; className?: string }) {
  const t = useEarningsT();
  const { locale } = useIntl();
  if (rows.length === 0) return <p>{t('earnings.table.empty')}</p>;
  return (
    <table className={className ? `earnings-table ${className}` : 'earnings-table'}>
      <TableHead columns={[first, t('earnings.table.count'), t('earnings.table.paid'), t('earnings.table.net')]} />
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-window-ms={row.windowMs}>
            <th scope="row" dir="auto">
              {row.head}
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

export function LabelTable({ breakdown }: { breakdown: Breakdown }) {
  const t = useEarningsT();
  const rows = breakdown.labels.map((row) => ({
    ...row,
    key: `${row.currency}:${row.label ?? ''}`,
    head: row.label ?? t('earnings.label.none'),
  }));
  return <MoneyTable first={t('earnings.table.label')} rows={rows} />;
}

/** Captures by the tier fans paid for (#18), fastest first; free passes move no money and are never here. */
export function TierTable({ breakdown }: { breakdown: Breakdown }) {
  const t = useEarningsT();
  const { locale } = useIntl();
  const rows = breakdown.tiers.map((row) => ({
    ...row,
    key: `${row.currency}:${row.windowMs}`,
    head: t('earnings.tier.within', { window: formatWindow(row.windowMs, locale) }),
  }));
  return <MoneyTable first={t('earnings.table.tier')} rows={rows} className="earnings-tiers" />;
}

export function SupporterTable({ breakdown }: { breakdown: Breakdown }) {
  const t = useEarningsT();
  const { locale } = useIntl();
  if (breakdown.supporters.length === 0) return <p>{t('earnings.table.empty')}</p>;
  return (
    <table className="earnings-table">
      <TableHead columns={[t('earnings.table.fan'), t('earnings.table.count'), t('earnings.table.paid')]} />
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
