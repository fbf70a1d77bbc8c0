import type { MessageStatus, TransitionRefusal } from '../message/lifecycle';
import { transition } from '../message/lifecycle';
import { type Membership, mayAct, type Requirement } from './permission';
import { ACTIONS, type ActionInput, type ActionKind, type InputOf } from './registry';

/** A message's state as the side that checks knows it. */
export interface ActionSubject {
  readonly status: MessageStatus;
  readonly deadline: number;
  /** Sent on a free pass: the deadline closes nothing (shared/message/lifecycle.ts). */
  readonly free?: boolean;
  /**
   * A decision of this message already waiting in this device's outbox. The platform has
   * no outbox: it always passes null.
   */
  readonly pendingDecision: 'accept' | 'refund' | null;
}

export type Refusal =
  | { readonly code: 'not_member' }
  | { readonly code: 'forbidden'; readonly needs: Requirement }
  | { readonly code: TransitionRefusal; readonly status: MessageStatus }
  | { readonly code: 'already_queued'; readonly queued: 'accept' | 'refund' };

export interface CheckContext {
  /** The actor's membership in the action's inbox; null when not an active member. */
  readonly membership: Membership | null;
  /** The message acted on; null for inbox actions (settings). */
  readonly message: ActionSubject | null;
  /** ms since the epoch, by the checking side's clock. */
  readonly now: number;
}

/** What the action needs, first unmet requirement first. */
export function requirementsOf<K extends ActionKind>(action: InputOf<K>): readonly Requirement[] {
  return ACTIONS[action.kind as K].requires(action);
}

/**
 * "May this be done now": membership, then the permission table, then the state machine.
 * Null means allowed. The renderer asks before its optimistic update, the core before it
 * queues, the platform before it moves money, so all three give the same answer.
 */
export function checkAction(action: ActionInput, context: CheckContext): Refusal | null {
  const { membership, message, now } = context;
  if (!membership) return { code: 'not_member' };
  for (const needs of requirementsOf(action)) if (!mayAct(membership, needs)) return { code: 'forbidden', needs };
  const spec = ACTIONS[action.kind];
  const step = spec.step ?? spec.checksAs ?? null;
  if (!step || !message) return null;
  if (step === 'accept' || step === 'refund') {
    if (message.status !== 'pending') return { code: 'already_decided', status: message.status };
    if (message.pendingDecision) return { code: 'already_queued', queued: message.pendingDecision };
  }
  // A reply may follow an accept that is still waiting to leave: it is sent after it.
  if (step === 'reply' && message.pendingDecision === 'accept') return null;
  const result = transition(message.status, step, { now, deadline: message.deadline, free: message.free === true });
  return result.ok ? null : { code: result.reason, status: message.status };
}

/** The refusal in plain English, for logs and the core's and platform's error messages. */
export function refusalText(refusal: Refusal): string {
  switch (refusal.code) {
    case 'not_member':
      return 'You are not a member of this inbox.';
    case 'forbidden':
      return refusal.needs === 'owner'
        ? 'Only the inbox owner can do this.'
        : `You do not have the "${refusal.needs}" permission in this inbox.`;
    case 'already_decided':
      return `This message is already ${refusal.status}.`;
    case 'already_queued':
      return `A ${refusal.queued} of this message is already waiting to be sent.`;
    case 'deadline_passed':
      return 'The deadline has passed: this message can no longer be accepted.';
    case 'deadline_not_reached':
      return 'The deadline has not passed yet.';
    case 'not_accepted':
      return 'Only an accepted message can be replied to.';
  }
}
