import * as Tabs from '@radix-ui/react-tabs';
import { useId, useMemo, useState } from 'react';
import { canRequestPayout, canViewEarnings, type Granularity, periodSpec, userTimeZone } from '../../data/earnings';
import { useAccounts } from '../../data/queries';
import { Segmented } from '../../ui/Segmented';
import { useNow } from '../../ui/useNow';
import { LabelTable, SupporterTable, TierTable } from './BreakdownTables';
import { type EarningsScope, useBreakdown, useEarningsRefresh, useSeries, useSummary } from './data';
import { EarningsChart } from './EarningsChart';
import { EarningsIntl, useEarningsT } from './EarningsIntl';
import { ExportButton } from './ExportButton';
import { KeyFigures } from './KeyFigures';
import { Payouts } from './Payouts';
import { type PeriodKind, PeriodPicker } from './PeriodPicker';
import { SummaryCards, WaitingToSync } from './SummaryCards';
import './earnings.css';

/** Whether this person may see earnings in the inbox: the shell hides its entry when not. */
export function useCanViewEarnings(accountId: string | null, inboxId: string | null): boolean {
  const accounts = useAccounts().data ?? [];
  const inbox = accounts.find((a) => a.id === accountId)?.inboxes.find((i) => i.inboxId === inboxId);
  return canViewEarnings(inbox);
}

/**
 * The earnings screen of one inbox: figures per currency for a period, the chart, the
 * breakdown by label and supporter, payouts and the CSV export. Every figure comes from
 * the core (ledger entries synced from the platform); nothing here adds money up.
 */
export function EarningsScreen({ accountId, inboxId }: { accountId: string; inboxId: string }) {
  return (
    <EarningsIntl>
      <Screen accountId={accountId} inboxId={inboxId} />
    </EarningsIntl>
  );
}

function Screen({ accountId, inboxId }: { accountId: string; inboxId: string }) {
  const t = useEarningsT();
  const accounts = useAccounts();
  const inbox = accounts.data?.find((a) => a.id === accountId)?.inboxes.find((i) => i.inboxId === inboxId);
  const allowed = canViewEarnings(inbox);
  const [timeZone] = useState(userTimeZone);
  const [choice, setChoice] = useState<{ kind: PeriodKind; from: string; to: string }>({
    kind: '30d',
    from: '',
    to: '',
  });
  const period = useMemo(() => periodSpec(choice.kind, choice.from, choice.to), [choice]);
  const scope = { accountId, inboxId, period, timeZone };
  useEarningsRefresh(accountId, inboxId);
  const minute = Math.floor(useNow(60_000) / 60_000);
  const summary = useSummary(scope, allowed, minute);

  if (accounts.isLoading) return <p aria-busy="true">{t('earnings.loading')}</p>;
  if (!allowed) {
    // Hidden, as the platform refuses it anyway: no figure is ever asked for.
    return (
      <div className="earnings">
        <p>{t('earnings.noAccess')}</p>
      </div>
    );
  }
  return (
    // The screen around it (ui/Screen) carries the title and the way back.
    <div className="earnings">
      <header className="earnings-header">
        <PeriodPicker
          kind={choice.kind}
          from={choice.from}
          to={choice.to}
          invalid={choice.kind === 'custom' && choice.from !== '' && choice.to !== '' && period === null}
          onChange={setChoice}
        />
        <ExportButton accountId={accountId} inboxId={inboxId} period={period} timeZone={timeZone} />
      </header>
      {summary.data && (
        <p className="earnings-range">
          {t('earnings.periodRange', {
            from: summary.data.period.fromDate,
            to: summary.data.period.toDate,
            timeZone: summary.data.period.timeZone,
          })}
        </p>
      )}
      {summary.isLoading && <p aria-busy="true">{t('earnings.loading')}</p>}
      {summary.error && (
        <p role="alert" className="earnings-error">
          {t('earnings.error', { message: summary.error.message })}
        </p>
      )}
      {summary.data && (
        <>
          <WaitingToSync summary={summary.data} />
          <KeyFigures summary={summary.data} />
          {/* The chart beside the per-currency detail, as a finance dashboard lays them out. */}
          <div className="earnings-main">
            <Insights scope={scope} currencies={summary.data.currencies.map((c) => c.currency)} />
            <SummaryCards summary={summary.data} />
          </div>
        </>
      )}
      <Payouts accountId={accountId} inboxId={inboxId} timeZone={timeZone} canRequest={canRequestPayout(inbox)} />
    </div>
  );
}

type View = 'chart' | 'tiers' | 'labels' | 'supporters';

function Insights({ scope, currencies }: { scope: EarningsScope; currencies: string[] }) {
  const t = useEarningsT();
  const id = useId();
  const [view, setView] = useState<View>('chart');
  const [granularity, setGranularity] = useState<Granularity>('day');
  const [picked, setPicked] = useState('');
  const currency = currencies.includes(picked) ? picked : (currencies[0] ?? '');
  const series = useSeries(scope, granularity, view === 'chart');
  const breakdown = useBreakdown(scope, view !== 'chart');
  if (currencies.length === 0) return null;
  return (
    <section className="earnings-insights" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('earnings.chart.title')}</h2>
      {/* Radix tabs: arrow keys move between views, each view is a labelled tab panel. */}
      <Tabs.Root value={view} onValueChange={(next) => setView(next as View)}>
        <div className="earnings-controls">
          <Tabs.List className="segmented" aria-label={t('earnings.view')}>
            {(['chart', 'tiers', 'labels', 'supporters'] as View[]).map((v) => (
              <Tabs.Trigger key={v} value={v} className="segment">
                {t(`earnings.view.${v}`)}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          {view === 'chart' && (
            <>
              <Segmented<Granularity>
                label={t('earnings.chart.step')}
                value={granularity}
                onChange={setGranularity}
                options={(['day', 'week', 'month'] as Granularity[]).map((g) => ({
                  value: g,
                  label: t(`earnings.chart.${g}`),
                }))}
              />
              {currencies.length > 1 && (
                <label>
                  {t('earnings.chart.currency')}
                  <select value={currency} onChange={(e) => setPicked(e.target.value)}>
                    {currencies.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </>
          )}
        </div>
        <Tabs.Content value="chart" className="earnings-tab">
          {series.error && (
            <p role="alert" className="earnings-error">
              {t('earnings.error', { message: series.error.message })}
            </p>
          )}
          {series.data && <EarningsChart series={series.data} currency={currency} granularity={granularity} />}
        </Tabs.Content>
        <Tabs.Content value="tiers" className="earnings-tab">
          {breakdown.data && <TierTable breakdown={breakdown.data} />}
        </Tabs.Content>
        <Tabs.Content value="labels" className="earnings-tab">
          {breakdown.data && <LabelTable breakdown={breakdown.data} />}
        </Tabs.Content>
        <Tabs.Content value="supporters" className="earnings-tab">
          {breakdown.data && <SupporterTable breakdown={breakdown.data} />}
        </Tabs.Content>
      </Tabs.Root>
    </section>
  );
}
