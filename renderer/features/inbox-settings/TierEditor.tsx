import { Plus, Trash2 } from 'lucide-react';
import { useId } from 'react';
import { MAX_FASTER_TIERS, type TierProblem } from '../../../shared/message';
import { formatWindow } from '../../i18n/format';
import { useT } from '../../i18n/I18n';
import { Amount } from '../../ui/Amount';
import { TableHead } from '../../ui/TableHead';
import type { SettingsForm, TierForm, TierPreview } from './form';

/**
 * Faster answers (#18): up to two tiers beside the standard price and window, each a
 * shorter window at its own price. What is typed stays text until saved; the first
 * problem is said under the tiers, by the platform's own rule (form.ts `tiersFrom`).
 */
export function TierEditor({
  form,
  problem,
  onChange,
}: {
  form: SettingsForm;
  problem: TierProblem | null;
  onChange: (tiers: TierForm[]) => void;
}) {
  const t = useT();
  const id = useId();
  const edit = (index: number, patch: Partial<TierForm>) =>
    onChange(form.tiers.map((tier, i) => (i === index ? { ...tier, ...patch } : tier)));
  const wrong = (index: number, code: TierProblem['code']) =>
    problem !== null && 'index' in problem && problem.index === index && problem.code === code;
  return (
    <section className="panel tier-editor" aria-labelledby={`${id}-title`}>
      <header className="panel-head">
        <h3 id={`${id}-title`}>{t('inboxSettings.tiers')}</h3>
      </header>
      <div className="panel-body">
        <p className="muted small">{t('inboxSettings.tiersHint', { max: MAX_FASTER_TIERS })}</p>
        {form.tiers.map((tier, index) => {
          const n = index + 1;
          const windowWrong =
            wrong(index, 'tier_window_invalid') ||
            wrong(index, 'tier_not_faster') ||
            wrong(index, 'tier_window_repeated');
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: tiers have no identity but their place while typed.
            <div className="field-row tier-row" key={index} data-tier={n}>
              <div className="field field-window">
                <label htmlFor={`${id}-window-${n}`}>{t('inboxSettings.tierWindow', { n })}</label>
                <input
                  id={`${id}-window-${n}`}
                  inputMode="numeric"
                  className="num"
                  value={tier.windowHours}
                  aria-invalid={windowWrong}
                  onChange={(e) => edit(index, { windowHours: e.target.value })}
                />
              </div>
              <div className="field field-price">
                <label htmlFor={`${id}-price-${n}`}>
                  {t('inboxSettings.tierPrice', { n, currency: form.currency })}
                </label>
                <input
                  id={`${id}-price-${n}`}
                  inputMode="decimal"
                  className="num"
                  value={tier.price}
                  aria-invalid={wrong(index, 'tier_price_invalid')}
                  onChange={(e) => edit(index, { price: e.target.value })}
                />
              </div>
              <button
                type="button"
                className="icon-button tier-remove"
                aria-label={t('inboxSettings.removeTier', { n })}
                title={t('inboxSettings.removeTier', { n })}
                onClick={() => onChange(form.tiers.filter((_, i) => i !== index))}
              >
                <Trash2 size={16} aria-hidden="true" />
              </button>
            </div>
          );
        })}
        {problem ? (
          <p className="field-error" role="alert">
            {t(`inboxSettings.tierError.${problem.code}`, {
              n: 'index' in problem ? problem.index + 1 : 0,
              max: MAX_FASTER_TIERS,
            })}
          </p>
        ) : null}
        {form.tiers.length < MAX_FASTER_TIERS ? (
          <button type="button" onClick={() => onChange([...form.tiers, { price: '', windowHours: '' }])}>
            <Plus size={16} aria-hidden="true" />
            {t('inboxSettings.addTier')}
          </button>
        ) : null}
      </div>
    </section>
  );
}

/** What each tier earns after the platform's fee, fastest first, as the fan will see the tiers. */
export function TierPreviewTable({ tiers, locale }: { tiers: readonly TierPreview[]; locale: string }) {
  const t = useT();
  return (
    <table className="tier-preview">
      <TableHead
        caption={t('inboxSettings.previewTiers')}
        columns={[t('inboxSettings.previewTier'), t('inboxSettings.fanPays'), t('inboxSettings.youNet')]}
      />
      <tbody>
        {tiers.map((tier) => (
          <tr key={tier.windowMs} data-window-ms={tier.windowMs}>
            <th scope="row">
              <bdi>{formatWindow(tier.windowMs, locale)}</bdi>
            </th>
            <td className="num">
              <Amount value={tier.split.price} locale={locale} />
            </td>
            <td className="num net">
              <Amount value={tier.split.net} locale={locale} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
