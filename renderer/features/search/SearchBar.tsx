import { memo, useId, useState } from 'react';
import { activeFilterCount } from '../../data/searchInput';
import { useT } from '../../i18n/I18n';
import { useSavedSearches } from '../../state/savedSearches';
import { EMPTY_FILTERS, type SearchFilters, useUi } from '../../state/ui';
import { announce } from '../../ui/announce';
import { focusList, SEARCH_ID } from '../../ui/focus';
import { untrustedPlain } from '../../ui/SafeText';

const STATUSES = ['pending', 'accepted', 'refunded', 'expired'] as const;

/** Full-text search as you type, plus filters; results replace the list until cleared. */
export const SearchBar = memo(function SearchBar() {
  const t = useT();
  const filters = useUi((s) => s.filters);
  const searching = useUi((s) => s.searching);
  const [showFilters, setShowFilters] = useState(false);
  const panelId = useId();
  const update = (patch: Partial<SearchFilters>) => {
    const next = { ...useUi.getState().filters, ...patch };
    const active = next.text.trim() !== '' || activeFilterCount(next) > 0;
    useUi.getState().set({ filters: next, searching: active, selection: { ids: new Set(), anchor: null } });
  };
  const clear = () => {
    useUi.getState().set({ filters: EMPTY_FILTERS, searching: false });
    focusList();
  };
  const n = activeFilterCount(filters);
  return (
    <search className="search">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          focusList();
        }}
      >
        <input
          id={SEARCH_ID}
          type="search"
          dir="auto"
          aria-label={t('search.label')}
          placeholder={t('search.placeholder')}
          value={filters.text}
          maxLength={200}
          onChange={(e) => update({ text: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              clear();
            } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault();
              focusList();
            }
          }}
        />
        <button
          type="button"
          aria-expanded={showFilters}
          aria-controls={panelId}
          onClick={() => setShowFilters((v) => !v)}
        >
          {n > 0 ? t('search.filtersOn', { count: n }) : t('search.filters')}
        </button>
        {searching ? (
          <>
            <button
              type="button"
              onClick={() => {
                const name = filters.text.trim() || t('search.savedName', { count: n });
                useSavedSearches.getState().add(name, filters);
                announce(t('search.saved', { name: untrustedPlain(name) }));
              }}
            >
              {t('search.save')}
            </button>
            <button type="button" onClick={clear}>
              {t('search.clear')}
            </button>
          </>
        ) : null}
      </form>
      {showFilters ? (
        <fieldset className="filters" id={panelId}>
          <legend>{t('search.filters')}</legend>
          <fieldset className="filter-group">
            <legend>{t('search.status')}</legend>
            {STATUSES.map((s) => (
              <label key={s} className="checkbox">
                <input
                  type="checkbox"
                  checked={filters.status.includes(s)}
                  onChange={(e) =>
                    update({
                      status: e.target.checked ? [...filters.status, s] : filters.status.filter((x) => x !== s),
                    })
                  }
                />
                {t(`status.${s}`)}
              </label>
            ))}
          </fieldset>
          <Field
            label={t('search.minAmount')}
            value={filters.minAmount}
            onChange={(v) => update({ minAmount: v })}
            inputMode="decimal"
          />
          <Field
            label={t('search.maxAmount')}
            value={filters.maxAmount}
            onChange={(v) => update({ maxAmount: v })}
            inputMode="decimal"
          />
          <Field label={t('search.labelFilter')} value={filters.label} onChange={(v) => update({ label: v })} />
          <Field
            label={t('search.deadlineWithin')}
            value={filters.deadlineWithinHours}
            onChange={(v) => update({ deadlineWithinHours: v.replace(/\D/g, '') })}
            inputMode="numeric"
          />
          <Field label={t('search.from')} value={filters.from} onChange={(v) => update({ from: v })} type="date" />
          <Field label={t('search.to')} value={filters.to} onChange={(v) => update({ to: v })} type="date" />
          {filters.fanId ? (
            <button type="button" onClick={() => update({ fanId: '' })}>
              {t('search.clearFan')}
            </button>
          ) : null}
        </fieldset>
      ) : null}
    </search>
  );
});

function Field({
  label,
  value,
  onChange,
  type = 'text',
  inputMode,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: string;
  inputMode?: 'decimal' | 'numeric';
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        dir="auto"
        inputMode={inputMode}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
