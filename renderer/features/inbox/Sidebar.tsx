import { memo } from 'react';
import type { Account, InboxView } from '../../../shared/contract';
import { useCounts } from '../../data/queries';
import { formatMoneyList } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { useUi } from '../../state/ui';
import { focusList } from '../../ui/focus';
import { UntrustedInline } from '../../ui/SafeText';
import { useSavedSearches } from '../search/savedSearches';
import { InboxFigures } from '../team/TeamHost';

const VIEW_ORDER: InboxView[] = ['pending', 'accepted', 'closed', 'starred', 'snoozed', 'archived', 'assigned'];

export const Sidebar = memo(function Sidebar({ accounts }: { accounts: Account[] }) {
  const t = useT();
  const locale = useLocale();
  const { accountId, inboxId, view, label, searching } = useUi();
  const counts = useCounts(accountId, inboxId);
  const account = accounts.find((a) => a.id === accountId) ?? null;
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
  return (
    <nav className="sidebar" aria-label={t('sidebar.label')}>
      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading" className="sidebar-heading">
          {t('sidebar.accounts')}
        </h2>
        <ul className="sidebar-list">
          {accounts.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className="sidebar-item"
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
                <UntrustedInline text={a.displayName} />
                {a.demo ? <span className="badge">{t('sidebar.demo')}</span> : null}
              </button>
            </li>
          ))}
          <li>
            <button
              type="button"
              className="sidebar-item muted"
              onClick={() => useUi.getState().set({ dialog: { kind: 'connect' } })}
            >
              {t('sidebar.addAccount')}
            </button>
          </li>
        </ul>
      </section>
      {account && account.inboxes.length > 1 ? (
        <section aria-labelledby="inboxes-heading">
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
                {t('sidebar.allInboxes')}
              </button>
            </li>
            {account.inboxes.map((inbox) => (
              <li key={inbox.inboxId}>
                <button
                  type="button"
                  className="sidebar-item"
                  aria-current={inboxId === inbox.inboxId ? 'true' : undefined}
                  onClick={() => useUi.getState().set({ inboxId: inbox.inboxId, focusedId: null })}
                >
                  <UntrustedInline text={inbox.creatorName} />
                  <span className="muted">
                    {' '}
                    <bdi>@{inbox.handle}</bdi>
                  </span>
                  {accountId ? <InboxFigures accountId={accountId} inboxId={inbox.inboxId} /> : null}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="views-heading">
        <h2 id="views-heading" className="sidebar-heading">
          {t('sidebar.views')}
        </h2>
        <ul className="sidebar-list">
          {VIEW_ORDER.map((v) => {
            const c = viewCounts.find((x) => x.view === v);
            return (
              <li key={v}>
                <button
                  type="button"
                  className="sidebar-item view-item"
                  aria-current={current(v) ? 'page' : undefined}
                  onClick={() => choose({ view: v })}
                  data-view={v}
                >
                  <span className="view-name">{t(`view.${v}`)}</span>
                  {c ? <span className="count">{t('sidebar.count', { count: c.count })}</span> : null}
                  {c && c.held.length > 0 && (v === 'pending' || v === 'starred' || v === 'assigned') ? (
                    <span className="held">
                      <bdi>{t('sidebar.held', { amount: formatMoneyList(c.held, locale) })}</bdi>
                    </span>
                  ) : null}
                </button>
              </li>
            );
          })}
        </ul>
      </section>
      {labels.length > 0 ? (
        <section aria-labelledby="labels-heading">
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
                  <UntrustedInline text={l.label ?? ''} className="view-name" />
                  <span className="count">{t('sidebar.count', { count: l.count })}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <SavedSearches />
      {counts.data ? (
        <section className="at-risk" aria-labelledby="at-risk-heading">
          <h2 id="at-risk-heading" className="sidebar-heading">
            {t('sidebar.atRisk')}
          </h2>
          <p className={counts.data.atRisk24h.length > 0 ? 'at-risk-amount' : 'muted'}>
            <bdi>
              {counts.data.atRisk24h.length > 0
                ? formatMoneyList(counts.data.atRisk24h, locale)
                : t('sidebar.atRiskNone')}
            </bdi>
          </p>
          <p className="muted small">{t('sidebar.atRiskHint')}</p>
        </section>
      ) : null}
    </nav>
  );
});

function SavedSearches() {
  const t = useT();
  const searches = useSavedSearches((s) => s.searches);
  if (searches.length === 0) return null;
  return (
    <section aria-labelledby="saved-searches-heading">
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
              <bdi dir="auto">{s.name}</bdi>
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={t('sidebar.removeSaved', { name: s.name })}
              onClick={() => useSavedSearches.getState().remove(s.id)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
