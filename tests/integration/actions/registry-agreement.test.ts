/**
 * One answer to "may this be done now": every registered action (shared/actions), for
 * every message state, every role and every set of permissions, goes through the
 * renderer's optimistic path (renderer/data/optimistic.ts), a real core (SQLite, synced
 * from the platform) and the real platform on loopback (PGlite), and all three must
 * allow or refuse it alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyToRow,
  inboxRefusal,
  membershipFor,
  optimisticUpdate,
  refusalOnRow,
} from '../../../renderer/data/optimistic';
import {
  ACTION_KINDS,
  ACTIONS,
  type ActionKind,
  type ActionOf,
  type QueuedAction,
  routeParams,
  type TriageFields,
  type TriagePatch,
} from '../../../shared/actions';
import type { InboxRow } from '../../../shared/contract';
import type { Permission } from '../../../shared/protocol';
import { type CoreHarness, startCore } from '../../fixtures/core/core';
import { waitFor } from '../../fixtures/core/proxy';
import { startTestPlatform, type TestCreator, type TestPlatform, type TestUser } from '../../helpers/server';

const HOUR = 3_600_000;
const STATES = ['open', 'overdue', 'accepted', 'refunded', 'expired'] as const;
type State = (typeof STATES)[number];

/** The fan the block cases act on (a second fan, so a block's refunds leave the seeded messages alone). */
const BLOCKEE = 'blockee';

/**
 * Every registered kind, and accept both with and without a reply (it needs one more
 * permission), block both with and without refunding the fan's pending messages (likewise).
 */
const CASES: Array<{ name: string; action: QueuedAction }> = [
  { name: 'accept', action: { kind: 'accept' } },
  { name: 'accept+reply', action: { kind: 'accept', reply: 'Thank you, recording it now' } },
  { name: 'refund', action: { kind: 'refund', reason: 'cannot_answer' } },
  { name: 'reply', action: { kind: 'reply', body: 'Here it is' } },
  { name: 'triage', action: { kind: 'triage', patch: { starred: true, labelsAdd: ['checked'] } } },
  { name: 'note', action: { kind: 'note', body: 'Seen by the team' } },
  { name: 'draft', action: { kind: 'draft', body: 'A reply for the creator' } },
  { name: 'settings', action: { kind: 'settings', patch: { paused: false } } },
  { name: 'block', action: { kind: 'block', fanId: BLOCKEE, refundPending: false } },
  { name: 'block+refund', action: { kind: 'block', fanId: BLOCKEE, refundPending: true } },
  { name: 'unblock', action: { kind: 'unblock', fanId: BLOCKEE } },
];
/** Blocking and unblocking are any member's: allowed everywhere (refunding on block is not). */
const ANY_MEMBER = new Set(['triage', 'note', 'block', 'unblock']);
/** Actions that move money change the message: each (member, state) gets a message of its own for them. */
const MOVES_MONEY = new Set(['accept', 'accept+reply', 'refund']);

/** The owner, and a manager with each subset of the message permissions. */
const GRANTS: Permission[][] = [
  [],
  ['accept'],
  ['refund'],
  ['reply'],
  ['accept', 'refund'],
  ['accept', 'reply'],
  ['refund', 'reply'],
  ['accept', 'refund', 'reply'],
];

let platform: TestPlatform;
let owner: TestCreator;
let fan: TestUser;
let blockee: TestUser;
/** A message from the blockee, so every core knows them as a fan of the inbox. */
let blockeeMessage: string;
const members: Array<{ label: string; user: TestUser }> = [];
/** message id by `${member}|${state}|${case}` for money moves, `${state}` for the shared one. */
const messages = new Map<string, string>();
const harnesses: CoreHarness[] = [];

const setWindow = (responseWindowMs: number) =>
  platform.api.ok('updateSettings', {
    token: owner.token,
    params: { inboxId: owner.inboxId },
    body: { responseWindowMs },
  });
const send = async () => (await platform.api.sendPaidMessage(fan, owner, 'Could you say hi to my class?')).id;

/** Messages for one state: a shared one, plus one per member and money-moving case. */
async function seed(state: State): Promise<void> {
  messages.set(state, await send());
  for (const member of members) {
    for (const c of CASES)
      if (MOVES_MONEY.has(c.name)) messages.set(`${member.label}|${state}|${c.name}`, await send());
  }
}

