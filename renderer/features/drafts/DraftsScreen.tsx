import './drafts.css';
import { Check, CornerUpLeft, FilePenLine, Hourglass, Pencil } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { DraftItem } from '../../../shared/contract';
import { urgency } from '../../../shared/message/deadline';
import { MAX_NOTE_BODY, MAX_REPLY_BODY } from '../../../shared/protocol/common';
import { useApproveDraft, useDrafts, useSendBackDraft } from '../../data/drafts';
import { errorText } from '../../data/useTriage';
import { formatDateTime, formatTimeLeft, isolate } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { createGuardedKeys, type GuardedKeys, isPrintable } from '../../state/guardedKeys';
import { type Command, commandFor, isMac } from '../../state/keymap';
import { Amount } from '../../ui/Amount';
import { flash, keepFlash } from '../../ui/flash';
import { isTextField } from '../../ui/focus';
import { KeyHint } from '../../ui/Kbd';
import { UntrustedBlock, UntrustedInline } from '../../ui/SafeText';
import { Screen } from '../../ui/Screen';
import { EmptyState, SkeletonRows } from '../../ui/States';
import { usePlatformNow } from '../../ui/useNow';

type Editing = { draftId: string; mode: 'edit' | 'sendBack'; text: string } | null;

/**
 * Drafts to approve (issue 17): the drafts of pending messages, the one that expires first
 * first — a draft never extends the deadline. One key approves (capture and reply, once,
 * held for the undo window), E edits then approves, B sends it back with a comment. Below,
 * the drafts I wrote and how each settled.
 */
export function DraftsScreen({ accountId, inboxId }: { accountId: string; inboxId: string }) {
  const t = useT();
  const drafts = useDrafts(accountId, inboxId);
  const approve = useApproveDraft(accountId);
  const sendBack = useSendBackDraft(accountId);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const toApprove = drafts.data?.toApprove ?? [];
  const mine = drafts.data?.mine ?? [];
  const focused = toApprove.find((d) => d.id === focusedId) ?? toApprove[0] ?? null;
  const keys = useRef<GuardedKeys | null>(null);
  keys.current ??= createGuardedKeys();
  useEffect(() => () => keys.current?.dispose(), []);

  const doApprove = (draft: DraftItem, reply: string) => {
    const text = reply.trim();
    if (!text) return;
    approve.mutate(
      { draft, reply: text },
      {
        onSuccess: () => {
          setEditing(null);
          flash(t('drafts.approved', { fan: isolate(draft.fanName) }), 'done');
        },
        onError: (error) => flash(t('errors.actionFailed', { reason: errorText(error) }), 'refused'),
      },
    );
  };
  const doSendBack = (draft: DraftItem, comment: string) => {
    const text = comment.trim();
    if (!text) return;
    sendBack.mutate(
      { draftId: draft.id, comment: text },
      {
        onSuccess: () => {
          setEditing(null);
          flash(t('drafts.sentBack', { author: isolate(draft.authorName) }), 'done');
        },
        onError: (error) => flash(t('errors.actionFailed', { reason: errorText(error) }), 'refused'),
      },
    );
  };

  const runCommand = (command: Command, draft: DraftItem) => {
    const at = toApprove.indexOf(draft);
    if (command === 'nextDraft' || command === 'previousDraft') {
      const next = toApprove[Math.min(toApprove.length - 1, Math.max(0, at + (command === 'nextDraft' ? 1 : -1)))];
      if (next) {
        setFocusedId(next.id);
        document.getElementById(`draft-${next.id}`)?.focus();
      }
    } else if (command === 'approveDraft') doApprove(draft, draft.body);
    else if (command === 'editDraft') setEditing({ draftId: draft.id, mode: 'edit', text: draft.body });
    else if (command === 'sendBackDraft') setEditing({ draftId: draft.id, mode: 'sendBack', text: '' });
  };

  // Approving is a capture: like the list's money keys it passes the typing guard, so a
  // sentence typed here by someone who thinks a text box is open approves nothing.
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.defaultPrevented || !focused) return;
    const inField = isTextField(event.target);
    const command = commandFor(event, isMac(navigator.platform), inField, null, 'drafts');
    if (inField) {
      if (command) {
        event.preventDefault();
        runCommand(command, focused);
      }
      return;
    }
    if (command) event.preventDefault();
    // Deferred or not, the command acts on the draft it was pressed on.
    const draft = focused;
    const act = () => command && runCommand(command, draft);
    keys.current?.onKey(
      { at: event.timeStamp, printable: isPrintable(event), command, deliberate: event.ctrlKey || event.metaKey },
      {
        run: act,
        runLater: act,
        tellTyping: () => flash(t('refusal.typing'), 'refused'),
        keepTelling: keepFlash,
      },
    );
  };

  return (
    <Screen title={t('drafts.title')} className="drafts-screen">
      {drafts.isPending ? (
        <SkeletonRows count={4} />
      ) : (
        // biome-ignore lint/a11y/noStaticElementInteractions: the screen's keys (A, E, B, J, K) act on the focused draft.
        <div className="drafts" onKeyDown={onKeyDown}>
          {drafts.data?.mayApprove ? (
            <section aria-labelledby="drafts-to-approve">
              <h3 id="drafts-to-approve" className="drafts-heading">
                {t('drafts.toApprove', { count: toApprove.length })}
              </h3>
              {toApprove.length === 0 ? (
                <EmptyState icon={<FilePenLine size={28} />} title={t('drafts.noneToApprove')} />
              ) : (
                <ol className="draft-list">
                  {toApprove.map((draft, index) => (
                    <DraftCard
                      key={draft.id}
                      draft={draft}
                      first={index === 0}
                      focused={draft.id === focused?.id}
                      onFocus={() => setFocusedId(draft.id)}
                      editing={editing?.draftId === draft.id ? editing : null}
                      setEditing={setEditing}
                      busy={approve.isPending || sendBack.isPending}
                      onApprove={(reply) => doApprove(draft, reply)}
                      onSendBack={(comment) => doSendBack(draft, comment)}
                    />
                  ))}
                </ol>
              )}
            </section>
          ) : null}
          {drafts.data?.mayDraft || mine.length > 0 ? <MyDrafts drafts={mine} /> : null}
        </div>
      )}
    </Screen>
  );
}

