import './forecast.css';
import { ChevronDown, TrendingDown, X } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { type Account, type ForecastView, MAX_FORECAST_ROWS } from '../../../shared/contract';
import { crossedThreshold } from '../../../shared/forecast';
import { getBridge } from '../../bridge';
import { seesMoney } from '../../data/permissions';
import { useAccounts, useBulkAction } from '../../data/queries';
import { targetInbox, useInboxSettings, useTeam } from '../../data/team';
import { formatDuration, formatMoneyList, isolate } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { useUi } from '../../state/ui';
import { Amount } from '../../ui/Amount';
import { flash } from '../../ui/flash';
import { UntrustedInline, untrustedPlain } from '../../ui/SafeText';
import { Tooltip } from '../../ui/Tooltip';
import { useNow } from '../../ui/useNow';
import {
  dismissedNow,
  localDay,
  useForecast,
  useForecastDismissals,
  useForecastEvents,
  useForecastPrefs,
} from './data';

/**
 * "14 messages ($350) likely refunded in 24 h" — one quiet line above the list, shown
 * only when the inbox's own pace will not reach everything due. "Show" opens the pace, the
 * messages and what can be done about them; the person may put it away for the rest of the day.
 */
export function ForecastBanner({ account }: { account: Account | null }) {
  useForecastEvents();
  const shown = useUi((s) => s.inboxId);
  const inbox = targetInbox(account, shown);
  const accountId = account?.id ?? null;
  const forecast = useForecast(accountId, inbox?.inboxId ?? null).data ?? null;
  useThresholdNotification(forecast);
  const dismissal = useForecastDismissals((s) => (inbox ? s.byInbox[inbox.inboxId] : undefined));
  const today = localDay(useNow());
  if (!account || !inbox || !forecast || forecast.willExpireCount === 0) return null;
  if (dismissedNow(dismissal, today, forecast.willExpireCount)) return null;
  return <Banner accountId={account.id} inbox={inbox} forecast={forecast} />;
}

function Banner({
  accountId,
  inbox,
  forecast,
}: {
  accountId: string;
  inbox: Account['inboxes'][number];
  forecast: ForecastView;
}) {
  const t = useT();
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const dismiss = useForecastDismissals((s) => s.dismiss);
  const money = seesMoney(useAccounts().data ?? [], inbox.inboxId, accountId);
  const line = money
    ? t('forecast.line', {
        count: forecast.willExpireCount,
        amount: isolate(formatMoneyList(forecast.willExpireTotal, locale)),
      })
    : t('forecast.lineNoMoney', { count: forecast.willExpireCount });
  return (
    <section
      className={open ? 'forecast open' : 'forecast'}
      aria-label={t('forecast.region')}
      data-forecast={forecast.willExpireCount}
    >
      <div className="forecast-line">
        <TrendingDown aria-hidden="true" size={16} className="forecast-icon" />
        {/* Cut short only where the list is very narrow (the whole sentence is the hover title); wraps when open. */}
        <p className="forecast-headline" title={line}>
          {line}
        </p>
        <button
          type="button"
          className="forecast-toggle"
          aria-expanded={open}
          aria-controls={detailsId}
          onClick={() => setOpen(!open)}
        >
          {open ? t('forecast.hide') : t('forecast.show')}
          <ChevronDown size={14} aria-hidden="true" className="forecast-chevron" />
        </button>
        <Tooltip content={t('forecast.dismiss')}>
          <button
            type="button"
            className="icon-button"
            aria-label={t('forecast.dismiss')}
            onClick={() => dismiss(inbox.inboxId, forecast.willExpireCount, Date.now())}
          >
            <X size={14} aria-hidden="true" />
          </button>
        </Tooltip>
      </div>
      {open ? (
        <div className="forecast-details" id={detailsId}>
          <p className="forecast-pace">
            {t('forecast.pace', { capacity: forecast.capacity, due: forecast.dueInHorizon })}
          </p>
          <div className="forecast-actions">
            {inbox.role === 'owner' ? (
              <OwnerActions accountId={accountId} inboxId={inbox.inboxId} forecast={forecast} />
            ) : null}
            <HandOver accountId={accountId} inboxId={inbox.inboxId} forecast={forecast} />
          </div>
          <ForecastList forecast={forecast} money={money} />
          <ThresholdField />
        </div>
      ) : null}
    </section>
  );
}

