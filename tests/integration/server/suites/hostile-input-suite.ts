/**
 * Hostile input on every route of the route table, written once and run against PGlite
 * and PostgreSQL (hostile-input.*.test.ts). For each route, fast-check generates requests
 * whose every field — path parameters, query, body, nested objects — is either valid or
 * hostile: text from every plane with controls, U+0000, unpaired surrogates and bidi
 * overrides, at and past each length limit; numbers negative, fractional, huge, past 2^31
 * and 2^53; wrong types; missing and extra keys; bad %-encoding. The platform must answer
 * each with a 2xx whose text reads back byte for byte as sent, or a 4xx in the one error
 * shape that moved no money — never a 5xx. Seeded: every run generates the same cases.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RESPONSE_WINDOW_MS, MIN_RESPONSE_WINDOW_MS } from '../../../../shared/message';
import {
  type Change,
  ErrorBodySchema,
  IDEMPOTENCY_HEADER,
  MAX_DAILY_CAP,
  MAX_DEVICE_NAME,
  MAX_DISPLAY_NAME,
  MAX_EMAIL,
  MAX_ID,
  MAX_LABEL,
  MAX_NOTE_BODY,
  MAX_NOTE_TO_FAN,
  MAX_PASSWORD,
  MAX_PENDING_LIMIT,
  MAX_PRICE_MINOR,
  MAX_REPLY_BODY,
  MAX_TOP_UP_MINOR,
  type RouteName,
  type RouteSpec,
  routes,
} from '../../../../shared/protocol';
import {
  type ApiResult,
  startTestPlatform,
  type TestCreator,
  type TestPlatform,
  type TestUser,
} from '../../../helpers/server';

/** Cases per route; HOSTILE_RUNS raises it for a deeper local run. */
const RUNS = Number(process.env.HOSTILE_RUNS) || 40;
const SEED = 0x11_2026;

// ---- hostile values --------------------------------------------------------------------

const SPECIAL = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2069',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ud83d\ude00',
  '\u{1d11e}',
  '\u{10ffff}',
  '\u{e0001}',
  'مرحبا',
  'שלום',
  '\t',
  '\n',
  '\r\n',
  ' ',
  '"',
  '\\',
  '%',
  '%00',
  '../',
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  '=HYPERLINK("x")',
  'a',
];

/** One UTF-16 unit anywhere in the BMP (lone surrogates included), or a code point of any plane. */
const hostileChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
);

/** Limits of the contract, and one past each: strings are generated at exactly these lengths. */
const LENGTHS = [
  MAX_ID,
  MAX_LABEL,
  MAX_DISPLAY_NAME,
  MAX_DEVICE_NAME,
  MAX_EMAIL,
  MAX_PASSWORD,
  MAX_NOTE_TO_FAN,
  MAX_NOTE_BODY,
  MAX_REPLY_BODY,
].flatMap((n) => [n, n + 1]);

/** A string of exactly n UTF-16 units made of `unit` (cut mid-pair when the unit is two units). */
const fill = (n: number, unit: string) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.array(hostileChar, { maxLength: 24 }).map((parts) => parts.join('')) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...LENGTHS), fc.constantFrom('x', 'ب', '€', '\u{1d11e}', '\u202e', ' '))
      .map(([n, unit]) => fill(n, unit)),
  },
  { weight: 1, arbitrary: fc.constant('') },
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      -1,
      0,
      1,
      0.5,
      -0.5,
      1.000001,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 32,
      2 ** 53 - 1,
      2 ** 53,
      2 ** 53 + 2,
      2 ** 63,
      -(2 ** 63),
      1e308,
      -1e308,
      Number.MIN_VALUE,
      MAX_PRICE_MINOR,
      MAX_PRICE_MINOR + 1,
      MAX_TOP_UP_MINOR,
      MAX_TOP_UP_MINOR + 1,
      MAX_PENDING_LIMIT,
      MAX_PENDING_LIMIT + 1,
      MAX_DAILY_CAP + 1,
      MIN_RESPONSE_WINDOW_MS - 1,
      MAX_RESPONSE_WINDOW_MS,
      MAX_RESPONSE_WINDOW_MS + 1,
      8.64e15,
      8.64e15 + 1,
    ),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

