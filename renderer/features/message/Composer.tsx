import { useEffect, useId, useState } from 'react';
import type { InboxRow } from '../../../shared/contract';
import { MAX_NOTE_BODY, MAX_REPLY_BODY } from '../../../shared/protocol/common';
import { fillReply } from '../../data/savedReplies';
import { useSavedReplies } from '../../data/useSavedReplies';
import { useTriage } from '../../data/useTriage';
import { formatAmount } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { advanceAfterDecision } from '../../state/advance';
import { useUi } from '../../state/ui';
import { COMPOSER_ID, focusList } from '../../ui/focus';
import { singleLine } from '../../ui/text';

/** Reply, accept & reply, or an internal note: one text box, opened by r / Shift+A / n. */
export function Composer({ row, fanName }: { row: InboxRow; fanName: string }) {
  const t = useT();
  const locale = useLocale();
  const composer = useUi((s) => s.composer);
  const triage = useTriage();
  const saved = useSavedReplies();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const savedId = useId();
  const open = composer !== null && composer.messageId === row.id;
  useEffect(() => {
    if (open) setText('');
  }, [open]);
  if (!open || !composer) return null;
  const mode = composer.mode;
  const max = mode === 'note' ? MAX_NOTE_BODY : MAX_REPLY_BODY;
  const close = () => {
    useUi.getState().set({ composer: null });
    focusList();
  };
  const send = async () => {
    const body = text.trim();
    if (!body || sending) return;
    setSending(true);
    const action =
      mode === 'note'
        ? ({ kind: 'note', body } as const)
        : mode === 'reply'
          ? ({ kind: 'reply', body } as const)
          : mode === 'draft'
            ? ({ kind: 'draft', body } as const)
            : ({ kind: 'accept', reply: body } as const);
    const ok = await triage.one(row, action);
    setSending(false);
    if (!ok) return;
    if (mode === 'acceptReply') advanceAfterDecision(row.id);
    close();
  };
  const heading = t(`composer.${mode}`);
  return (
    <form
      className={`composer composer-${mode}`}
      aria-label={heading}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <label htmlFor={COMPOSER_ID} className="composer-label">
        {heading}
      </label>
      {mode !== 'note' && saved.replies.length > 0 ? (
        <div className="composer-saved">
          <label htmlFor={savedId}>{t('composer.savedReply')}</label>
          <select
            id={savedId}
            value=""
            onChange={(event) => {
              const reply = saved.replies.find((r) => r.id === event.target.value);
              if (reply) {
                setText(
                  fillReply(reply.body, {
                    fan: singleLine(fanName, 80),
                    amount: formatAmount(row.price, locale),
                  }),
                );
              }
            }}
          >
            <option value="">{t('composer.chooseSaved')}</option>
            {saved.replies.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <textarea
        id={COMPOSER_ID}
        dir="auto"
        value={text}
        maxLength={max}
        rows={4}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
            event.preventDefault();
            void send();
          }
        }}
      />
      {mode === 'note' ? <p className="muted">{t('composer.noteHint')}</p> : null}
      {mode === 'draft' ? <p className="muted">{t('composer.draftHint')}</p> : null}
      <div className="composer-actions">
        <button type="submit" className="primary" disabled={sending || text.trim() === ''}>
          {t(`composer.submit.${mode}`)}
        </button>
        <button type="button" onClick={close}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