beforeAll(async () => {
  platform = await startTestPlatform();
  owner = await platform.api.signUpCreator({ price: { minor: 500, currency: 'USD' } });
  fan = await platform.api.signUpFan();
  await platform.api.topUp(fan, { minor: 10_000_000, currency: 'USD' });
  blockee = await platform.api.signUpFan();
  members.push({ label: 'owner', user: owner });
  for (const grant of GRANTS) {
    members.push({ label: `manager[${grant.join(',')}]`, user: await platform.api.signUpManager(owner, grant) });
  }
  // Expired: a one-hour window, then the expiry job two hours later.
  await setWindow(HOUR);
  messages.set('expired', await send());
  platform.clock.advance(2 * HOUR);
  await platform.api.expireDue();
  // Overdue: a one-hour window, never expired (the job runs only when a test asks).
  await seed('overdue');
  await setWindow(7 * 24 * HOUR);
  await seed('open');
  for (const state of ['accepted', 'refunded'] as const) messages.set(state, await send());
  blockeeMessage = (await platform.api.sendPaidMessage(blockee, owner, 'Please read this', { fund: true })).id;
  await platform.api.accept(owner, messages.get('accepted') ?? '');
  await platform.api.refund(owner, messages.get('refunded') ?? '');
  platform.clock.advance(2 * HOUR);
}, 240_000);

afterAll(async () => {
  await Promise.allSettled(harnesses.map((h) => h.close()));
  await platform?.close();
}, 30_000);

function messageFor(member: string, state: State, c: (typeof CASES)[number]): string {
  if (state === 'expired' || state === 'accepted' || state === 'refunded') return messages.get(state) ?? '';
  return (MOVES_MONEY.has(c.name) ? messages.get(`${member}|${state}|${c.name}`) : messages.get(state)) ?? '';
}

async function rowsOf(h: CoreHarness, accountId: string): Promise<Map<string, InboxRow>> {
  const rows = new Map<string, InboxRow>();
  for (const view of ['pending', 'accepted', 'closed'] as const) {
    const page = await h.call('inbox.page', { accountId, inboxId: owner.inboxId, view, limit: 200 });
    for (const row of page.rows) rows.set(row.id, row);
  }
  return rows;
}

/** The case's action, its placeholder fan made the blockee. */
function concrete(action: QueuedAction): QueuedAction {
  return 'fanId' in action ? { ...action, fanId: blockee.id } : action;
}

/** The platform's answer to the registry's own request for this action, straight over HTTP. */
async function platformVerdict<K extends ActionKind>(
  user: TestUser,
  kind: K,
  action: ActionOf<K>,
  messageId: string,
): Promise<string> {
  const spec = ACTIONS[kind];
  const params = routeParams(action, { inboxId: owner.inboxId, messageId });
  const answer = await platform.api.call(spec.route, { token: user.token, params, body: spec.body(action) });
  if (answer.status === 200) return 'allow';
  return `refuse:${(answer.body as { error?: { code?: string } } | null)?.error?.code ?? answer.status}`;
}

/** The core's answer: queued, or refused before anything was queued. */
async function coreVerdict(
  h: CoreHarness,
  accountId: string,
  action: QueuedAction,
  messageId: string,
): Promise<string> {
  try {
    if (action.kind === 'settings') {
      await h.call('team.updateSettings', { accountId, inboxId: owner.inboxId, patch: action.patch });
    } else if (action.kind === 'block' || action.kind === 'unblock') {
      await h.call('fans.submit', { accountId, inboxId: owner.inboxId, action });
    } else {
      await h.call('actions.submit', { accountId, messageId, action });
    }
    return 'allow';
  } catch (error) {
    const e = error as { code?: string; details?: { code?: string } };
    return `refuse:${e.details?.code ?? e.code}`;
  }
}

/**
 * The renderer's optimistic path, on the row and the membership the core gave it (block and
 * unblock are asked on the message pane's row, as its menu asks).
 */
function rendererVerdict(
  row: InboxRow,
  action: QueuedAction,
  accounts: Parameters<typeof membershipFor>[0],
  now: number,
): string {
  const membership = membershipFor(accounts, row.inboxId);
  // Settings are about the inbox, not a row: the settings screen asks the registry with the inbox alone.
  const refusal =
    action.kind === 'settings'
      ? inboxRefusal(action, membership, now)
      : action.kind === 'block' || action.kind === 'unblock'
        ? refusalOnRow(row, action, membership, now)
        : (() => {
            const verdict = optimisticUpdate(row, action, membership, now);
            return verdict.ok ? null : verdict.refusal;
          })();
  return refusal ? `refuse:${refusal.code}` : 'allow';
}

const allowed = (verdict: string) => verdict === 'allow';

