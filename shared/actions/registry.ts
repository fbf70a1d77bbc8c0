/**
 * Every action a member can take, declared once: what it takes, what it needs, which
 * step of the message state machine it is, the request it becomes and how its answer
 * settles. The renderer's optimistic update, the core's outbox and pusher and the
 * platform's checks all read this table, so "may this be done now" has one answer.
 */
import { z } from 'zod';
import type { MessageAction } from '../message/lifecycle';
import { Id, MAX_NOTE_BODY, MAX_REPLY_BODY } from '../protocol/common';
import {
  BlockBody,
  DraftBody,
  RefundBody,
  type RouteBody,
  type RouteName,
  SettingsPatchBody,
  TriagePatchBody,
} from '../protocol/routes';
import type { Requirement } from './permission';

export const AcceptInput = z.object({
  kind: z.literal('accept'),
  reply: z.string().min(1).max(MAX_REPLY_BODY).optional(),
});
export const RefundInput = z.object({
  kind: z.literal('refund'),
  reason: RefundBody.shape.reason,
  noteToFan: z.string().max(500).optional(),
});
export const ReplyInput = z.object({ kind: z.literal('reply'), body: z.string().min(1).max(MAX_REPLY_BODY) });
export const TriageInput = z.object({ kind: z.literal('triage'), patch: TriagePatchBody });
export const NoteInput = z.object({ kind: z.literal('note'), body: z.string().min(1).max(MAX_NOTE_BODY) });
/** A reply written for the creator to approve (issue 17); sent through the outbox, so offline too. */
export const DraftInput = z.object({ kind: z.literal('draft'), body: DraftBody.shape.body });
export const SettingsInput = z.object({ kind: z.literal('settings'), patch: SettingsPatchBody });
/**
 * Blocking a fan stops their new messages; `refundPending` also refunds the ones still
 * waiting (which needs the refund permission, within the member's money limits).
 */
export const BlockInput = z.object({
  kind: z.literal('block'),
  fanId: Id,
  refundPending: BlockBody.shape.refundPending,
});
export const UnblockInput = z.object({ kind: z.literal('unblock'), fanId: Id });

/** The actions taken on one fan of an inbox (the bridge's `fans.submit`). */
export const FanActionSchema = z.discriminatedUnion('kind', [BlockInput, UnblockInput]);
export type FanAction = z.infer<typeof FanActionSchema>;

/** The actions taken on one message (the bridge's `actions.submit`). */
export const MessageActionSchema = z.discriminatedUnion('kind', [
  AcceptInput,
  RefundInput,
  ReplyInput,
  TriageInput,
  NoteInput,
  DraftInput,
]);
/** Everything the outbox can hold: the message actions and the inbox's settings edits. */
export const QueuedActionSchema = z.discriminatedUnion('kind', [
  AcceptInput,
  RefundInput,
  ReplyInput,
  TriageInput,
  NoteInput,
  DraftInput,
  SettingsInput,
  BlockInput,
  UnblockInput,
]);

export type QueuedAction = z.infer<typeof QueuedActionSchema>;
export type ActionKind = QueuedAction['kind'];
export type ActionOf<K extends ActionKind> = Extract<QueuedAction, { kind: K }>;
/** An action as a caller may write it (before parsing): what the checks read. */
export type ActionInput = z.input<typeof QueuedActionSchema>;
export type InputOf<K extends ActionKind> = Extract<ActionInput, { kind: K }>;

/** The platform route each action becomes. */
export interface ActionRoutes {
  accept: 'accept';
  refund: 'refund';
  reply: 'reply';
  triage: 'triage';
  note: 'addNote';
  draft: 'submitDraft';
  settings: 'updateSettings';
  block: 'block';
  unblock: 'unblock';
}
export type RouteOf<K extends ActionKind> = ActionRoutes[K] & RouteName;

