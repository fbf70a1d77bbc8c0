import './paused.css';
import { CirclePause } from 'lucide-react';
import { useState } from 'react';
import type { Account } from '../../../shared/contract';
import { getBridge } from '../../bridge';
import { inboxRefusal } from '../../data/optimistic';
import { useInboxSettings } from '../../data/team';
import { useT } from '../../i18n/I18n';
import { useUi } from '../../state/ui';
import { flash } from '../../ui/flash';
import { untrustedPlain } from '../../ui/SafeText';

const RESUME = { kind: 'settings', patch: { paused: false } } as const;

/**
 * A paused inbox says so where the work happens: one calm line above the list per paused
 * inbox in view, with Resume for whoever the registry lets change the settings.
 */
export function PausedBanner({ account }: { account: Account | null }) {
  const shown = useUi((s) => s.inboxId);
  if (!account) return null;
  const inboxes = account.inboxes.filter((i) => shown === null || i.inboxId === shown);
  return (
    <>
      {inboxes.map((inbox) => (
        <PausedLine key={inbox.inboxId} accountId={account.id} inbox={inbox} named={account.inboxes.length > 1} />
      ))}
    </>
  );
}

interface PausedLineProps {
  accountId: string;
  inbox: Account['inboxes'][number];
  /** Several inboxes in view: the line names whose inbox is paused. */
  named: boolean;
}

function PausedLine({ accountId, inbox, named }: PausedLineProps) {
  const t = useT();
  const view = useInboxSettings(accountId, inbox.inboxId).data;
  const [busy, setBusy] = useState(false);
  if (!view?.settings?.paused) return null;
  const mayResume = inboxRefusal(RESUME, inbox, Date.now()) === null;
  const resume = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await getBridge().call('team.updateSettings', { accountId, inboxId: inbox.inboxId, patch: RESUME.patch });
      flash(t('paused.resumed'), 'done');
    } catch (error) {
      flash(t('errors.actionFailed', { reason: error instanceof Error ? error.message : String(error) }), 'refused');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="paused-banner" aria-label={t('paused.region')} data-inbox={inbox.inboxId}>
      <CirclePause aria-hidden="true" size={16} className="paused-icon" />
      <p className="paused-text">
        {named ? t('paused.named', { name: untrustedPlain(inbox.creatorName) }) : t('paused.text')}
      </p>
      {mayResume ? (
        <button type="button" className="secondary" disabled={busy} onClick={() => void resume()}>
          {t('paused.resume')}
        </button>
      ) : null}
    </section>
  );
}
