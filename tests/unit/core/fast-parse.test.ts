/**
 * The fast reading of feed entries (sync/fast-parse.ts) compiled from the protocol's zod
 * schema: wherever it answers, zod must accept the entry and give exactly the same value
 * (same keys in the same order, defaults, trimmed labels); wherever it is not sure, zod
 * decides. On entries the platform sends it must answer (or the snapshot is not faster).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFastParse, NOT_SURE } from '../../../electron/core/sync/fast-parse';
import { readEntry } from '../../../electron/core/sync/page-parser';
import { ChangeSchema } from '../../../shared/protocol';
import { FakeFeed } from '../../fixtures/core/feed';

const fast = compileFastParse(ChangeSchema);
const money = (minor: number) => ({ minor, currency: 'USD' as const });
const AT = Date.UTC(2026, 0, 1);

/** One valid entry of every kind, as the platform sends them. */
function validEntries(): unknown[] {
  const feed = new FakeFeed();
  const m = feed.message('m1');
  feed.decide(m, 'accepted');
  feed.message('m2', { status: 'pending', noteToFan: 'soon', free: true, fee: null, net: null, feeBps: null });
  feed.triage('m1', { starred: true, labels: ['vip', 'مهم'], assigneeId: 'user-3', snoozedUntil: AT });
  feed.reply('m1', 'r1', 'Thanks! 😀');
  feed.fan('fan-1', 'Maya', false, null);
  feed.fan('fan-2', 'Noor', true, { kind: 'price', price: money(900) });
  feed.fan('fan-3', 'Sam', false, { kind: 'free' });
  const entries: unknown[] = feed.changes.map((c) => JSON.parse(JSON.stringify(c)));
  let seq = feed.seq;
  const entry = (kind: string, data: unknown) => ({ seq: ++seq, at: AT, kind, data });
  entries.push(
    entry('note', { id: 'n1', messageId: 'm1', authorId: 'u1', authorName: 'Sam', body: 'call back', createdAt: AT }),
    entry('ledger', {
      id: 'l1',
      kind: 'capture',
      messageId: 'm1',
      fanId: 'fan-m1',
      gross: money(2500),
      fee: money(250),
      net: money(2250),
      actorId: 'u1',
      at: AT,
    }),
    entry('ledger', {
      id: 'l2',
      kind: 'payout',
      messageId: null,
      fanId: null,
      gross: money(100),
      fee: money(0),
      net: money(100),
      actorId: null,
      at: AT,
    }),
    entry('settings', {
      acceptingPaidDms: true,
      price: money(1000),
      responseWindowMs: 72 * 3_600_000,
      fasterTiers: [{ price: money(3000), responseWindowMs: 24 * 3_600_000 }],
      paused: false,
      maxPending: null,
      dailyCap: 40,
    }),
    entry('member', {
      userId: 'u2',
      displayName: 'Sam',
      email: 'sam@example.test',
      role: 'manager',
      permissions: ['accept', 'reply'],
      active: true,
      limits: { maxPrice: money(5000), dailyRefund: null },
    }),
    entry('draft', {
      id: 'd1',
      messageId: 'm1',
      inboxId: 'inbox-1',
      authorId: 'u2',
      authorName: 'Sam',
      body: 'A draft',
      status: 'pending',
      comment: null,
      createdAt: AT,
      decidedAt: null,
      decidedBy: null,
      deadline: AT + 1,
      price: money(2500),
      fanName: 'Fan',
      messageBody: 'Hello',
    }),
  );
  return entries;
}

/** The contract: an answer is zod's answer, value for value; NOT_SURE leaves it to zod. */
function agreesWithZod(raw: unknown): 'fast' | 'zod' {
  const answer = fast(raw);
  if (answer === NOT_SURE) return 'zod';
  const parsed = ChangeSchema.safeParse(raw);
  expect(parsed.success).toBe(true);
  expect(answer).toStrictEqual(parsed.data);
  expect(JSON.stringify(answer)).toBe(JSON.stringify(parsed.data));
  return 'fast';
}

/** Every path into a JSON value (the root is []). */
function paths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const here = [at];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => paths(v, [...at, i])));
  if (value !== null && typeof value === 'object')
    return here.concat(Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k])));
  return here;
}

