import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { getBridge } from '../../bridge';
import { keys } from '../../data/keys';
import { errorText } from '../../data/useTriage';
import { useT } from '../../i18n/I18n';
import { useUi } from '../../state/ui';
import { closeDialog, Dialog } from '../../ui/Dialog';
import { checkPlatformUrl } from './connectUrl';

/** No account yet: try the demo platform, or connect to a real one. */
export function FirstRun() {
  const t = useT();
  const client = useQueryClient();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <main className="first-run" aria-labelledby="first-run-title">
      <h1 id="first-run-title">{t('firstRun.title')}</h1>
      <p>{t('firstRun.intro')}</p>
      <div className="first-run-cards">
        <section className="card" aria-labelledby="demo-title">
          <h2 id="demo-title">{t('firstRun.demoTitle')}</h2>
          <p>{t('firstRun.demoText')}</p>
          <button
            type="button"
            className="primary"
            disabled={starting}
            onClick={async () => {
              setStarting(true);
              setError(null);
              try {
                const account = await getBridge().call('accounts.startDemo', {});
                useUi.getState().set({ accountId: account.id });
                await client.invalidateQueries({ queryKey: keys.accounts() });
              } catch (e) {
                setError(errorText(e));
              } finally {
                setStarting(false);
              }
            }}
          >
            {starting ? t('firstRun.demoStarting') : t('firstRun.demoButton')}
          </button>
          {error ? <p role="alert">{t('errors.actionFailed', { reason: error })}</p> : null}
        </section>
        <section className="card" aria-labelledby="connect-title">
          <h2 id="connect-title">{t('connect.title')}</h2>
          <ConnectForm />
        </section>
      </div>
    </main>
  );
}

export function ConnectDialog() {
  const t = useT();
  return (
    <Dialog title={t('connect.title')}>
      <ConnectForm onDone={closeDialog} />
    </Dialog>
  );
}

function ConnectForm({ onDone }: { onDone?: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const [url, setUrl] = useState('https://');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { url: useId(), email: useId(), password: useId(), hint: useId() };
  return (
    <form
      className="connect-form"
      onSubmit={async (event) => {
        event.preventDefault();
        const checked = checkPlatformUrl(url);
        if (!checked.ok) {
          setError(checked.reason === 'insecure' ? t('connect.insecure') : t('connect.invalidUrl'));
          return;
        }
        setBusy(true);
        setError(null);
        try {
          const account = await getBridge().call('accounts.connect', {
            url: checked.url,
            email: email.trim(),
            password,
          });
          setPassword('');
          useUi.getState().set({ accountId: account.id });
          await client.invalidateQueries({ queryKey: keys.accounts() });
          onDone?.();
        } catch (e) {
          setError(t('connect.failed', { reason: errorText(e) }));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label htmlFor={ids.url}>{t('connect.url')}</label>
      <input
        id={ids.url}
        type="url"
        dir="ltr"
        required
        value={url}
        aria-describedby={ids.hint}
        onChange={(e) => setUrl(e.target.value)}
      />
      <p id={ids.hint} className="muted small">
        {t('connect.httpsOnly')}
      </p>
      <label htmlFor={ids.email}>{t('connect.email')}</label>
      <input
        id={ids.email}
        type="email"
        dir="ltr"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <label htmlFor={ids.password}>{t('connect.password')}</label>
      <input
        id={ids.password}
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error ? <p role="alert">{error}</p> : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('connect.connecting') : t('connect.submit')}
      </button>
    </form>
  );
}