function TimeLeft({ deadline }: { deadline: number }) {
  const t = useT();
  const locale = useLocale();
  const now = usePlatformNow();
  const level = urgency(deadline, now);
  return (
    <span className={`chip draft-deadline urgency-${level}`}>
      <Hourglass size={14} aria-hidden="true" />
      {t('drafts.timeLeft', { time: formatTimeLeft(deadline - now, locale) })}
    </span>
  );
}

/** Who the message is from and what it pays, with what else the card says about time. */
function DraftMeta({ draft, children }: { draft: DraftItem; children?: React.ReactNode }) {
  const locale = useLocale();
  return (
    <div className="draft-meta">
      <strong>
        <UntrustedInline text={draft.fanName} />
      </strong>
      <span className="num">
        <Amount value={draft.price} locale={locale} />
      </span>
      {children}
    </div>
  );
}

function DraftCard({
  draft,
  first,
  focused,
  onFocus,
  editing,
  setEditing,
  busy,
  onApprove,
  onSendBack,
}: {
  draft: DraftItem;
  first: boolean;
  focused: boolean;
  onFocus: () => void;
  editing: Editing;
  setEditing: (editing: Editing) => void;
  busy: boolean;
  onApprove: (reply: string) => void;
  onSendBack: (comment: string) => void;
}) {
  const t = useT();
  const locale = useLocale();
  return (
    <li
      id={`draft-${draft.id}`}
      className={focused ? 'draft-card is-focused' : 'draft-card'}
      tabIndex={focused ? 0 : -1}
      data-autofocus={first ? '' : undefined}
      onFocus={onFocus}
      aria-label={t('drafts.cardLabel', { fan: isolate(draft.fanName), author: isolate(draft.authorName) })}
    >
      <DraftMeta draft={draft}>
        <TimeLeft deadline={draft.deadline} />
        {first ? <span className="chip money-risk">{t('drafts.expiresFirst')}</span> : null}
      </DraftMeta>
      <blockquote className="draft-question">
        <UntrustedBlock text={draft.messageBody} />
      </blockquote>
      <div className="draft-by muted small">
        {t('drafts.draftedBy', {
          author: isolate(draft.authorName),
          time: isolate(formatDateTime(draft.createdAt, locale)),
        })}
      </div>
      {editing ? (
        <form
          className="draft-edit"
          onSubmit={(event) => {
            event.preventDefault();
            if (editing.mode === 'edit') onApprove(editing.text);
            else onSendBack(editing.text);
          }}
        >
          <label htmlFor={`draft-text-${draft.id}`}>
            {editing.mode === 'edit' ? t('drafts.editLabel') : t('drafts.commentLabel')}
          </label>
          <textarea
            id={`draft-text-${draft.id}`}
            dir="auto"
            rows={4}
            maxLength={editing.mode === 'edit' ? MAX_REPLY_BODY : MAX_NOTE_BODY}
            value={editing.text}
            // biome-ignore lint/a11y/noAutofocus: E and B open this box to type in at once.
            autoFocus
            onChange={(event) => setEditing({ ...editing, text: event.target.value })}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.preventDefault();
                event.stopPropagation();
                setEditing(null);
                document.getElementById(`draft-${draft.id}`)?.focus();
              }
            }}
          />
          <div className="composer-actions">
            <button type="submit" className="primary" disabled={busy || editing.text.trim() === ''}>
              {editing.mode === 'edit' ? t('drafts.approveEdited') : t('drafts.sendBackSubmit')}
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <UntrustedBlock text={draft.body} className="draft-body" />
          <div className="toolbar" role="toolbar" aria-label={t('pane.actions')}>
            <button type="button" className="primary" disabled={busy} onClick={() => onApprove(draft.body)}>
              <Check size={16} aria-hidden="true" />
              {t('drafts.approve')}
              {focused ? <KeyHint command="approveDraft" /> : null}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => setEditing({ draftId: draft.id, mode: 'edit', text: draft.body })}
            >
              <Pencil size={16} aria-hidden="true" />
              {t('drafts.edit')}
              {focused ? <KeyHint command="editDraft" /> : null}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => setEditing({ draftId: draft.id, mode: 'sendBack', text: '' })}
            >
              <CornerUpLeft size={16} aria-hidden="true" className="flip-rtl" />
              {t('drafts.sendBack')}
              {focused ? <KeyHint command="sendBackDraft" /> : null}
            </button>
          </div>
        </>
      )}
    </li>
  );
}

