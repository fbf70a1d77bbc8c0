import {
  Archive,
  BellRing,
  CircleCheck,
  Clock,
  type LucideIcon,
  Plus,
  RotateCcw,
  Search,
  Star,
  Tag,
  TriangleAlert,
  UserCheck,
  X,
} from 'lucide-react';
import { memo } from 'react';
import { useShallow } from 'zustand/shallow';
import type { Account, InboxView } from '../../../shared/contract';
import { seesMoney } from '../../data/permissions';
import { useCounts } from '../../data/queries';
import { formatCompactAmount, formatMoneyList, isolate } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { VIEW_ORDER } from '../../state/railOrder';
import { useSavedSearches } from '../../state/savedSearches';
import { useUi } from '../../state/ui';
import { Avatar } from '../../ui/Avatar';
import { focusList } from '../../ui/focus';
import { LabelDot } from '../../ui/LabelDot';
import { UntrustedInline, untrustedPlain } from '../../ui/SafeText';
import { SyncProgress } from '../../ui/SyncProgress';
import { InboxFigures } from './InboxFigures';
import { ScreenLinks } from './ScreenLinks';

export const VIEW_ICONS: Record<InboxView, LucideIcon> = {
  pending: Clock,
  accepted: CircleCheck,
  closed: RotateCcw,
  starred: Star,
  snoozed: BellRing,
  archived: Archive,
  assigned: UserCheck,
  label: Tag,
};

/**
 * The left rail (right in Arabic): accounts and inboxes with their pending counts, views
 * with icons and counts, labels, saved searches, the money at risk in the next 24 h, and
 * the screens (earnings, team, audit, settings). At narrow widths it keeps only icons;
 * every entry keeps its full accessible name.
 */
