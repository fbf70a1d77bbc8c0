import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { AUDIT_CATEGORIES, BridgeCallError } from '../../../shared/contract';
import { getBridge } from '../../bridge';
import { formatDateTime } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { announce } from '../../ui/announce';
import { UntrustedInline, untrustedPlain } from '../../ui/SafeText';
import { Screen } from '../../ui/Screen';
import { type AuditFilterState, auditInput, teamKeys } from '../team/data';
import { detailSummary, downloadText, isKnownAction } from './describe';

const EMPTY: AuditFilterState = { category: '', actorId: '', from: '', to: '' };

/** Owner: who accepted, refunded, replied, changed settings or the team — when and from which device. */
export function AuditDialog({ accountId, inboxId }: { accountId: string; inboxId: string }) {
  const t = useT();
  const locale = useLocale();
  const [filter, setFilter] = useState<AuditFilterState>(EMPTY);
  const [failure, setFailure] = useState<string | null>(null);
  const ids = { category: useId(), actor: useId(), from: useId(), to: useId() };
  const input = auditInput(accountId, inboxId, filter);
  const pages = useInfiniteQuery({
    queryKey: teamKeys.audit(accountId, input),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => getBridge().call('team.audit', { ...input, cursor: pageParam, limit: 100 }),
    getNextPageParam: (last) => last.nextCursor,
  });
  const entries = pages.data?.pages.flatMap((p) => p.entries) ?? [];
  const actors = pages.data?.pages[0]?.actors ?? [];
  const set = (patch: Partial<AuditFilterState>) => setFilter((f) => ({ ...f, ...patch }));
  const exportCsv = async () => {
    setFailure(null);
    try {
      const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const file = await getBridge().call('team.auditCsv', { ...input, timeZone });
      downloadText(file.fileName, file.csv);
      announce(t('audit.exported', { count: file.rows }));
    } catch (error) {
      setFailure(error instanceof BridgeCallError ? error.message : String(error));
    }
  };
  return (
    <Screen title={t('audit.title')} className="audit-screen">
      <div className="field-row audit-filters">
        <div className="field">
          <label htmlFor={ids.category}>{t('audit.what')}</label>
          <select
            id={ids.category}
            value={filter.category}
            onChange={(e) => set({ category: e.target.value as AuditFilterState['category'] })}
          >
            <option value="">{t('audit.everything')}</option>
            {AUDIT_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`audit.category.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.actor}>{t('audit.who')}</label>
          <select id={ids.actor} value={filter.actorId} onChange={(e) => set({ actorId: e.target.value })}>
            <option value="">{t('audit.anyone')}</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {untrustedPlain(a.name)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.from}>{t('audit.from')}</label>
          <input id={ids.from} type="date" value={filter.from} onChange={(e) => set({ from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>{t('audit.to')}</label>
          <input id={ids.to} type="date" value={filter.to} onChange={(e) => set({ to: e.target.value })} />
        </div>
        <button type="button" onClick={() => void exportCsv()}>
          {t('audit.export')}
        </button>
      </div>
      {failure ? <p role="alert">{failure}</p> : null}
      {pages.isError ? (
        <p role="alert">{pages.error instanceof Error ? pages.error.message : t('audit.loadFailed')}</p>
      ) : null}
      <table className="audit-table">
        <caption className="visually-hidden">{t('audit.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.when')}</th>
            <th scope="col">{t('audit.who')}</th>
            <th scope="col">{t('audit.what')}</th>
            <th scope="col">{t('audit.device')}</th>
            <th scope="col">{t('audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td>{formatDateTime(e.at, locale)}</td>
              <td>{e.actorId === null ? t('audit.platform') : <UntrustedInline text={e.actorName} />}</td>
              <td>{isKnownAction(e.action) ? t(`audit.action.${e.action}`) : e.action}</td>
              <td>{e.deviceName ? <UntrustedInline text={e.deviceName} /> : '—'}</td>
              <td>
                <UntrustedInline text={detailSummary(e)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pages.data && entries.length === 0 ? <p>{t('audit.empty')}</p> : null}
      {pages.hasNextPage ? (
        <button
          type="button"
          onClick={() => void (pages.isFetchingNextPage ? undefined : pages.fetchNextPage())}
          aria-disabled={pages.isFetchingNextPage}
        >
          {t('audit.more')}
        </button>
      ) : null}
    </Screen>
  );
}