const wrongType: fc.Arbitrary<unknown> = fc.constantFrom(
  null,
  true,
  false,
  0,
  '1',
  [],
  [null],
  {},
  { minor: 1 },
  { a: { b: { c: [1, '2', null] } } },
);

/** Keys a careless server might act on, or that poison prototypes. */
const extraKeys = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'inboxId', 'status', 'fee', 'role', 'userId'),
      fc.string({ maxLength: 8 }),
    ),
    fc.oneof(hostileString, hostileNumber, wrongType),
  ),
  { maxLength: 3 },
);

/** Around a valid template: each leaf kept, made hostile, or given the wrong type; keys dropped or added. */
function around(value: unknown): fc.Arbitrary<unknown> {
  const keep = fc.constant(value);
  if (typeof value === 'string') {
    return fc.oneof(
      { weight: 2, arbitrary: keep },
      { weight: 5, arbitrary: hostileString },
      { weight: 1, arbitrary: wrongType },
    );
  }
  if (typeof value === 'number') {
    return fc.oneof(
      { weight: 2, arbitrary: keep },
      { weight: 4, arbitrary: hostileNumber },
      { weight: 1, arbitrary: wrongType },
    );
  }
  if (typeof value === 'boolean' || value === null) {
    return fc.oneof(
      { weight: 3, arbitrary: keep },
      { weight: 1, arbitrary: fc.boolean() },
      { weight: 1, arbitrary: wrongType },
    );
  }
  if (Array.isArray(value)) {
    return fc.oneof(
      { weight: 2, arbitrary: keep },
      { weight: 3, arbitrary: fc.array(around(value[0] ?? 'x'), { maxLength: 60 }) },
      { weight: 1, arbitrary: wrongType },
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const record = fc.tuple(
    ...entries.map(([key, v]) =>
      fc.oneof(
        { weight: 8, arbitrary: around(v).map((x) => [key, x] as const) },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
    ),
  );
  const object = fc.tuple(record, extraKeys).map(([kept, extra]) =>
    // fromEntries defines own properties, so '__proto__' travels as a key, not a prototype.
    Object.fromEntries([...kept.filter((e): e is readonly [string, unknown] => e !== null), ...extra]),
  );
  return fc.oneof({ weight: 8, arbitrary: object }, { weight: 1, arbitrary: wrongType });
}

/** A path parameter: the valid one, a hostile value (encoded), or a raw segment that is not valid %-encoding. */
type ParamChoice = { kind: 'valid' } | { kind: 'value'; value: string } | { kind: 'raw'; raw: string };
const paramChoice: fc.Arbitrary<ParamChoice> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'valid' as const }) },
  { weight: 3, arbitrary: hostileString.map((value) => ({ kind: 'value' as const, value })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', '%00', '..%2F..%2F', 'a'.repeat(250), '%2525')
      .map((raw) => ({ kind: 'raw' as const, raw })),
  },
);

/** encodeURIComponent, except that unpaired surrogates travel as their (invalid) WTF-8 bytes. */
function encodeAny(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      out +=
        `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

function queryString(query: unknown): string {
  if (query === undefined) return '';
  if (query === null || typeof query !== 'object' || Array.isArray(query)) return `?${encodeAny(String(query))}`;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      parts.push(`${encodeAny(key)}=${encodeAny(typeof one === 'object' ? JSON.stringify(one) : String(one))}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Kept template strings with this in them get a fresh value per case (emails must be new). */
const UNIQUE = '{unique}';
/** A kept template string equal to this becomes the code of the invitation made for the case. */
const CODE = '{code}';
function fillIn(value: unknown, code: string): unknown {
  if (value === CODE) return code;
  if (typeof value === 'string')
    return value.includes(UNIQUE) ? value.replace(UNIQUE, randomUUID().slice(0, 12)) : value;
  if (Array.isArray(value)) return value.map((v) => fillIn(v, code));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillIn(v, code)]));
  }
  return value;
}

