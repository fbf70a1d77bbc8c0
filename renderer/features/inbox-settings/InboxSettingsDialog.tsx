import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { BridgeCallError, type InboxSettingsView } from '../../../shared/contract';
import { MAX_DAILY_CAP, MAX_PENDING_LIMIT } from '../../../shared/protocol';
import { getBridge } from '../../bridge';
import { teamKeys, useInboxSettings } from '../../data/team';
import { formatDuration } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { announce } from '../../ui/announce';
import { flash } from '../../ui/flash';
import { Screen } from '../../ui/Screen';
import { currencyLabel, currencyOrder } from './currencyOrder';
import {
  type FormError,
  formFrom,
  maxPriceText,
  patchFrom,
  preview,
  previewTiers,
  type SettingsForm,
  tiersFrom,
} from './form';
import { TierEditor, TierPreviewTable } from './TierEditor';

/** Owner: whether and how the inbox takes paid DMs. Saved through the outbox, so it works offline. */
export function InboxSettingsDialog({ accountId, inboxId }: { accountId: string; inboxId: string }) {
  const t = useT();
  const view = useInboxSettings(accountId, inboxId);
  return (
    <Screen title={t('inboxSettings.title')} className="inbox-settings-screen">
      {view.data?.settings ? (
        <SettingsEditor accountId={accountId} inboxId={inboxId} view={view.data} />
      ) : view.isError ? (
        <p role="alert">{t('inboxSettings.loadFailed')}</p>
      ) : view.data ? (
        <p>{t('inboxSettings.notSynced')}</p>
      ) : (
        <p className="muted">{t('team.loading')}</p>
      )}
    </Screen>
  );
}

