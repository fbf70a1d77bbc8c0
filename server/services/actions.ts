import { type ActionInput, checkAction, type Refusal } from '../../shared/actions';
import type { MessageStatus } from '../../shared/message';
import { ApiError, alreadyDecided, forbidden, notFound } from '../errors';
import { type Access, forbiddenText } from './access';

/** What the platform knows of a message when it checks an action on it (the locked row). */
export interface CheckedMessage {
  readonly status: MessageStatus;
  readonly deadline: number;
  readonly free: boolean;
  readonly decided_at: number | null;
  readonly decided_by: string | null;
  readonly decided_by_name: string | null;
}

/** The registry's refusals worded for the API: the one place they become platform errors. */
export function apiRefusal(refusal: Refusal, message: CheckedMessage | null): ApiError {
  switch (refusal.code) {
    case 'not_member':
      return notFound('Inbox');
    case 'forbidden':
      return forbidden(forbiddenText(refusal.needs));
    case 'already_decided':
      return alreadyDecided({
        status: refusal.status,
        decidedAt: message?.decided_at ?? message?.deadline ?? 0,
        decidedBy: message?.decided_by ? { id: message.decided_by, name: message.decided_by_name ?? '' } : null,
      });
    case 'deadline_passed':
      return new ApiError(
        'deadline_passed',
        `The response window closed at ${new Date(message?.deadline ?? 0).toISOString()}; the fan will be refunded`,
        { deadline: message?.deadline },
      );
    case 'not_accepted':
      return new ApiError('not_accepted', 'Only an accepted message can be replied to');
    case 'deadline_not_reached':
      return new ApiError('conflict', 'The deadline has not passed yet');
    case 'already_queued':
      // Only a device's outbox queues; the platform never sees this refusal.
      return new ApiError('conflict', 'A decision of this message is already under way');
  }
}

/**
 * The registry's check (shared/actions) on the platform: who may, before any lock is
 * taken (`message` null), then what may be done now, on the locked message row.
 */
export function requireAllowed(access: Access, action: ActionInput, message: CheckedMessage | null, now: number): void {
  const refusal = checkAction(action, {
    membership: access,
    message: message && {
      status: message.status,
      deadline: message.deadline,
      free: message.free,
      pendingDecision: null,
    },
    now,
  });
  if (refusal) throw apiRefusal(refusal, message);
}