/** Values that sit on or across the schema's edges. */
const edgy = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '  padded  ',
    '\u0000',
    '\ud800',
    '\udc00x',
    '\ufeffx',
    '😀',
    'x'.repeat(65),
    'x'.repeat(20_001),
    -1,
    0,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53,
    8.64e15,
    8.64e15 + 1,
    1_000_000,
    1_000_001,
    Number.MAX_SAFE_INTEGER,
    10_001,
    null,
    undefined,
    true,
    [],
    {},
    'USD',
    'XXX',
    'pending',
    'capture',
  ),
  fc.anything(),
);

type Mutation = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), value: edgy }),
  fc.record({ kind: fc.constant('delete' as const) }),
  fc.record({ kind: fc.constant('add' as const), key: fc.string({ maxLength: 6 }), value: edgy }),
);

function mutate(entry: unknown, path: Array<string | number>, change: Mutation): unknown {
  const copy = structuredClone(entry) as Record<string | number, unknown>;
  if (path.length === 0) return change.kind === 'set' ? change.value : copy;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (change.kind === 'set') parent[last] = change.value;
  else if (change.kind === 'delete') delete parent[last];
  else {
    const target = parent[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
      (target as Record<string, unknown>)[change.key] = change.value;
    }
  }
  return copy;
}

describe('compileFastParse(ChangeSchema)', () => {
  it('reads every kind the platform sends as zod does, without asking zod', () => {
    for (const entry of validEntries()) expect(agreesWithZod(entry)).toBe('fast');
  });

  it('never accepts what zod refuses, nor gives another value, on broken entries', () => {
    const entries = validEntries();
    const cases = fc.integer({ min: 0, max: entries.length - 1 }).chain((index) => {
      const entry = entries[index];
      const all = paths(entry);
      return fc.tuple(fc.constant(entry), fc.constantFrom(...all), mutation);
    });
    let decided = 0;
    fc.assert(
      fc.property(cases, ([entry, path, change]) => {
        if (agreesWithZod(mutate(entry, path, change)) === 'fast') decided++;
      }),
      { numRuns: 3_000 },
    );
    // Most mutations (an unknown key, a value still in bounds) keep the entry valid.
    expect(decided).toBeGreaterThan(100);
  });

  it('trims labels, fills defaults afresh, and strips unknown keys, as zod does', () => {
    const [settings] = validEntries().filter((e) => (e as { kind: string }).kind === 'settings') as Array<{
      data: Record<string, unknown>;
    }>;
    const bare = structuredClone(settings) as { data: Record<string, unknown> };
    delete bare.data.fasterTiers;
    bare.data.extra = 'dropped';
    const first = fast(bare) as { data: { fasterTiers: unknown[] } };
    const second = fast(bare) as { data: { fasterTiers: unknown[] } };
    expect(agreesWithZod(bare)).toBe('fast');
    expect(first.data.fasterTiers).toEqual([]);
    expect(first.data.fasterTiers).not.toBe(second.data.fasterTiers);
    expect(first.data).not.toHaveProperty('extra');
    const triage = { seq: 1, at: AT, kind: 'triage', data: { ...new FakeFeed().triage('m1'), labels: ['  vip '] } };
    expect(agreesWithZod(triage)).toBe('fast');
    expect((fast(triage) as { data: { labels: string[] } }).data.labels).toEqual(['vip']);
  });

  it('leaves to zod what it cannot be sure of, and readEntry still gives zod’s reason', () => {
    // A one-character id: zod counts code points near a minimum, the fast path does not.
    const reply = {
      seq: 1,
      at: AT,
      kind: 'reply',
      data: { id: 'r', messageId: 'm1', authorId: 'u', authorName: 'A', body: '', createdAt: AT },
    };
    expect(fast(reply)).toBe(NOT_SURE);
    expect(ChangeSchema.safeParse(reply).success).toBe(true);
    expect(readEntry({ ...reply, data: { ...reply.data, id: '' } }, 'inbox-1')).toEqual({
      problem: expect.stringMatching(/^does not match the protocol \(data\.id: /),
    });
    expect(readEntry({ ...reply, kind: 'poll' }, 'inbox-1')).toEqual({
      problem: expect.stringMatching(/^does not match the protocol \(kind: /),
    });
  });
});
