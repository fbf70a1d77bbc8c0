import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { getBridge } from '../../bridge';
import { keys } from '../../data/keys';
import { useAccounts, useAppInfo } from '../../data/queries';
import { useT } from '../../i18n/I18n';
import type { LocaleChoice } from '../../i18n/locale';
import { type AfterDecision, type ThemeChoice, usePrefs } from '../../state/prefs';
import { useUi } from '../../state/ui';
import { UntrustedInline } from '../../ui/SafeText';
import { Screen } from '../../ui/Screen';
import { REPLY_VARIABLES, unknownVariables } from '../replies/savedReplies';
import { useSavedReplies } from '../replies/useSavedReplies';

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
      <fieldset>
        <legend>{t('settings.theme')}</legend>
        {(['system', 'light', 'dark'] as ThemeChoice[]).map((choice) => (
          <label key={choice} className="radio">
            <input
              type="radio"
              name="theme"
              value={choice}
              checked={theme === choice}
              onChange={() => usePrefs.getState().setTheme(choice)}
            />
            {t(`settings.theme.${choice}`)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('settings.language')}</legend>
        {(['system', 'en', 'ar'] as LocaleChoice[]).map((choice) => (
          <label key={choice} className="radio">
            <input
              type="radio"
              name="language"
              value={choice}
              checked={locale === choice}
              onChange={() => usePrefs.getState().setLocale(choice)}
            />
            {choice === 'system' ? (
              t('settings.language.system')
            ) : (
              <span lang={choice}>{t(`settings.language.${choice}`)}</span>
            )}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('settings.afterDecision')}</legend>
        {(['next', 'stay'] as AfterDecision[]).map((choice) => (
          <label key={choice} className="radio">
            <input
              type="radio"
              name="after-decision"
              value={choice}
              checked={afterDecision === choice}
              onChange={() => usePrefs.getState().setAfterDecision(choice)}
            />
            {t(`settings.afterDecision.${choice}`)}
          </label>
        ))}
      </fieldset>
      <SavedRepliesEditor />
      <section aria-labelledby="settings-accounts">
        <h3 id="settings-accounts">{t('settings.accounts')}</h3>
        <ul>
          {accounts.map((a) => (
            <li key={a.id}>
              <UntrustedInline text={a.displayName} /> <span className="muted">{a.email}</span>{' '}
              <button
                type="button"
                onClick={async () => {
                  await getBridge().call('accounts.signOut', { accountId: a.id });
                  if (useUi.getState().accountId === a.id) useUi.getState().set({ accountId: null, dialog: null });
                  void client.invalidateQueries({ queryKey: keys.accounts() });
                }}
              >
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

function SavedRepliesEditor() {
  const t = useT();
  const { replies, save } = useSavedReplies();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const titleId = useId();
  const bodyId = useId();
  const unknown = unknownVariables(body);
  return (
    <section aria-labelledby="saved-heading">
      <h3 id="saved-heading">{t('settings.savedReplies')}</h3>
      <ul>
        {replies.map((r) => (
          <li key={r.id}>
            <strong>
              <UntrustedInline text={r.title} />
            </strong>{' '}
            <UntrustedInline text={r.body} className="muted" />{' '}
            <button type="button" onClick={() => save(replies.filter((x) => x.id !== r.id))}>
              {t('settings.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!title.trim() || !body.trim() || unknown.length > 0) return;
          save([...replies, { id: `${Date.now()}`, title: title.trim(), body: body.trim() }]);
          setTitle('');
          setBody('');
        }}
      >
        <label htmlFor={titleId}>{t('settings.replyTitle')}</label>
        <input id={titleId} dir="auto" value={title} maxLength={80} onChange={(e) => setTitle(e.target.value)} />
        <label htmlFor={bodyId}>{t('settings.replyBody')}</label>
        <textarea
          id={bodyId}
          dir="auto"
          value={body}
          rows={3}
          maxLength={2000}
          onChange={(e) => setBody(e.target.value)}
        />
        <p className="muted small">
          {t('settings.variables', { list: REPLY_VARIABLES.map((v) => `{{${v}}}`).join(', ') })}
        </p>
        {unknown.length > 0 ? <p role="alert">{t('settings.unknownVariables', { list: unknown.join(', ') })}</p> : null}
        <button type="submit">{t('settings.addReply')}</button>
      </form>
    </section>
  );
}
