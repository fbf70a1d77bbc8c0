import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTION_KINDS,
  ACTIONS,
  applyTriagePatch,
  checkAction,
  mayAct,
  type QueuedAction,
  QueuedActionSchema,
  routeParams,
  type TriageFields,
} from '../../../shared/actions';
import { PERMISSIONS, routePath, routes } from '../../../shared/protocol';

const NOW = 1_000_000;
const open = { status: 'pending', deadline: NOW + 1, pendingDecision: null } as const;
const owner = { role: 'owner', permissions: [] } as const;
const manager = (...permissions: (typeof PERMISSIONS)[number][]) => ({ role: 'manager', permissions }) as const;

/** One valid input per registered kind. */
const SAMPLES: Record<QueuedAction['kind'], QueuedAction> = {
  accept: { kind: 'accept' },
  refund: { kind: 'refund', reason: 'other', noteToFan: 'Sorry' },
  reply: { kind: 'reply', body: 'Thanks' },
  triage: { kind: 'triage', patch: { starred: true, labelsAdd: ['vip'] } },
  note: { kind: 'note', body: 'Follow up' },
  draft: { kind: 'draft', body: 'Happy birthday!' },
  settings: { kind: 'settings', patch: { paused: true } },
  block: { kind: 'block', fanId: 'fan-1', refundPending: true },
  unblock: { kind: 'unblock', fanId: 'fan-1' },
};

describe('the permission predicate', () => {
  it('lets the owner do everything and a manager only what was granted, from an array or a set', () => {
    for (const p of PERMISSIONS) {
      expect(mayAct(owner, p)).toBe(true);
      expect(mayAct(manager(), p)).toBe(false);
      expect(mayAct(manager(p), p)).toBe(true);
      expect(mayAct({ role: 'manager', permissions: new Set([p]) }, p)).toBe(true);
    }
    expect(mayAct(owner, 'owner')).toBe(true);
    expect(mayAct(manager(...PERMISSIONS), 'owner')).toBe(false);
    expect(mayAct(null, 'accept')).toBe(false);
  });
});