export interface ActionSpec<K extends ActionKind> {
  /** What the action is about: one message, the inbox itself, or one fan of the inbox (`fanId`). */
  readonly target: 'message' | 'inbox' | 'fan';
  /** What it needs beyond membership (the permission table), for this input. */
  requires(action: InputOf<K>): readonly Requirement[];
  /** Its step in the message state machine, when it moves a message's money state. */
  readonly step: MessageAction | null;
  /**
   * A step the message must still allow, checked like that step but not taken: a draft
   * needs a message that could still be accepted (pending, before its deadline).
   */
  readonly checksAs?: MessageAction;
  /** A decision waits the undo window before it leaves, so it can still be taken back. */
  readonly held: boolean;
  /**
   * Whether a second delivery changes nothing: the state machine refuses it (a decision),
   * or it sets what is already set (triage, settings, a draft replacing itself). A note or a
   * reply sent twice is stored twice, so once the platform may have forgotten the first
   * send's idempotency key it must not be sent blindly again.
   */
  readonly repeatable: boolean;
  readonly route: RouteOf<K>;
  /** The body of its request. */
  body(action: ActionOf<K>): RouteBody<RouteOf<K>>;
}

export const ACTIONS: { readonly [K in ActionKind]: ActionSpec<K> } = {
  accept: {
    target: 'message',
    // Accepting with a reply also replies: it needs both permissions.
    requires: (a) => (a.reply !== undefined ? ['accept', 'reply'] : ['accept']),
    step: 'accept',
    held: true,
    repeatable: true,
    route: 'accept',
    body: (a) => (a.reply !== undefined ? { reply: a.reply } : {}),
  },
  refund: {
    target: 'message',
    requires: () => ['refund'],
    step: 'refund',
    held: true,
    repeatable: true,
    route: 'refund',
    body: (a) => (a.noteToFan !== undefined ? { reason: a.reason, noteToFan: a.noteToFan } : { reason: a.reason }),
  },
  reply: {
    target: 'message',
    requires: () => ['reply'],
    step: 'reply',
    held: false,
    repeatable: false,
    route: 'reply',
    body: (a) => ({ body: a.body }),
  },
  // Triage and notes move no money: any active member may.
  triage: {
    target: 'message',
    requires: () => [],
    step: null,
    held: false,
    repeatable: true,
    route: 'triage',
    body: (a) => a.patch,
  },
  note: {
    target: 'message',
    requires: () => [],
    step: null,
    held: false,
    repeatable: false,
    route: 'addNote',
    body: (a) => ({ body: a.body }),
  },
  // A draft moves no money and never extends the deadline: it needs a message that could still be accepted.
  draft: {
    target: 'message',
    requires: () => ['draft'],
    step: null,
    checksAs: 'accept',
    held: false,
    repeatable: true,
    route: 'submitDraft',
    body: (a) => ({ body: a.body }),
  },
  settings: {
    target: 'inbox',
    requires: () => ['owner'],
    step: null,
    held: false,
    repeatable: true,
    route: 'updateSettings',
    body: (a) => a.patch,
  },
  // Any active member may block or unblock; refunding the fan's pending messages on the way
  // is a refund, so it needs that permission. Both set a state: a second delivery changes nothing.
  block: {
    target: 'fan',
    requires: (a) => (a.refundPending === true ? ['refund'] : []),
    step: null,
    held: false,
    repeatable: true,
    route: 'block',
    body: (a) => ({ fanId: a.fanId, refundPending: a.refundPending }),
  },
  unblock: {
    target: 'fan',
    requires: () => [],
    step: null,
    held: false,
    repeatable: true,
    route: 'unblock',
    body: () => undefined,
  },
};

export function actionSpec<K extends ActionKind>(kind: K): ActionSpec<K> {
  return ACTIONS[kind];
}

export const ACTION_KINDS = Object.keys(ACTIONS) as ActionKind[];

/**
 * The path of an action's request: its message, its inbox, or the fan in its inbox. The
 * core's pusher and the tests build requests with this, so a target means one path.
 */
export function routeParams(
  action: QueuedAction,
  at: { readonly inboxId: string; readonly messageId: string | null },
): Record<string, string> {
  switch (ACTIONS[action.kind].target) {
    case 'inbox':
      return { inboxId: at.inboxId };
    case 'fan':
      return { inboxId: at.inboxId, fanId: 'fanId' in action ? action.fanId : '' };
    case 'message':
      return { messageId: at.messageId ?? '' };
  }
}