export const Sidebar = memo(function Sidebar({ accounts }: { accounts: Account[] }) {
  const t = useT();
  const locale = useLocale();
  const { accountId, inboxId, view, label, searching } = useUi(
    useShallow((s) => ({
      accountId: s.accountId,
      inboxId: s.inboxId,
      view: s.view,
      label: s.label,
      searching: s.searching,
    })),
  );
  const counts = useCounts(accountId, inboxId);
  const account = accounts.find((a) => a.id === accountId) ?? null;
  // Held and at-risk totals are earnings: shown only to who may view earnings.
  const money = seesMoney(accounts, inboxId, accountId);
  const viewCounts = counts.data?.views ?? [];
  const labels = viewCounts.filter((v) => v.view === 'label' && v.label !== null);
  const choose = (next: { view: InboxView; label?: string | null }) => {
    useUi.getState().set({
      view: next.view,
      label: next.label ?? null,
      searching: false,
      focusedId: null,
      selection: { ids: new Set(), anchor: null },
    });
    focusList();
  };
  const current = (v: InboxView, l: string | null = null) => !searching && view === v && label === l;
  const atRisk = counts.data?.atRisk24h ?? [];
  return (
    <nav className="sidebar rail" aria-label={t('sidebar.label')}>
      <section aria-labelledby="accounts-heading" className="rail-section">
        <h2 id="accounts-heading" className="sidebar-heading">
          {t('sidebar.accounts')}
        </h2>
        <ul className="sidebar-list">
          {accounts.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className="sidebar-item account-item"
                aria-current={a.id === accountId ? 'true' : undefined}
                onClick={() =>
                  useUi.getState().set({
                    accountId: a.id,
                    inboxId: null,
                    focusedId: null,
                    selection: { ids: new Set(), anchor: null },
                  })
                }
              >
                <Avatar name={a.displayName} id={a.id} size="sm" />
                <UntrustedInline text={a.displayName} className="rail-label" />
                {a.demo ? <span className="badge rail-extra">{t('sidebar.demo')}</span> : null}
              </button>
            </li>
          ))}
          <li>
            <button
              type="button"
              className="sidebar-item muted"
              onClick={() => useUi.getState().set({ dialog: { kind: 'connect' } })}
            >
              <Plus className="rail-icon" size={16} aria-hidden="true" />
              <span className="rail-label">{t('sidebar.addAccount')}</span>
            </button>
          </li>
        </ul>
      </section>
      <SyncProgress account={account} />
      {account && account.inboxes.length > 1 ? (
        <section aria-labelledby="inboxes-heading" className="rail-section">
          <h2 id="inboxes-heading" className="sidebar-heading">
            {t('sidebar.inboxes')}
          </h2>
          <ul className="sidebar-list">
            <li>
              <button
                type="button"
                className="sidebar-item"
                aria-current={inboxId === null ? 'true' : undefined}
                onClick={() => useUi.getState().set({ inboxId: null, focusedId: null })}
              >
                <span className="rail-label">{t('sidebar.allInboxes')}</span>
              </button>
            </li>
            {account.inboxes.map((inbox) => (
              <li key={inbox.inboxId}>
                <button
                  type="button"
                  className="sidebar-item inbox-item"
                  aria-current={inboxId === inbox.inboxId ? 'true' : undefined}
                  onClick={() => useUi.getState().set({ inboxId: inbox.inboxId, focusedId: null })}
                >
                  <Avatar name={inbox.creatorName} id={inbox.inboxId} size="sm" />
                  <span className="rail-label inbox-names">
                    <UntrustedInline text={inbox.creatorName} />
                    <span className="muted">
                      {' '}
                      <bdi>@{inbox.handle}</bdi>
                    </span>
                  </span>
                  {accountId ? <InboxFigures accountId={accountId} inboxId={inbox.inboxId} /> : null}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="views-heading" className="rail-section">
        <h2 id="views-heading" className="sidebar-heading">
          {t('sidebar.views')}
        </h2>
        <ul className="sidebar-list">
          {VIEW_ORDER.map((v) => {
            const c = viewCounts.find((x) => x.view === v);
            const Icon = VIEW_ICONS[v];
            return (
              <li key={v}>
                <button
                  type="button"
                  className="sidebar-item view-item"
                  aria-current={current(v) ? 'page' : undefined}
                  onClick={() => choose({ view: v })}
                  data-view={v}
                >
                  <Icon className="rail-icon" size={16} aria-hidden="true" />
                  <span className="view-name rail-label">{t(`view.${v}`)}</span>
                  {c ? (
                    <span className="count rail-extra">
                      <span aria-hidden="true">{c.count.toLocaleString(locale)}</span>
                      <span className="visually-hidden">{t('sidebar.count', { count: c.count })}</span>
                    </span>
                  ) : null}
                  {money && c && c.held.length > 0 && (v === 'pending' || v === 'starred' || v === 'assigned') ? (
                    <span className="held rail-extra">
                      <bdi>{t('sidebar.held', { amount: isolate(formatMoneyList(c.held, locale)) })}</bdi>
                    </span>
                  ) : null}
                </button>
              </li>
            );
          })}
        </ul>
      </section>
      {labels.length > 0 ? (
        <section aria-labelledby="labels-heading" className="rail-section">
          <h2 id="labels-heading" className="sidebar-heading">
            {t('sidebar.labels')}
          </h2>
          <ul className="sidebar-list">
            {labels.map((l) => (
              <li key={l.label}>
                <button
                  type="button"
                  className="sidebar-item view-item"
                  aria-current={current('label', l.label) ? 'page' : undefined}
                  onClick={() => choose({ view: 'label', label: l.label })}
                >
                  <span className="rail-icon rail-dot" aria-hidden="true">
                    <LabelDot label={l.label ?? ''} />
                  </span>
                  <UntrustedInline text={l.label ?? ''} className="view-name rail-label" />
                  <span className="count rail-extra">
                    <span aria-hidden="true">{l.count.toLocaleString(locale)}</span>
                    <span className="visually-hidden">{t('sidebar.count', { count: l.count })}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <SavedSearches />
      {counts.data && money ? (
        <section className="at-risk rail-section" aria-labelledby="at-risk-heading">
          <h2 id="at-risk-heading" className="sidebar-heading">
            <TriangleAlert className="rail-icon" size={14} aria-hidden="true" />
            <span className="rail-label">{t('sidebar.atRisk')}</span>
          </h2>
          <p className={atRisk.length > 0 ? 'at-risk-amount' : 'muted'}>
            {atRisk.length > 0 ? (
              <>
                <bdi className="at-risk-full">{formatMoneyList(atRisk, locale)}</bdi>
                {/* The collapsed rail (48 px) has room for "$250", not "$250.00". */}
                <bdi className="at-risk-compact">
                  {atRisk.map((amount) => formatCompactAmount(amount, locale)).join(' · ')}
                </bdi>
              </>
            ) : (
              <bdi>{t('sidebar.atRiskNone')}</bdi>
            )}
          </p>
          <p className="muted small rail-extra">{t('sidebar.atRiskHint')}</p>
        </section>
      ) : null}
      <ScreenLinks account={account} />
    </nav>
  );
});

function SavedSearches() {
  const t = useT();
  const searches = useSavedSearches((s) => s.searches);
  if (searches.length === 0) return null;
  return (
    <section aria-labelledby="saved-searches-heading" className="rail-section">
      <h2 id="saved-searches-heading" className="sidebar-heading">
        {t('sidebar.savedSearches')}
      </h2>
      <ul className="sidebar-list">
        {searches.map((s) => (
          <li key={s.id} className="saved-search">
            <button
              type="button"
              className="sidebar-item"
              onClick={() => {
                useUi.getState().set({
                  searching: true,
                  filters: s.filters,
                  focusedId: null,
                  selection: { ids: new Set(), anchor: null },
                });
                focusList();
              }}
            >
              <Search className="rail-icon" size={16} aria-hidden="true" />
              <UntrustedInline text={s.name} className="rail-label" />
            </button>
            <button
              type="button"
              className="icon-button rail-extra"
              aria-label={t('sidebar.removeSaved', { name: untrustedPlain(s.name) })}
              onClick={() => useSavedSearches.getState().remove(s.id)}
            >
              <X size={14} aria-hidden="true" />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