describe('the action registry', () => {
  it('gets the same allow/refuse answer from the renderer, the core and the platform for every state, role and permission', async () => {
    expect(new Set(CASES.map((c) => c.action.kind))).toEqual(new Set(ACTION_KINDS));
    const table: string[] = [];
    const mismatches: string[] = [];
    for (const member of members) {
      const h = await startCore({ clock: () => platform.clock.now(), sync: { undoWindowMs: 24 * HOUR } });
      harnesses.push(h);
      const account = await h.signIn(platform.url, member.user);
      const wanted = [...messages.values(), blockeeMessage];
      await waitFor(async () => {
        const rows = await rowsOf(h, account.id);
        return wanted.every((id) => rows.has(id));
      }, `${member.label} syncs every message`);
      const rows = await rowsOf(h, account.id);
      const accounts = await h.call('accounts.list', {});
      for (const state of STATES) {
        for (const c of CASES) {
          if (c.action.kind === 'settings' && state !== 'open') continue;
          const messageId = messageFor(member.label, state, c);
          const row = rows.get(messageId);
          if (!row) throw new Error(`no row for ${messageId}`);
          const action = concrete(c.action);
          const renderer = rendererVerdict(row, action, accounts, platform.clock.now());
          const core = await coreVerdict(h, account.id, action, messageId);
          const onPlatform = await platformVerdict(member.user, action.kind, action, messageId);
          const line = `${member.label} ${state} ${c.name}: renderer ${renderer}, core ${core}, platform ${onPlatform}`;
          table.push(line);
          if (allowed(renderer) !== allowed(onPlatform) || allowed(core) !== allowed(onPlatform)) mismatches.push(line);
        }
      }
      await h.close();
    }
    expect(mismatches).toEqual([]);
    // The table is not all one answer: both verdicts occur for every kind.
    for (const c of CASES) {
      const lines = table.filter((l) => l.includes(` ${c.name}: `));
      expect(
        lines.some((l) => l.endsWith('platform allow')),
        `${c.name} allowed somewhere`,
      ).toBe(true);
      if (!ANY_MEMBER.has(c.name)) {
        expect(
          lines.some((l) => !l.endsWith('platform allow')),
          `${c.name} refused somewhere`,
        ).toBe(true);
      }
    }
    expect(table).toHaveLength(members.length * (STATES.length * (CASES.length - 1) + 1));
  }, 600_000);

  it('gives one triage effect: the renderer row, the core and the platform end with the same fields after every patch', async () => {
    const patches: TriagePatch[] = [
      { starred: true, read: true },
      { labelsAdd: ['vip', 'later', 'vip'] },
      { labelsAdd: ['paid'], labelsRemove: ['later'] },
      // The same label added and removed in one patch: removed, on every side.
      { labelsAdd: ['both'], labelsRemove: ['both', 'never-there'] },
      { snoozedUntil: platform.clock.now() + 3 * HOUR, assigneeId: owner.id },
      { archived: true, starred: false },
      { snoozedUntil: null, assigneeId: null, archived: false, labelsRemove: ['vip'] },
      {},
    ];
    const fields = (t: TriageFields): TriageFields => ({
      read: t.read,
      starred: t.starred,
      archived: t.archived,
      labels: [...t.labels].sort(),
      snoozedUntil: t.snoozedUntil,
      assigneeId: t.assigneeId,
    });
    const direct = await send();
    const viaCore = await send();
    const h = await startCore({ clock: () => platform.clock.now() });
    harnesses.push(h);
    const account = await h.signIn(platform.url, owner);
    const thread = (id: string) => h.call('message.thread', { accountId: account.id, messageId: id });
    await waitFor(async () => {
      try {
        await thread(viaCore);
        await thread(direct);
        return true;
      } catch {
        return false;
      }
    }, 'both messages synced');
    let row: InboxRow = (await thread(viaCore)).message;
    for (const patch of patches) {
      const action = { kind: 'triage', patch } as const;
      row = applyToRow(row, action);
      const onPlatform = await platform.api.call('triage', {
        token: owner.token,
        params: { messageId: direct },
        body: patch,
      });
      expect(onPlatform.status, JSON.stringify(patch)).toBe(200);
      expect(fields(onPlatform.body as TriageFields), JSON.stringify(patch)).toEqual(fields(row));
      await h.call('actions.submit', { accountId: account.id, messageId: viaCore, action });
      expect(fields((await thread(viaCore)).message), JSON.stringify(patch)).toEqual(fields(row));
    }
    // Sent, applied by the platform and pulled back: the platform's copy is the renderer's row too.
    await waitFor(async () => (await h.call('outbox.list', { accountId: account.id })).length === 0, 'outbox sent');
    await h.call('sync.retry', { accountId: account.id });
    await waitFor(
      async () => JSON.stringify(fields((await thread(viaCore)).message)) === JSON.stringify(fields(row)),
      'synced back',
    );
    await h.close();
  }, 120_000);
});
