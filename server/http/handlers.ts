import type { z } from 'zod';
import type { JsonRouteName, Message, RouteName, RouteResponse, Routes } from '../../shared/protocol';
import type { PasswordHash } from '../auth/password';
import { ApiError } from '../errors';
import type { JsonText } from '../json-text';
import { type Access, lockInboxAs, lockInboxAsOwner, requireFan } from '../services/access';
import * as accountsService from '../services/accounts';
import { blockAccess, blockFan, unblockFan } from '../services/blocks';
import type { Actor, Tx } from '../services/context';
import { draftAccess, listDrafts, sendBackDraft, submitDraft } from '../services/drafts';
import { clearFanTerms, fanTermsAccess, setFanTerms } from '../services/fans';
import { auditLog, messageFor, readChanges } from '../services/feed';
import { getSettings, myTerms, publicProfile, updateSettings } from '../services/inbox';
import {
  acceptMessage,
  messageActionAccess,
  myMessages,
  refundMessage,
  replyToMessage,
  sendMessage,
} from '../services/messages';
import { balance, ledger, payouts, requestPayout, topUp, wallet } from '../services/money';
import {
  acceptInvitation,
  cancelInvitation,
  invitationAccess,
  invite,
  members,
  myInvitations,
  revokeMember,
  setLimits,
  setPermissions,
} from '../services/team';
import { addNote, updateTriage } from '../services/triage';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<N extends RouteName> {
  readonly params: Record<string, string>;
  readonly body: Parsed<Routes[N] extends { body: infer B } ? B : undefined>;
  readonly query: Parsed<Routes[N] extends { query: infer Q } ? Q : undefined>;
  /** What `prepare` produced outside the transaction (slow work such as password hashing). */
  readonly prepared: unknown;
}

export interface RouteHandler<N extends RouteName> {
  /** Work done before the transaction opens, so it never holds a database connection. */
  prepare?(input: Omit<RouteInput<N>, 'prepared'>, deps: HandlerDeps): Promise<unknown>;
  /** The answer, or its JSON text where the database already holds it as text (json-text.ts). */
  run(tx: Tx, actor: Actor | null, input: RouteInput<N>): Promise<RouteResponse<N> | JsonText<RouteResponse<N>>>;
  /**
   * For idempotent routes: the access check `run` makes (the same function), asked again
   * before a stored answer is replayed, so access taken away also ends replays.
   */
  authorize?(tx: Tx, actor: Actor, input: RouteInput<N>): Promise<unknown>;
  /**
   * For idempotent routes whose answer depends on who asks: what the caller may see of a
   * stored answer replayed now, given what `authorize` returned (access may have narrowed).
   */
  present?(authorized: unknown, stored: RouteResponse<N>): RouteResponse<N>;
}

export interface HandlerDeps {
  hasher: accountsService.PasswordHasher;
  findCredentials(email: string): ReturnType<typeof accountsService.findCredentials>;
}

/** Every JSON route of the table; streamed routes (`stream` in the spec) register themselves. */
export type RouteHandlers = { [N in JsonRouteName]: RouteHandler<N> };

/** Routes with `auth: true` always get an actor; this makes that visible to the types. */
function signedIn(actor: Actor | null): Actor {
  if (!actor) throw new ApiError('unauthenticated', 'Sign in first');
  return actor;
}

/** An accept's or refund's answer as the member may see it now (`authorized` is messageActionAccess's). */
const messageResultFor = <R extends { message: Message }>(authorized: unknown, stored: R): R => ({
  ...stored,
  message: messageFor((authorized as { access: Access }).access, stored.message),
});

const param = (input: { params: Record<string, string> }, name: string): string => {
  const value = input.params[name];
  if (value === undefined) throw new ApiError('invalid_request', `Missing ${name}`);
  return value;
};

