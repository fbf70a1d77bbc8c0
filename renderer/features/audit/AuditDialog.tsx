import { useInfiniteQuery } from '@tanstack/react-query';
import {
  Ban,
  Banknote,
  Check,
  CircleCheck,
  Clock,
  Download,
  ListChecks,
  type LucideIcon,
  Reply,
  ScrollText,
  SlidersHorizontal,
  StickyNote,
  Ticket,
  Undo2,
  UserCheck,
  UserCog,
  UserMinus,
  UserPlus,
} from 'lucide-react';
import { useId, useState } from 'react';
import { AUDIT_CATEGORIES, BridgeCallError } from '../../../shared/contract';
import { getBridge } from '../../bridge';
import { type AuditFilterState, auditInput, teamKeys } from '../../data/team';
import { formatDateTime } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { Avatar } from '../../ui/Avatar';
import { announce } from '../../ui/announce';
import { UntrustedInline, untrustedPlain } from '../../ui/SafeText';
import { Screen } from '../../ui/Screen';
import { EmptyState } from '../../ui/States';
import { TableHead } from '../../ui/TableHead';
import { actionSentence, detailSummary, downloadText, isKnownAction, type KnownAction } from './describe';

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
      <div className="field-row audit-filters panel wide panel-body">
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
        <button type="button" className="audit-export" onClick={() => void exportCsv()}>
          <Download size={14} aria-hidden="true" />
          {t('audit.export')}
        </button>
      </div>
      {failure ? <p role="alert">{failure}</p> : null}
      {pages.isError ? (
        <p role="alert">{pages.error instanceof Error ? pages.error.message : t('audit.loadFailed')}</p>
      ) : null}
      <div className="panel wide">
        <table className="audit-table data-table">
          <TableHead
            caption={t('audit.title')}
            columns={[t('audit.when'), t('audit.who'), t('audit.what'), t('audit.device'), t('audit.details')]}
          />
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td className="num muted">{formatDateTime(e.at, locale)}</td>
                <td className="audit-who-cell">
                  {e.actorId === null ? (
                    t('audit.platform')
                  ) : (
                    <span className="audit-who">
                      <Avatar name={e.actorName} id={e.actorId} size="sm" />
                      <UntrustedInline text={e.actorName} />
                    </span>
                  )}
                </td>
                <td className="audit-what">
                  <span className="audit-action">
                    <ActionIcon action={e.action} />
                    {actionSentence(e, t, locale) ??
                      (isKnownAction(e.action) ? t(`audit.action.${e.action}`) : e.action)}
                  </span>
                </td>
                <td className="muted audit-device">{e.deviceName ? <UntrustedInline text={e.deviceName} /> : '—'}</td>
                <td className="audit-details">
                  <UntrustedInline text={detailSummary(e)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {pages.data && entries.length === 0 ? (
          <EmptyState icon={<ScrollText size={24} aria-hidden="true" />} title={t('audit.empty')} />
        ) : null}
      </div>
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

/** One glyph per kind of action, so the log can be scanned by shape before it is read. */
const ACTION_ICONS: Record<KnownAction, LucideIcon> = {
  'message.accept': Check,
  'message.refund': Undo2,
  'message.reply': Reply,
  'message.expire': Clock,
  'message.note': StickyNote,
  'message.triage': ListChecks,
  'settings.update': SlidersHorizontal,
  'team.invite': UserPlus,
  'team.join': UserCheck,
  'team.permissions': UserCog,
  'team.revoke': UserMinus,
  'fan.block': Ban,
  'fan.unblock': CircleCheck,
  'fan.terms': Ticket,
  'payout.request': Banknote,
};

function ActionIcon({ action }: { action: string }) {
  const Icon = isKnownAction(action) ? ACTION_ICONS[action] : ListChecks;
  return <Icon size={14} aria-hidden="true" className={`audit-icon audit-icon-${action.replace('.', '-')}`} />;
}