function SettingsEditor({ accountId, inboxId, view }: { accountId: string; inboxId: string; view: InboxSettingsView }) {
  const t = useT();
  const locale = useLocale();
  const client = useQueryClient();
  const current = view.settings;
  const [form, setForm] = useState<SettingsForm>(() => (current ? formFrom(current) : ({} as SettingsForm)));
  const [errors, setErrors] = useState<FormError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const ids = { price: useId(), currency: useId(), window: useId(), maxPending: useId(), dailyCap: useId() };
  if (!current) return null;
  const set = (patch: Partial<SettingsForm>) => setForm((f) => ({ ...f, ...patch }));
  // Null for a member who may not view earnings: then only the price is shown, no fee or net.
  const feeBps = view.feeBps;
  const shown = preview(form, feeBps ?? 0, locale);
  const tiers = previewTiers(form, feeBps ?? 0, locale);
  const hours = Number(form.windowHours);
  const invalid = (field: FormError) => errors.includes(field);

  const save = async () => {
    if (saving) return;
    const { patch, errors: found } = patchFrom(form, current, locale);
    setErrors(found);
    setFailure(null);
    if (found.length > 0) {
      announce(t('inboxSettings.fixErrors'), 'assertive');
      return;
    }
    if (Object.keys(patch).length === 0) {
      flash(t('inboxSettings.nothingChanged'), 'done');
      return;
    }
    setSaving(true);
    try {
      const result = await getBridge().call('team.updateSettings', { accountId, inboxId, patch });
      client.setQueryData(teamKeys.settings(accountId, inboxId), result.view);
      // Seen, not only read out: the person must know the save went through.
      flash(t('inboxSettings.saved'), 'done');
    } catch (error) {
      setFailure(error instanceof BridgeCallError ? error.message : String(error));
    } finally {
      setSaving(false);
    }
  };

  const currencies = currencyOrder(current.price.currency);
  const currencyOption = (code: string) => (
    <option key={code} value={code}>
      {currencyLabel(code, locale)}
    </option>
  );
  return (
    <form
      className="settings-layout"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div className="settings-main">
        <section className="panel" aria-labelledby={`${ids.price}-section`}>
          <header className="panel-head">
            <h3 id={`${ids.price}-section`}>{t('inboxSettings.paidMessages')}</h3>
          </header>
          <label className="panel-row check">
            <span className="panel-row-label">{t('inboxSettings.accepting')}</span>
            <input
              type="checkbox"
              className="switch"
              checked={form.acceptingPaidDms}
              onChange={(e) => set({ acceptingPaidDms: e.target.checked })}
            />
          </label>
          <div className="panel-body">
            <div className="field-row">
              <div className="field field-price">
                <label htmlFor={ids.price}>{t('inboxSettings.price')}</label>
                <input
                  id={ids.price}
                  inputMode="decimal"
                  className="num"
                  value={form.price}
                  aria-invalid={invalid('price')}
                  aria-describedby={invalid('price') ? `${ids.price}-error` : undefined}
                  onChange={(e) => set({ price: e.target.value })}
                />
              </div>
              <div className="field field-grow">
                <label htmlFor={ids.currency}>{t('inboxSettings.currency')}</label>
                <select id={ids.currency} value={form.currency} onChange={(e) => set({ currency: e.target.value })}>
                  <optgroup label={t('inboxSettings.currencyMostUsed')}>
                    {currencies.mostUsed.map(currencyOption)}
                  </optgroup>
                  <optgroup label={t('inboxSettings.currencyAll')}>{currencies.others.map(currencyOption)}</optgroup>
                </select>
              </div>
            </div>
            {invalid('price') ? (
              <span id={`${ids.price}-error`} className="field-error">
                {t('inboxSettings.priceError', { max: maxPriceText(form, locale) })}
              </span>
            ) : null}
            <div className="field field-window">
              <label htmlFor={ids.window}>{t('inboxSettings.window')}</label>
              <input
                id={ids.window}
                inputMode="numeric"
                className="num"
                value={form.windowHours}
                aria-invalid={invalid('window')}
                aria-describedby={`${ids.window}-hint`}
                onChange={(e) => set({ windowHours: e.target.value })}
              />
              <span id={`${ids.window}-hint`} className={invalid('window') ? 'field-error' : 'muted small'}>
                {invalid('window')
                  ? t('inboxSettings.windowError')
                  : Number.isFinite(hours) && hours > 0
                    ? t('inboxSettings.windowHint', { duration: formatDuration(hours * 3_600_000, locale) })
                    : t('inboxSettings.windowError')}
              </span>
            </div>
          </div>
        </section>
        <TierEditor
          form={form}
          problem={invalid('tiers') ? tiersFrom(form, locale).problem : null}
          onChange={(next) => set({ tiers: next })}
        />
        <fieldset className="panel" aria-labelledby={`${ids.maxPending}-section`}>
          <header className="panel-head">
            <h3 id={`${ids.maxPending}-section`}>{t('inboxSettings.capacity')}</h3>
          </header>
          <label className="panel-row check">
            <span className="panel-row-label">{t('inboxSettings.paused')}</span>
            <input
              type="checkbox"
              className="switch"
              checked={form.paused}
              onChange={(e) => set({ paused: e.target.checked })}
            />
          </label>
          <div className="panel-body">
            <div className="field-row">
              {(['maxPending', 'dailyCap'] as const).map((limit) => (
                <div className="field field-grow" key={limit}>
                  <label htmlFor={ids[limit]}>{t(`inboxSettings.${limit}`)}</label>
                  <input
                    id={ids[limit]}
                    inputMode="numeric"
                    className="num"
                    value={form[limit]}
                    placeholder={t('inboxSettings.noLimit')}
                    aria-invalid={invalid(limit)}
                    onChange={(e) => set({ [limit]: e.target.value })}
                  />
                </div>
              ))}
            </div>
            {invalid('maxPending') || invalid('dailyCap') ? (
              <span className="field-error">
                {t('inboxSettings.limitError', { max: invalid('maxPending') ? MAX_PENDING_LIMIT : MAX_DAILY_CAP })}
              </span>
            ) : null}
          </div>
        </fieldset>
        {view.pending ? (
          <p className="banner banner-waiting" role="status">
            {t('inboxSettings.pending')}
          </p>
        ) : null}
        {failure ? (
          <p role="alert" className="field-error">
            {failure}
          </p>
        ) : null}
      </div>
      <aside className="settings-side">
        <section className="panel fee-preview" aria-live="polite" aria-labelledby="fee-preview-title">
          <header className="panel-head">
            <h3 id="fee-preview-title">
              {t(feeBps === null ? 'inboxSettings.previewPrice' : 'inboxSettings.preview')}
            </h3>
          </header>
          <div className="panel-body">
            {shown ? (
              <dl className="receipt">
                <div>
                  <dt>{t('inboxSettings.fanPays')}</dt>
                  <dd data-testid="preview-pays" className="num">
                    <bdi>{shown.pays}</bdi>
                  </dd>
                </div>
                {feeBps === null ? null : (
                  <>
                    <div>
                      <dt>{t('inboxSettings.platformFee', { rate: feeBps / 100 })}</dt>
                      <dd className="num">
                        <bdi>{shown.fee}</bdi>
                      </dd>
                    </div>
                    <div className="receipt-total">
                      <dt>{t('inboxSettings.youNet')}</dt>
                      <dd data-testid="preview-nets" className="num">
                        <bdi>{shown.nets}</bdi>
                      </dd>
                    </div>
                  </>
                )}
              </dl>
            ) : (
              <p className="muted">{t('inboxSettings.previewNeedsPrice')}</p>
            )}
            {feeBps !== null && form.tiers.length > 0 && tiers.length > 0 ? (
              <TierPreviewTable tiers={tiers} locale={locale} />
            ) : null}
            {view.feeSource === 'default' ? <p className="muted small">{t('inboxSettings.feeDefault')}</p> : null}
          </div>
          <div className="panel-foot">
            {/* Never disabled while saving: a disabled button drops focus out of the screen, and Escape with it. */}
            <button type="submit" className="primary" aria-disabled={saving} data-autofocus>
              {t('inboxSettings.save')}
            </button>
          </div>
        </section>
      </aside>
    </form>
  );
}