export const handlers: RouteHandlers = {
  signUp: {
    prepare: (input, deps) => deps.hasher.hash(input.body.password),
    run: (tx, _actor, input) => accountsService.signUp(tx, input.body, input.prepared as PasswordHash),
  },
  signIn: {
    async prepare(input, deps) {
      const user = await deps.findCredentials(input.body.email);
      const ok = await accountsService.checkPassword(deps.hasher, user, input.body.password);
      if (!ok || !user) throw new ApiError('unauthenticated', 'Wrong email or password');
      return user;
    },
    run: (tx, _actor, input) =>
      accountsService.signIn(tx, input.prepared as Parameters<typeof accountsService.signIn>[1], input.body.deviceName),
  },
  signOut: {
    async run(tx, actor) {
      const me = signedIn(actor);
      if (me.sessionId) await accountsService.revokeSession(tx, me, me.sessionId);
      return { ok: true };
    },
  },
  listSessions: { run: (tx, actor) => accountsService.listSessions(tx, signedIn(actor)) },
  revokeSession: {
    async run(tx, actor, input) {
      await accountsService.revokeSession(tx, signedIn(actor), param(input, 'sessionId'));
      return { ok: true };
    },
  },
  me: { run: (tx, actor) => accountsService.me(tx, signedIn(actor)) },
  publicProfile: { run: (tx, _actor, input) => publicProfile(tx, param(input, 'handle')) },
  sendMessage: {
    run: (tx, actor, input) => sendMessage(tx, signedIn(actor), param(input, 'handle'), input.body),
    authorize: async (_tx, actor) => requireFan(actor),
  },
  myTerms: { run: (tx, actor, input) => myTerms(tx, signedIn(actor), param(input, 'handle')) },
  myMessages: { run: (tx, actor) => myMessages(tx, signedIn(actor)) },
  wallet: { run: (tx, actor) => wallet(tx, signedIn(actor)) },
  topUp: {
    run: (tx, actor, input) => topUp(tx, signedIn(actor), input.body),
    authorize: async (_tx, actor) => requireFan(actor),
  },
  getSettings: { run: (tx, actor, input) => getSettings(tx, signedIn(actor), param(input, 'inboxId')) },
  updateSettings: {
    run: (tx, actor, input) => updateSettings(tx, signedIn(actor), param(input, 'inboxId'), input.body),
    authorize: (tx, actor, input) => lockInboxAsOwner(tx, actor, param(input, 'inboxId')),
  },
  changes: { run: (tx, actor, input) => readChanges(tx, signedIn(actor), param(input, 'inboxId'), input.query) },
  accept: {
    run: (tx, actor, input) => acceptMessage(tx, signedIn(actor), param(input, 'messageId'), input.body),
    authorize: (tx, actor, input) =>
      messageActionAccess(tx, actor, param(input, 'messageId'), { kind: 'accept', ...input.body }),
    present: messageResultFor,
  },
  refund: {
    run: (tx, actor, input) => refundMessage(tx, signedIn(actor), param(input, 'messageId'), input.body),
    authorize: (tx, actor, input) =>
      messageActionAccess(tx, actor, param(input, 'messageId'), { kind: 'refund', ...input.body }),
    present: messageResultFor,
  },
  reply: {
    run: (tx, actor, input) => replyToMessage(tx, signedIn(actor), param(input, 'messageId'), input.body),
    authorize: (tx, actor, input) =>
      messageActionAccess(tx, actor, param(input, 'messageId'), { kind: 'reply', ...input.body }),
  },
  triage: {
    run: (tx, actor, input) => updateTriage(tx, signedIn(actor), param(input, 'messageId'), input.body),
    authorize: (tx, actor, input) =>
      messageActionAccess(tx, actor, param(input, 'messageId'), { kind: 'triage', patch: input.body }),
  },
  addNote: {
    run: (tx, actor, input) => addNote(tx, signedIn(actor), param(input, 'messageId'), input.body),
    authorize: (tx, actor, input) =>
      messageActionAccess(tx, actor, param(input, 'messageId'), { kind: 'note', ...input.body }),
  },
  block: {
    run: (tx, actor, input) => blockFan(tx, signedIn(actor), param(input, 'inboxId'), input.body),
    authorize: (tx, actor, input) => blockAccess(tx, actor, param(input, 'inboxId'), input.body),
  },
  unblock: {
    run: (tx, actor, input) => unblockFan(tx, signedIn(actor), param(input, 'inboxId'), param(input, 'fanId')),
    authorize: (tx, actor, input) => lockInboxAs(tx, actor, param(input, 'inboxId')),
  },
  setFanTerms: {
    run: (tx, actor, input) =>
      setFanTerms(tx, signedIn(actor), param(input, 'inboxId'), param(input, 'fanId'), input.body),
    authorize: (tx, actor, input) => fanTermsAccess(tx, actor, param(input, 'inboxId')),
  },
  clearFanTerms: {
    run: (tx, actor, input) => clearFanTerms(tx, signedIn(actor), param(input, 'inboxId'), param(input, 'fanId')),
    authorize: (tx, actor, input) => fanTermsAccess(tx, actor, param(input, 'inboxId')),
  },
  balance: { run: (tx, actor, input) => balance(tx, signedIn(actor), param(input, 'inboxId')) },
  submitDraft: {
    run: (tx, actor, input) => submitDraft(tx, signedIn(actor), param(input, 'messageId'), input.body),
    authorize: (tx, actor, input) =>
      messageActionAccess(tx, actor, param(input, 'messageId'), { kind: 'draft', body: input.body.body }),
  },
  drafts: { run: (tx, actor, input) => listDrafts(tx, signedIn(actor), param(input, 'inboxId')) },
  sendBackDraft: {
    run: (tx, actor, input) => sendBackDraft(tx, signedIn(actor), param(input, 'draftId'), input.body),
    authorize: (tx, actor, input) => draftAccess(tx, signedIn(actor), param(input, 'draftId')),
  },
  ledger: { run: (tx, actor, input) => ledger(tx, signedIn(actor), param(input, 'inboxId'), input.query) },
  payouts: { run: (tx, actor, input) => payouts(tx, signedIn(actor), param(input, 'inboxId')) },
  requestPayout: {
    run: (tx, actor, input) => requestPayout(tx, signedIn(actor), param(input, 'inboxId'), input.body),
    authorize: (tx, actor, input) => lockInboxAsOwner(tx, actor, param(input, 'inboxId')),
  },
  members: { run: (tx, actor, input) => members(tx, signedIn(actor), param(input, 'inboxId')) },
  invite: {
    run: (tx, actor, input) => invite(tx, signedIn(actor), param(input, 'inboxId'), input.body),
    authorize: (tx, actor, input) => lockInboxAsOwner(tx, actor, param(input, 'inboxId')),
  },
  myInvitations: { run: (tx, actor) => myInvitations(tx, signedIn(actor)) },
  acceptInvitation: {
    run: (tx, actor, input) => acceptInvitation(tx, signedIn(actor), param(input, 'invitationId'), input.body),
    authorize: (tx, actor, input) => invitationAccess(tx, actor, param(input, 'invitationId')),
  },
  cancelInvitation: {
    run: (tx, actor, input) =>
      cancelInvitation(tx, signedIn(actor), param(input, 'inboxId'), param(input, 'invitationId')),
    authorize: (tx, actor, input) => lockInboxAsOwner(tx, actor, param(input, 'inboxId')),
  },
  setPermissions: {
    run: (tx, actor, input) =>
      setPermissions(tx, signedIn(actor), param(input, 'inboxId'), param(input, 'userId'), input.body),
    authorize: (tx, actor, input) => lockInboxAsOwner(tx, actor, param(input, 'inboxId')),
  },
  setLimits: {
    run: (tx, actor, input) =>
      setLimits(tx, signedIn(actor), param(input, 'inboxId'), param(input, 'userId'), input.body),
    authorize: (tx, actor, input) => lockInboxAsOwner(tx, actor, param(input, 'inboxId')),
  },
  revokeMember: {
    run: (tx, actor, input) => revokeMember(tx, signedIn(actor), param(input, 'inboxId'), param(input, 'userId')),
    authorize: (tx, actor, input) => lockInboxAsOwner(tx, actor, param(input, 'inboxId')),
  },
  audit: { run: (tx, actor, input) => auditLog(tx, signedIn(actor), param(input, 'inboxId'), input.query) },
};
