import { useQueryClient } from '@tanstack/react-query';
import { LogOut, Monitor, Moon, Plus, Sun, Trash2 } from 'lucide-react';
import { type ReactNode, useId, useState } from 'react';
import { getBridge } from '../../bridge';
import { keys } from '../../data/keys';
import { useAccounts, useAppInfo } from '../../data/queries';
import { REPLY_VARIABLES, unknownVariables } from '../../data/savedReplies';
import { useSavedReplies } from '../../data/useSavedReplies';
import { useT } from '../../i18n/I18n';
import type { LocaleChoice } from '../../i18n/locale';
import { type AfterDecision, type ThemeChoice, usePrefs } from '../../state/prefs';
import { useUi } from '../../state/ui';
import { Avatar } from '../../ui/Avatar';
import { UntrustedInline } from '../../ui/SafeText';
import { Screen } from '../../ui/Screen';
import { Segmented } from '../../ui/Segmented';

export function SettingsDialog() {
  const t = useT();
  const theme = usePrefs((s) => s.theme);
  const locale = usePrefs((s) => s.locale);
  const afterDecision = usePrefs((s) => s.afterDecision);
  const info = useAppInfo().data;
  const accounts = useAccounts().data ?? [];
  const client = useQueryClient();
  return (
    <Screen title={t('settings.title')} className="settings settings-screen">
      <section className="panel" aria-labelledby="settings-preferences">
        <header className="panel-head">
          <h3 id="settings-preferences">{t('settings.preferences')}</h3>
        </header>
        <div className="panel-row">
          <span className="panel-row-label">{t('settings.theme')}</span>
          <Segmented<ThemeChoice>
            label={t('settings.theme')}
            value={theme}
            onChange={(choice) => usePrefs.getState().setTheme(choice)}
            options={(['system', 'light', 'dark'] as ThemeChoice[]).map((choice) => ({
              value: choice,
              label: t(`settings.theme.${choice}`),
              icon: THEME_ICONS[choice],
            }))}
          />
        </div>
        <div className="panel-row">
          <span className="panel-row-label">{t('settings.language')}</span>
          <Segmented<LocaleChoice>
            label={t('settings.language')}
            value={locale}
            onChange={(choice) => usePrefs.getState().setLocale(choice)}
            options={(['system', 'en', 'ar'] as LocaleChoice[]).map((choice) => ({
              value: choice,
              label: choice === 'system' ? t('settings.language.system') : t(`settings.language.${choice}`),
              lang: choice === 'system' ? undefined : choice,
            }))}
          />
        </div>
        <div className="panel-row">
          <span className="panel-row-label">{t('settings.afterDecision')}</span>
          <Segmented<AfterDecision>
            label={t('settings.afterDecision')}
            value={afterDecision}
            onChange={(choice) => usePrefs.getState().setAfterDecision(choice)}
            options={(['next', 'stay'] as AfterDecision[]).map((choice) => ({
              value: choice,
              label: t(`settings.afterDecision.${choice}`),
            }))}
          />
        </div>
      </section>
      <SavedRepliesEditor />
      <section className="panel" aria-labelledby="settings-accounts">
        <header className="panel-head">
          <h3 id="settings-accounts">{t('settings.accounts')}</h3>
        </header>
        <ul className="panel-list">
          {accounts.map((a) => (
            <li key={a.id} className="panel-row">
              <span className="panel-person">
                <Avatar name={a.displayName} id={a.id} size="md" />
                <span className="panel-person-text">
                  <UntrustedInline text={a.displayName} className="panel-person-name" />
                  <bdi className="muted small">{a.email}</bdi>
                </span>
              </span>
              <button
                type="button"
                onClick={async () => {
                  await getBridge().call('accounts.signOut', { accountId: a.id });
                  if (useUi.getState().accountId === a.id) useUi.getState().set({ accountId: null, dialog: null });
                  void client.invalidateQueries({ queryKey: keys.accounts() });
                }}
              >
                <LogOut size={14} aria-hidden="true" className="flip-rtl" />
                {t('settings.signOut')}
              </button>
            </li>
          ))}
        </ul>
      </section>
      {info ? (
        <p className="muted small">{t('settings.version', { version: info.version, shell: info.shell })}</p>
      ) : null}
    </Screen>
  );
}

const THEME_ICONS: Record<ThemeChoice, ReactNode> = {
  system: <Monitor size={14} aria-hidden="true" />,
  light: <Sun size={14} aria-hidden="true" />,
  dark: <Moon size={14} aria-hidden="true" />,
};

function SavedRepliesEditor() {
  const t = useT();
  const { replies, save } = useSavedReplies();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const titleId = useId();
  const bodyId = useId();
  const unknown = unknownVariables(body);
  return (
    <section className="panel" aria-labelledby="saved-heading">
      <header className="panel-head">
        <h3 id="saved-heading">{t('settings.savedReplies')}</h3>
        <p className="muted small">
          {t('settings.variables', { list: REPLY_VARIABLES.map((v) => `{{${v}}}`).join(', ') })}
        </p>
      </header>
      <ul className="panel-list">
        {replies.map((r) => (
          <li key={r.id} className="panel-row">
            <span className="saved-reply">
              <UntrustedInline text={r.title} className="saved-reply-title" />
              <UntrustedInline text={r.body} className="muted saved-reply-body" />
            </span>
            <button type="button" onClick={() => save(replies.filter((x) => x.id !== r.id))}>
              <Trash2 size={14} aria-hidden="true" />
              {t('settings.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="panel-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!title.trim() || !body.trim() || unknown.length > 0) return;
          save([...replies, { id: `${Date.now()}`, title: title.trim(), body: body.trim() }]);
          setTitle('');
          setBody('');
        }}
      >
        <div className="field">
          <label htmlFor={titleId}>{t('settings.replyTitle')}</label>
          <input id={titleId} dir="auto" value={title} maxLength={80} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={bodyId}>{t('settings.replyBody')}</label>
          <textarea
            id={bodyId}
            dir="auto"
            value={body}
            rows={3}
            maxLength={2000}
            onChange={(e) => setBody(e.target.value)}
          />
        </div>
        {unknown.length > 0 ? (
          <p role="alert" className="field-error">
            {t('settings.unknownVariables', { list: unknown.join(', ') })}
          </p>
        ) : null}
        <div className="panel-actions">
          <button type="submit">
            <Plus size={14} aria-hidden="true" />
            {t('settings.addReply')}
          </button>
        </div>
      </form>
    </section>
  );
}