/** What became of a draft I wrote, in one sentence naming who and when. */
export function draftOutcome(t: ReturnType<typeof useT>, draft: DraftItem, locale: string): string {
  const time = (at: number | null) => (at === null ? '' : isolate(formatDateTime(at, locale)));
  const who = (name: string | null | undefined) => isolate(name ?? '');
  if (draft.queued) return t('drafts.state.queued');
  if (draft.status === 'approved') {
    return t('drafts.state.approved', { who: who(draft.decidedBy?.name), time: time(draft.decidedAt) });
  }
  if (draft.status === 'sent_back') {
    return t('drafts.state.sentBack', { who: who(draft.decidedBy?.name), time: time(draft.decidedAt) });
  }
  // The message settled without this draft (refunded or expired meanwhile): a conflict, named.
  if (draft.messageStatus === 'refunded') {
    return t('drafts.state.refunded', { who: who(draft.messageDecidedBy), time: time(draft.messageDecidedAt) });
  }
  if (draft.messageStatus === 'expired') return t('drafts.state.expired', { time: time(draft.messageDecidedAt) });
  if (draft.messageStatus === 'accepted') {
    return t('drafts.state.answered', { who: who(draft.messageDecidedBy), time: time(draft.messageDecidedAt) });
  }
  return t('drafts.state.waiting');
}

function MyDrafts({ drafts }: { drafts: readonly DraftItem[] }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="drafts-mine">
      <h3 id="drafts-mine" className="drafts-heading">
        {t('drafts.mine')}
      </h3>
      {drafts.length === 0 ? (
        <p className="muted">{t('drafts.noneMine')}</p>
      ) : (
        <ul className="draft-list">
          {drafts.map((draft) => (
            <li key={draft.id} className={`draft-card mine draft-${draft.status}`} data-draft-state={draft.status}>
              <DraftMeta draft={draft} />
              <UntrustedBlock text={draft.body} className="draft-body" />
              <p className="draft-outcome" role="status">
                {draftOutcome(t, draft, locale)}
              </p>
              {draft.comment ? (
                <p className="draft-comment">
                  {t('drafts.comment')} <UntrustedInline text={draft.comment} />
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