/**
 * The answer's text: for an event stream that opened, its first event's data (then the
 * stream is closed); anything else, the whole body.
 */
async function answerText(response: Response, spec: RouteSpec): Promise<string> {
  if (spec.stream !== 'sse' || !response.ok || !response.body) return response.text();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const data = /^data: (.*)$/m.exec(buffer.split('\n\n').slice(0, -1).join('\n'));
      if (data?.[1]) return data[1];
      const { value, done } = await reader.read();
      if (done) throw new Error('The event stream ended before its first event');
      buffer += value;
    }
  } finally {
    await reader.cancel();
  }
}

// ---- the routes' plans -----------------------------------------------------------------

interface Target {
  token: string | null;
  params: Record<string, string>;
}

interface Plan {
  /** A valid caller and path parameters; may create what the request acts on. */
  target(): Promise<Target>;
  body?: unknown;
  query?: unknown;
  /** After a 2xx: the sent values read back, byte for byte, from where the platform stores them. */
  readBack?(sent: { body: unknown; params: Record<string, string> }, response: unknown, target: Target): Promise<void>;
}

const USD = (minor: number) => ({ minor, currency: 'USD' });

export function defineHostileInputSuite(database: 'pglite' | 'postgres'): void {
  let t: TestPlatform;
  let owner: TestCreator;
  let settingsCreator: TestCreator;
  let sender: TestUser;
  let fan: TestUser;
  let blockTarget: TestUser;
  let termsTarget: TestUser;
  let permissionsTarget: TestUser;
  /** A message of the owner's inbox that presence heartbeats name. */
  let presenceMessage: string;
  let cases = 0;
  let lastCode = '';
  const counts: string[] = [];

  // Generous: a busy two-core machine can take a while to start a platform and its people.
  beforeAll(async () => {
    t = await startTestPlatform({ database });
    owner = await t.api.signUpCreator({ price: USD(500) });
    // Settings are changed on an inbox of their own, so a hostile pause never starves the others.
    settingsCreator = await t.api.signUpCreator({ price: USD(500) });
    sender = await t.api.signUpFan();
    fan = await t.api.signUpFan();
    blockTarget = await t.api.signUpFan();
    termsTarget = await t.api.signUpFan();
    permissionsTarget = await t.api.signUpManager(owner, ['reply']);
    await t.api.topUp(sender, USD(MAX_TOP_UP_MINOR));
    await t.api.topUp(fan, USD(MAX_TOP_UP_MINOR));
    presenceMessage = (await t.api.sendPaidMessage(sender, owner, 'Who is looking at this?')).id;
  }, 180_000);
  afterAll(async () => {
    console.log(`hostile input (${database}): ${cases} generated cases — ${counts.join(', ')}`);
    await t?.close();
  });

  const pending = async () => (await t.api.sendPaidMessage(sender, owner, 'A question')).id;
  const accepted = async () => {
    const id = await pending();
    await t.api.ok('accept', { token: owner.token, params: { messageId: id }, body: {} });
    return id;
  };
  /** Routes that may act on one message many times share it: fewer set-up requests per case. */
  const shared = <T>(make: () => Promise<T>) => {
    let made: Promise<T> | null = null;
    return () => {
      made ??= make();
      return made;
    };
  };
  const sharedPending = shared(pending);
  const sharedAccepted = shared(accepted);
  const ownerAt = (params: Record<string, string> = {}): Target => ({ token: owner.token, params });
  const inbox = () => ({ inboxId: owner.inboxId });
  const spareSession = async () => {
    const session = await t.api.ok('signIn', {
      body: { email: owner.email, password: owner.password, deviceName: 'Spare' },
    });
    const list = await t.api.ok('listSessions', { token: session.token });
    return { token: session.token, id: list.sessions.find((s) => s.current)?.id ?? '' };
  };
  /** The latest feed entry about `id` among the newest ones, as a device would read it. */
  /** The newest of the last 50 feed entries that `matches`, with its seq. */
  const lastEntry = async (inboxId: string, matches: (change: Change) => boolean, reader: TestUser = owner) => {
    const { headSeq } = await t.api.changes(reader, inboxId, 0, 1);
    const page = await t.api.changes(reader, inboxId, Math.max(0, headSeq - 50), 50);
    return page.changes.findLast(matches);
  };
  const isEntityOf = (id: string) => (change: Change) => {
    const data = change.data as { id?: string; messageId?: string };
    return data.id === id || (change.kind === 'triage' && data.messageId === id);
  };
  const fromFeed = async (inboxId: string, id: string) => (await lastEntry(inboxId, isEntityOf(id)))?.data;
  /** An answer that set an entity's whole state: the state, and the seq of the entry it wrote. */
  const withoutSeq = (response: unknown) => {
    const { seq, ...state } = response as { seq?: number };
    return { seq, state };
  };
  /** What the platform made of a body (an empty one stands for `{}`, as on the platform). */
  const parsed = <N extends RouteName>(name: N, body: unknown) => (routes[name] as RouteSpec).body?.parse(body ?? {});

  /** Built once the world exists, so templates can name its people. */
  const buildPlans = (): Record<RouteName, Plan> => ({
    signUp: {
      target: async () => ({ token: null, params: {} }),
      body: {
        email: `new-${UNIQUE}@example.test`,
        password: 'a-long-password',
        displayName: 'New person',
        kind: 'fan',
        handle: 'new_handle',
      },
      async readBack(sent, response) {
        const me = await t.api.ok('me', { token: (response as { token: string }).token });
        expect(me.user.displayName).toBe((parsed('signUp', sent.body) as { displayName: string }).displayName);
      },
    },
    signIn: {
      target: async () => ({ token: null, params: {} }),
      body: { email: owner.email, password: owner.password, deviceName: 'Laptop' },
      async readBack(sent, response) {
        const list = await t.api.ok('listSessions', { token: (response as { token: string }).token });
        const deviceName = (parsed('signIn', sent.body) as { deviceName: string }).deviceName;
        expect(list.sessions.find((s) => s.current)?.deviceName).toBe(deviceName);
      },
    },
    signOut: { target: async () => ({ token: (await spareSession()).token, params: {} }) },
    listSessions: { target: async () => ownerAt() },
    revokeSession: { target: async () => ownerAt({ sessionId: (await spareSession()).id }) },
    me: { target: async () => ownerAt() },
    publicProfile: { target: async () => ({ token: null, params: { handle: owner.handle } }) },
    sendMessage: {
      target: async () => ({ token: fan.token, params: { handle: owner.handle } }),
      body: { body: 'Hello there' },
      async readBack(sent, response) {
        const mine = await t.api.ok('myMessages', { token: fan.token });
        const message = mine.messages.find((m) => m.id === (response as { id: string }).id);
        expect(message?.body).toBe((sent.body as { body: string }).body);
      },
    },
    myTerms: { target: async () => ({ token: fan.token, params: { handle: owner.handle } }) },
    myMessages: { target: async () => ({ token: fan.token, params: {} }) },
    wallet: { target: async () => ({ token: fan.token, params: {} }) },
    topUp: { target: async () => ({ token: fan.token, params: {} }), body: { amount: USD(100) } },
    getSettings: { target: async () => ownerAt(inbox()) },
    updateSettings: {
      target: async () => ({ token: settingsCreator.token, params: { inboxId: settingsCreator.inboxId } }),
      body: {
        acceptingPaidDms: true,
        price: USD(700),
        responseWindowMs: 48 * 3_600_000,
        paused: false,
        maxPending: 100,
        dailyCap: null,
      },
      async readBack(sent, response, target) {
        const stored = await t.api.ok('getSettings', { token: target.token, params: target.params });
        const answer = withoutSeq(response);
        expect(stored).toEqual(answer.state);
        expect(answer.seq).toBe(
          (await lastEntry(settingsCreator.inboxId, (c) => c.kind === 'settings', settingsCreator))?.seq,
        );
        expect(stored).toMatchObject(parsed('updateSettings', sent.body) as object);
      },
    },
    changes: { target: async () => ownerAt(inbox()), query: { after: 0, limit: 10 } },
    snapshot: { target: async () => ownerAt(inbox()), query: { resume: 'a-resume-token', limit: 100 } },
    feedEvents: { target: async () => ownerAt(inbox()) },
    presenceHeartbeat: {
      target: async () => ownerAt(inbox()),
      body: { messageId: presenceMessage, state: 'viewing' },
      async readBack(sent, response, target) {
        const heartbeat = parsed('presenceHeartbeat', sent.body) as { messageId: string; state: string | null };
        const list = await t.api.ok('presence', { token: target.token, params: target.params });
        expect(list).toEqual(response);
        const mine = list.people.filter((p) => p.userId === owner.id);
        expect(mine.map((p) => [p.messageId, p.state])).toEqual(
          heartbeat.state === null ? [] : [[heartbeat.messageId, heartbeat.state]],
        );
      },
    },
    presence: { target: async () => ownerAt(inbox()) },
    presenceEvents: { target: async () => ownerAt(inbox()) },
    accept: {
      target: async () => ownerAt({ messageId: await pending() }),
      body: { reply: 'Thank you!' },
      async readBack(sent, response) {
        const reply = (response as { reply: { id: string; body: string } | null }).reply;
        // A null body is read as none by the platform (`request.body ?? {}`): no reply wanted.
        const wanted = (sent.body as { reply?: string } | null)?.reply;
        if (wanted === undefined) return expect(reply).toBeNull();
        expect(((await fromFeed(owner.inboxId, reply?.id ?? '')) as { body: string }).body).toBe(wanted);
      },
    },
    refund: {
      target: async () => ownerAt({ messageId: await pending() }),
      body: { reason: 'cannot_answer', noteToFan: 'Sorry' },
      async readBack(sent, response) {
        const id = (response as { message: { id: string } }).message.id;
        const mine = await t.api.ok('myMessages', { token: sender.token });
        expect(mine.messages.find((m) => m.id === id)?.noteToFan).toBe(
          (sent.body as { noteToFan?: string }).noteToFan ?? null,
        );
      },
    },
    reply: {
      target: async () => ownerAt({ messageId: await sharedAccepted() }),
      body: { body: 'Here you go' },
      async readBack(sent, response) {
        const stored = await fromFeed(owner.inboxId, (response as { id: string }).id);
        expect((stored as { body: string }).body).toBe((sent.body as { body: string }).body);
      },
    },
    triage: {
      target: async () => ownerAt({ messageId: await sharedPending() }),
      body: {
        read: true,
        starred: true,
        archived: false,
        labelsAdd: ['vip'],
        labelsRemove: ['later'],
        snoozedUntil: null,
        assigneeId: null,
      },
      async readBack(sent, response, target) {
        const entry = await lastEntry(owner.inboxId, isEntityOf(target.params.messageId ?? ''));
        const stored = entry?.data;
        const answer = withoutSeq(response);
        expect(stored).toEqual(answer.state);
        expect(answer.seq).toBe(entry?.seq);
        const patch = parsed('triage', sent.body) as { labelsAdd?: string[]; labelsRemove?: string[] };
        const expected = (patch.labelsAdd ?? []).filter((l) => !(patch.labelsRemove ?? []).includes(l));
        expect((stored as { labels: string[] }).labels).toEqual(expect.arrayContaining(expected));
      },
    },
    submitDraft: {
      target: async () => ownerAt({ messageId: await sharedPending() }),
      body: { body: 'A reply for the creator to approve' },
    },
    drafts: { target: async () => ownerAt(inbox()) },
    sendBackDraft: {
      target: async () => {
        const messageId = await pending();
        const draft = await t.api.ok('submitDraft', { token: owner.token, params: { messageId }, body: { body: 'd' } });
        return ownerAt({ draftId: draft.id });
      },
      body: { comment: 'Mention the date' },
    },
    addNote: {
      target: async () => ownerAt({ messageId: await sharedPending() }),
      body: { body: 'Call back' },
      async readBack(sent, response) {
        const stored = await fromFeed(owner.inboxId, (response as { id: string }).id);
        expect((stored as { body: string }).body).toBe((sent.body as { body: string }).body);
      },
    },
    block: { target: async () => ownerAt(inbox()), body: { fanId: blockTarget.id, refundPending: false } },
    unblock: {
      target: async () => {
        await t.api.ok('block', { token: owner.token, params: inbox(), body: { fanId: blockTarget.id } });
        return ownerAt({ inboxId: owner.inboxId, fanId: blockTarget.id });
      },
    },
    setFanTerms: {
      target: async () => ownerAt({ inboxId: owner.inboxId, fanId: termsTarget.id }),
      body: { kind: 'price', price: USD(1_500) },
      async readBack(sent, response) {
        expect((response as { terms: unknown }).terms).toEqual(parsed('setFanTerms', sent.body));
      },
    },
    clearFanTerms: {
      target: async () => {
        const params = { inboxId: owner.inboxId, fanId: termsTarget.id };
        await t.api.ok('setFanTerms', { token: owner.token, params, body: { kind: 'free' } });
        return ownerAt(params);
      },
    },
    balance: { target: async () => ownerAt(inbox()) },
    ledger: { target: async () => ownerAt(inbox()), query: { from: 0, to: 8.64e15 } },
    payouts: { target: async () => ownerAt(inbox()) },
    requestPayout: { target: async () => ownerAt(inbox()), body: { amount: USD(1) } },
    members: { target: async () => ownerAt(inbox()) },
    invite: {
      target: async () => ownerAt(inbox()),
      body: { email: `invitee-${UNIQUE}@example.test`, permissions: ['reply'] },
      async readBack(sent, response) {
        const team = await t.api.ok('members', { token: owner.token, params: inbox() });
        const stored = team.invitations.find((i) => i.id === (response as { id: string }).id);
        expect(stored?.email).toBe((parsed('invite', sent.body) as { email: string }).email);
      },
    },
    myInvitations: { target: async () => ({ token: fan.token, params: {} }) },
    acceptInvitation: {
      target: async () => {
        const invitee = await t.api.signUpFan();
        const invitation = await t.api.ok('invite', {
          token: owner.token,
          params: inbox(),
          body: { email: invitee.email, permissions: ['reply'] },
        });
        lastCode = invitation.code;
        return { token: invitee.token, params: { invitationId: invitation.id } };
      },
      // The code of the invitation just made is the valid value; hostile ones replace it.
      body: { code: CODE },
    },
    cancelInvitation: {
      target: async () => {
        const invitation = await t.api.ok('invite', {
          token: owner.token,
          params: inbox(),
          body: { email: `cancel-${randomUUID().slice(0, 8)}@example.test`, permissions: [] },
        });
        return ownerAt({ inboxId: owner.inboxId, invitationId: invitation.id });
      },
    },
    setPermissions: {
      target: async () => ownerAt({ inboxId: owner.inboxId, userId: permissionsTarget.id }),
      body: { permissions: ['reply', 'accept'] },
    },
    setLimits: {
      target: async () => ownerAt({ inboxId: owner.inboxId, userId: permissionsTarget.id }),
      body: { maxPrice: { minor: 5_000, currency: 'USD' }, dailyRefund: null },
    },
    revokeMember: {
      target: async () => ownerAt({ inboxId: owner.inboxId, userId: (await t.api.signUpManager(owner, ['reply'])).id }),
    },
    audit: { target: async () => ownerAt(inbox()), query: { before: 8.64e15, limit: 10 } },
  });

  /** Everything money-shaped: a refusal must leave it exactly as it was. */
  const moneyState = () =>
    t.platform.db.query(
      `SELECT (SELECT count(*)::int FROM ledger_transactions) AS transactions,
              (SELECT count(*)::int FROM messages) AS messages,
              (SELECT string_agg(id || '=' || balance, ',' ORDER BY id) FROM accounts) AS balances`,
    );

  describe(`hostile input on every route (${database})`, () => {
    it('has a plan for every route of the table', () => {
      const plans = buildPlans();
      expect(Object.keys(routes).filter((name) => !(name in plans))).toEqual([]);
    });

    for (const [index, name] of (Object.keys(routes) as RouteName[]).entries()) {
      it(`${name}: never a 5xx; a 2xx stores what was sent; a 4xx is the error shape and moves nothing`, async () => {
        const spec = routes[name] as RouteSpec;
        const plan = buildPlans()[name];
        const names = [...spec.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string);
        const request = fc.record({
          params: fc.tuple(...names.map(() => paramChoice)),
          body: plan.body === undefined ? fc.option(wrongType, { freq: 8, nil: undefined }) : around(plan.body),
          query: plan.query === undefined ? fc.constant(undefined) : around(plan.query),
          key: fc.oneof(
            { weight: 12, arbitrary: fc.constant(null) },
            {
              weight: 1,
              arbitrary: fc.string({
                unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
                maxLength: 140,
              }),
            },
          ),
        });
        let routeCases = 0;
        await fc.assert(
          fc.asyncProperty(request, async (generated) => {
            routeCases++;
            const target = await plan.target();
            let path = spec.path;
            const params: Record<string, string> = { ...target.params };
            names.forEach((param, i) => {
              const choice = generated.params[i] as ParamChoice;
              if (choice.kind === 'value') params[param] = choice.value;
              const segment =
                choice.kind === 'raw'
                  ? choice.raw
                  : encodeAny(choice.kind === 'value' ? choice.value : (target.params[param] ?? ''));
              path = path.replace(`:${param}`, segment);
            });
            path += queryString(generated.query);
            const before = await moneyState();
            // fetch cannot send a body with GET; everything else may carry one, wanted or not.
            const body = spec.method === 'GET' ? undefined : fillIn(generated.body, lastCode);
            const headers: Record<string, string> = {};
            if (target.token) headers.authorization = `Bearer ${target.token}`;
            if (spec.idempotent) headers[IDEMPOTENCY_HEADER] = generated.key ?? randomUUID();
            if (body !== undefined) headers['content-type'] = 'application/json';
            const response = await fetch(new URL(path, t.url), {
              method: spec.method,
              headers,
              ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
            });
            const text = await answerText(response, spec);
            // A streamed (NDJSON) answer is one JSON value per line; anything else is one JSON value.
            const lines = spec.stream === 'ndjson' && response.ok ? text.split('\n').filter((l) => l !== '') : [text];
            const values = lines.map((line) => (line ? JSON.parse(line) : null));
            const result: ApiResult = { status: response.status, body: values[0], headers: response.headers };
            const sent = `${spec.method} ${path} ${JSON.stringify(body)?.slice(0, 300)}`;
            expect(result.status, `${sent} → ${text.slice(0, 300)}`).toBeLessThan(500);
            if (result.status >= 400) {
              expect(ErrorBodySchema.strict().safeParse(result.body).success, `${sent} → ${text.slice(0, 300)}`).toBe(
                true,
              );
              expect(await moneyState(), `money moved on a refusal: ${sent}`).toEqual(before);
            } else {
              expect(result.status).toBe(200);
              await plan.readBack?.({ body, params }, result.body, target);
            }
          }),
          { seed: SEED + index, numRuns: RUNS },
        );
        await t.api.checkInvariants();
        cases += routeCases;
        counts.push(`${name} ${routeCases}`);
      }, 240_000);
    }
  });
}
