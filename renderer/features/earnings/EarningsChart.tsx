import { useId } from 'react';
import { useIntl } from 'react-intl';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type ChartPoint, chartPoints, formatBucketDate, type Granularity, type Series } from '../../data/earnings';
import { formatAmount } from '../../i18n/format';
import { useEarningsT } from './EarningsIntl';

/**
 * Net earnings per bucket for one currency, drawn with recharts: declarative React, SVG
 * that screen readers can skip for the text summary, and a few hundred bars at most (the
 * core caps the buckets), well within what SVG draws smoothly. Tooltips show the exact
 * amount from minor units in the person's locale.
 */
export function EarningsChart({
  series,
  currency,
  granularity,
}: {
  series: Series;
  currency: string;
  granularity: Granularity;
}) {
  const t = useEarningsT();
  const { locale } = useIntl();
  const descriptionId = useId();
  const points = chartPoints(series, currency);
  const totalMinor = points.reduce((sum, p) => sum + p.netMinor, 0);
  const axisNumber = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  return (
    <figure className="earnings-chart" aria-describedby={descriptionId}>
      <p id={descriptionId} className="visually-hidden">
        {t('earnings.chart.description', {
          currency,
          points: points.length,
          total: formatAmount({ minor: totalMinor, currency: currency }, locale),
        })}
      </p>
      <div className="earnings-chart-area" dir="ltr" aria-hidden="true">
        <ResponsiveContainer width="100%" height={260}>
          {/* No keyboard layer: the chart is hidden from assistive tech (its figures are in the description). */}
          <BarChart data={points} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="key"
              tickFormatter={(key: string) => formatBucketDate(key, locale, granularity)}
              minTickGap={16}
            />
            <YAxis tickFormatter={(value: number) => axisNumber.format(value)} width={56} />
            <Tooltip
              content={({ active, payload }) => {
                const point = active ? (payload?.[0]?.payload as ChartPoint | undefined) : undefined;
                if (!point) return null;
                return (
                  <div className="earnings-tooltip">
                    {t('earnings.chart.tooltip', {
                      date: formatBucketDate(point.key, locale, granularity),
                      amount: formatAmount({ minor: point.netMinor, currency: currency }, locale),
                      count: point.accepted,
                    })}
                  </div>
                );
              }}
            />
            <Bar dataKey="net" fill="var(--accent)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