describe('the action registry', () => {
  it('turns every kind into a body its platform route accepts', () => {
    expect(ACTION_KINDS.sort()).toEqual(Object.keys(SAMPLES).sort());
    for (const kind of ACTION_KINDS) {
      const action = QueuedActionSchema.parse(SAMPLES[kind]);
      const spec = ACTIONS[action.kind] as (typeof ACTIONS)[typeof kind];
      const route = routes[spec.route];
      // A route without a body (unblock is a DELETE) gets none.
      const body = spec.body(action as never);
      expect('body' in route ? route.body.safeParse(body).success : body === undefined, kind).toBe(true);
    }
  });

  it('lets any member block or unblock a fan in any message state; refunding on block needs the refund permission', () => {
    const decided = { ...open, status: 'accepted' } as const;
    for (const message of [open, decided, null]) {
      const as = (membership: ReturnType<typeof manager> | typeof owner | null) => ({ membership, message, now: NOW });
      for (const kind of ['block', 'unblock'] as const) {
        const action = kind === 'block' ? { kind, fanId: 'f', refundPending: false } : { kind, fanId: 'f' };
        expect(checkAction(action, as(manager()))).toBeNull();
        expect(checkAction(action, as(null))).toEqual({ code: 'not_member' });
      }
      const withRefunds = { kind: 'block', fanId: 'f', refundPending: true } as const;
      expect(checkAction(withRefunds, as(manager('accept')))).toEqual({ code: 'forbidden', needs: 'refund' });
      expect(checkAction(withRefunds, as(manager('refund')))).toBeNull();
      expect(checkAction(withRefunds, as(owner))).toBeNull();
    }
  });

  it('sends a fan action to the fan in its inbox, a settings edit to the inbox, the rest to their message', () => {
    const at = { inboxId: 'inbox-1', messageId: 'message-1' };
    expect(routeParams(SAMPLES.unblock, at)).toEqual({ inboxId: 'inbox-1', fanId: 'fan-1' });
    expect(routePath(routes.unblock.path, routeParams(SAMPLES.unblock, at))).toBe('/v1/inboxes/inbox-1/blocks/fan-1');
    expect(routePath(routes.block.path, routeParams(SAMPLES.block, at))).toBe('/v1/inboxes/inbox-1/blocks');
    expect(routeParams(SAMPLES.settings, at)).toEqual({ inboxId: 'inbox-1' });
    expect(routeParams(SAMPLES.accept, at)).toEqual({ messageId: 'message-1' });
  });

  it('asks for the reply permission when an accept carries a reply', () => {
    const context = { membership: manager('accept'), message: open, now: NOW };
    expect(checkAction({ kind: 'accept' }, context)).toBeNull();
    expect(checkAction({ kind: 'accept', reply: 'hi' }, context)).toEqual({ code: 'forbidden', needs: 'reply' });
  });

  it('refuses non-members first, then missing permissions, then the state machine', () => {
    const decided = { ...open, status: 'refunded' } as const;
    expect(checkAction({ kind: 'accept' }, { membership: null, message: decided, now: NOW })).toEqual({
      code: 'not_member',
    });
    expect(checkAction({ kind: 'accept' }, { membership: manager(), message: decided, now: NOW })).toMatchObject({
      code: 'forbidden',
    });
    expect(checkAction({ kind: 'accept' }, { membership: owner, message: decided, now: NOW })).toMatchObject({
      code: 'already_decided',
    });
    expect(checkAction({ kind: 'accept' }, { membership: owner, message: open, now: NOW + 1 })).toMatchObject({
      code: 'deadline_passed',
    });
    expect(
      checkAction(
        { kind: 'refund', reason: 'other' },
        { membership: owner, message: { ...open, pendingDecision: 'accept' }, now: NOW },
      ),
    ).toEqual({ code: 'already_queued', queued: 'accept' });
    // A reply may queue behind an accept that has not left yet.
    expect(
      checkAction(
        { kind: 'reply', body: 'x' },
        { membership: owner, message: { ...open, pendingDecision: 'accept' }, now: NOW },
      ),
    ).toBeNull();
    expect(checkAction(SAMPLES.settings, { membership: manager(...PERMISSIONS), message: null, now: NOW })).toEqual({
      code: 'forbidden',
      needs: 'owner',
    });
  });
});

describe('the triage patch', () => {
  const label = fc.constantFrom('a', 'b', 'c', 'd');
  const fields = fc.record({
    read: fc.boolean(),
    starred: fc.boolean(),
    archived: fc.boolean(),
    labels: fc.uniqueArray(label),
    snoozedUntil: fc.option(fc.nat()),
    assigneeId: fc.option(fc.constantFrom('u1', 'u2')),
  });
  const patch = fc.record(
    {
      read: fc.boolean(),
      starred: fc.boolean(),
      archived: fc.boolean(),
      labelsAdd: fc.array(label, { maxLength: 3 }),
      labelsRemove: fc.array(label, { maxLength: 3 }),
      snoozedUntil: fc.option(fc.nat()),
      assigneeId: fc.option(fc.constantFrom('u1', 'u2')),
    },
    { requiredKeys: [] },
  );

  it('sets each given field, leaves the others, and merges labels as sets (removals win)', () => {
    fc.assert(
      fc.property(fields, patch, (base: TriageFields, p) => {
        const next = applyTriagePatch(base, p);
        for (const key of ['read', 'starred', 'archived', 'snoozedUntil', 'assigneeId'] as const) {
          expect(next[key]).toEqual(p[key] !== undefined ? p[key] : base[key]);
        }
        const expected = new Set([...base.labels, ...(p.labelsAdd ?? [])]);
        for (const l of p.labelsRemove ?? []) expected.delete(l);
        expect(new Set(next.labels)).toEqual(expected);
        expect(new Set(next.labels).size).toBe(next.labels.length);
        expect(applyTriagePatch(base, {})).toEqual(base);
      }),
    );
  });
});