/** The messages the pace will miss, soonest deadline first. */
function ForecastList({ forecast, money }: { forecast: ForecastView; money: boolean }) {
  const t = useT();
  const locale = useLocale();
  const now = useNow();
  return (
    <ol className="forecast-list" aria-label={t('forecast.messages')}>
      {forecast.willExpire.map((row) => (
        <li key={row.id} data-forecast-row={row.id}>
          <UntrustedInline text={row.fanName} className="forecast-fan" />
          {money ? (
            <span className="forecast-price">
              <Amount value={row.price} locale={locale} />
            </span>
          ) : null}
          <span className="forecast-due">
            {row.deadline <= now
              ? t('forecast.overdue')
              : t('forecast.dueIn', { time: formatDuration(row.deadline - now, locale) })}
          </span>
        </li>
      ))}
      {forecast.willExpireCount > MAX_FORECAST_ROWS ? (
        <li className="forecast-more">{t('forecast.more', { count: forecast.willExpireCount - MAX_FORECAST_ROWS })}</li>
      ) : null}
    </ol>
  );
}

/** Settings edits are the owner's: pause new paid messages, or cap the day at what the pace keeps up with. */
function OwnerActions({
  accountId,
  inboxId,
  forecast,
}: {
  accountId: string;
  inboxId: string;
  forecast: ForecastView;
}) {
  const t = useT();
  const settings = useInboxSettings(accountId, inboxId).data?.settings ?? null;
  const cap = forecast.sustainableDailyCap;
  const update = async (patch: { paused: true } | { dailyCap: number }, done: string) => {
    try {
      await getBridge().call('team.updateSettings', { accountId, inboxId, patch });
      flash(done, 'done');
    } catch (error) {
      flash(t('errors.actionFailed', { reason: error instanceof Error ? error.message : String(error) }), 'refused');
    }
  };
  return (
    <>
      {settings && !settings.paused ? (
        <button type="button" onClick={() => void update({ paused: true }, t('forecast.pausedDone'))}>
          {t('forecast.pause')}
        </button>
      ) : null}
      {settings && (settings.dailyCap === null || settings.dailyCap > cap) ? (
        <button type="button" onClick={() => void update({ dailyCap: cap }, t('forecast.capDone', { cap }))}>
          {t('forecast.lowerCap', { cap })}
        </button>
      ) : null}
    </>
  );
}

/** Assigns the messages the pace will miss to a teammate who may decide them. */
function HandOver({ accountId, inboxId, forecast }: { accountId: string; inboxId: string; forecast: ForecastView }) {
  const t = useT();
  const team = useTeam(accountId, inboxId).data;
  const me = useAccounts().data?.find((a) => a.id === accountId)?.userId ?? null;
  const bulk = useBulkAction();
  const deciders = (team?.members ?? []).filter(
    (m) => m.active && m.userId !== me && (m.role === 'owner' || m.permissions.includes('accept')),
  );
  const handTo = async (userId: string, name: string) => {
    const messageIds = forecast.willExpire.map((r) => r.id);
    try {
      await bulk.mutateAsync({ accountId, messageIds, action: { kind: 'triage', patch: { assigneeId: userId } } });
      flash(t('forecast.handedOver', { count: messageIds.length, name: untrustedPlain(name) }), 'done');
    } catch (error) {
      flash(t('errors.actionFailed', { reason: error instanceof Error ? error.message : String(error) }), 'refused');
    }
  };
  return (
    <>
      {deciders.map((m) => (
        <button key={m.userId} type="button" onClick={() => void handTo(m.userId, m.displayName)}>
          {t('forecast.handTo', { name: untrustedPlain(m.displayName) })}
        </button>
      ))}
    </>
  );
}

function ThresholdField() {
  const t = useT();
  const { threshold, setThreshold } = useForecastPrefs();
  const id = useId();
  return (
    <p className="forecast-threshold">
      <label htmlFor={id}>{t('forecast.notifyAt')}</label>
      <input
        id={id}
        type="number"
        min={0}
        max={10000}
        step={1}
        value={threshold}
        onChange={(e) => {
          const value = Number(e.target.value);
          if (!Number.isInteger(value) || value < 0 || value > 10_000) return;
          // Asked on the person's own gesture, as browsers require.
          if (value > 0 && typeof Notification !== 'undefined' && Notification.permission === 'default')
            void Notification.requestPermission();
          setThreshold(value);
        }}
      />
      <span className="forecast-threshold-hint">{t('forecast.notifyHint')}</span>
    </p>
  );
}

/** A desktop notification the first time the forecast reaches the creator's threshold. */
function useThresholdNotification(forecast: ForecastView | null) {
  const t = useT();
  const threshold = useForecastPrefs((s) => s.threshold);
  const previous = useRef<number | null>(null);
  const count = forecast?.willExpireCount ?? null;
  useEffect(() => {
    if (count === null) return;
    const crossed = crossedThreshold(previous.current, count, threshold);
    previous.current = count;
    if (!crossed || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    new Notification(t('forecast.notificationTitle'), { body: t('forecast.headlineNoMoney', { count }) });
  }, [count, threshold, t]);
}
