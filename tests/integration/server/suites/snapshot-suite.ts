import { get, type IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBulk } from '../../../../server/demo/bulk';
import type { Change, SnapshotLine } from '../../../../shared/protocol';
import { startTestPlatform, type TestCreator, type TestPlatform, type TestUser } from '../../../helpers/server';

/** Which entity a feed entry is the state of: the snapshot keeps the newest entry of each. */
export function entityKey(change: Change): string {
  switch (change.kind) {
    case 'triage':
      return `triage:${change.data.messageId}`;
    case 'member':
      return `member:${change.data.userId}`;
    case 'settings':
      return 'settings';
    default:
      return `${change.kind}:${change.data.id}`;
  }
}

/** The feed replayed up to `at`: the newest entry per entity, as the client would keep it. */
export function replayUpTo(feed: Change[], at: number): Map<string, Change> {
  const state = new Map<string, Change>();
  for (const change of feed) if (change.seq <= at) state.set(entityKey(change), change);
  return state;
}

const isEntry = (line: SnapshotLine): line is Change => !('snapshot' in line);

export function defineSnapshotSuite(database: 'pglite' | 'postgres'): void {
  let t: TestPlatform;
  let owner: TestCreator;
  let fan: TestUser;
  let noEarnings: TestUser;

  const fullFeed = (user: TestUser): Promise<Change[]> => t.api.feed(user, owner.inboxId);

  beforeAll(async () => {
    t = await startTestPlatform({ database });
    owner = await t.api.signUpCreator({ displayName: 'Snapshot Creator' });
    fan = await t.api.signUpFan({ displayName: 'Snapshot Fan' });
    await t.api.topUp(fan, { minor: 10_000_000, currency: 'USD' });
    noEarnings = await t.api.signUpManager(owner, ['accept', 'reply']);
    // A history with every kind of entry, entities changed more than once, and pending
    // messages whose deadlines are not in the order they were sent.
    const ids: string[] = [];
    for (let i = 0; i < 14; i++) {
      if (i === 5)
        await t.api.ok('updateSettings', {
          token: owner.token,
          params: { inboxId: owner.inboxId },
          body: { responseWindowMs: 3_600_000 },
        });
      if (i === 10)
        await t.api.ok('updateSettings', {
          token: owner.token,
          params: { inboxId: owner.inboxId },
          body: { responseWindowMs: 48 * 3_600_000 },
        });
      ids.push((await t.api.sendPaidMessage(fan, owner, `Snapshot question ${i}`)).id);
      t.clock.advance(60_000);
    }
    await t.api.accept(owner, ids[0] as string, 'Thanks!');
    await t.api.refund(owner, ids[1] as string);
    await t.api.accept(owner, ids[2] as string);
    await t.api.ok('reply', { token: owner.token, params: { messageId: ids[2] as string }, body: { body: 'More' } });
    for (const id of [ids[3], ids[4], ids[3]] as string[]) {
      await t.api.ok('triage', {
        token: owner.token,
        params: { messageId: id },
        body: { starred: true, labelsAdd: ['vip'] },
      });
    }
    await t.api.ok('addNote', {
      token: owner.token,
      params: { messageId: ids[4] as string },
      body: { body: 'Call back' },
    });
    const other = await t.api.signUpFan({ displayName: 'Blocked Fan' });
    await t.api.ok('block', {
      token: owner.token,
      params: { inboxId: owner.inboxId },
      body: { fanId: other.id, refundPending: false },
    });
    await t.api.ok('setPermissions', {
      token: owner.token,
      params: { inboxId: owner.inboxId, userId: noEarnings.id },
      body: { permissions: ['accept', 'reply', 'refund'] },
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('streams every entity once, as its newest feed entry up to the snapshot point, pending first by deadline', async () => {
    const lines = await t.api.snapshot(owner, owner.inboxId, { limit: 4 });
    const begin = lines[0];
    expect(begin).toMatchObject({ snapshot: 'begin', inboxId: owner.inboxId });
    if (!begin || !('snapshot' in begin) || begin.snapshot !== 'begin') throw new Error('no begin line');
    const last = lines[lines.length - 1];
    expect(last).toMatchObject({ snapshot: 'end', at: begin.at });
    const entries = lines.filter(isEntry);
    const expected = replayUpTo(await fullFeed(owner), begin.at);
    const got = new Map(entries.map((e) => [entityKey(e), e]));
    expect(entries.length).toBe(got.size); // nothing twice when nothing changed meanwhile
    expect(got).toEqual(expected);
    // Every chunk mark counts exactly the entries since the previous mark.
    let since = 0;
    for (const line of lines.slice(1)) {
      if (isEntry(line)) since++;
      else if (line.snapshot === 'chunk' || line.snapshot === 'end') {
        expect(line.entries).toBe(since);
        expect(line.entries).toBeLessThanOrEqual(4);
        since = 0;
      }
    }
    // Pending messages before any other message, soonest deadline first.
    const messages = entries.filter((e) => e.kind === 'message').map((e) => e.data);
    const firstDecided = messages.findIndex((m) => m.status !== 'pending');
    const pending = messages.slice(0, firstDecided);
    expect(pending.length).toBe(messages.filter((m) => m.status === 'pending').length);
    expect(pending.map((m) => m.deadline)).toEqual([...pending.map((m) => m.deadline)].sort((a, b) => a - b));
    expect(pending.map((m) => m.id)).not.toEqual([...pending.map((m) => m.id)].sort()); // deadlines, not ids or sends
    // Nothing but the inbox's settings and members comes before them: a big creator's fan
    // list must not hold up the first readable page.
    const firstPending = entries.findIndex((e) => e.kind === 'message');
    expect(new Set(entries.slice(0, firstPending).map((e) => e.kind))).toEqual(new Set(['settings', 'member']));
    expect(entries.some((e) => e.kind === 'fan')).toBe(true);
  });

  it('fills each chunk up to its limit whatever the kinds: an inbox smaller than one chunk comes in two, pending first', async () => {
    const whole = await t.api.snapshot(owner, owner.inboxId, { limit: 5_000 });
    const entries = whole.filter(isEntry);
    expect(new Set(entries.map((e) => e.kind)).size).toBeGreaterThan(5);
    // One query, one transaction and one mark per chunk: a manager's many small inboxes
    // must not pay them once per kind. The pending messages end their own chunk, so the
    // device can show them before the rest arrives.
    expect(whole.filter((l) => !isEntry(l)).map((l) => (l as { snapshot: string }).snapshot)).toEqual([
      'begin',
      'chunk',
      'end',
    ]);
    const firstChunk = whole.slice(
      1,
      whole.findIndex((l) => !isEntry(l) && (l as { snapshot: string }).snapshot === 'chunk'),
    );
    // The first chunk holds the inbox's settings and members, then every pending message and
    // nothing else: the most urgent work is readable before the rest of the inbox arrives.
    const statusOf = (line: SnapshotLine) => (isEntry(line) && line.kind === 'message' ? line.data.status : null);
    const pendingIn = (lines: SnapshotLine[]) => lines.filter((l) => statusOf(l) === 'pending').length;
    expect(pendingIn(firstChunk)).toBeGreaterThan(0);
    expect(pendingIn(firstChunk)).toBe(pendingIn(whole));
    expect(firstChunk.filter((l) => statusOf(l) !== null && statusOf(l) !== 'pending')).toEqual([]);
    // Cut smaller, every chunk but the last is full: a chunk runs on into the next kind.
    const limit = 4;
    const marks = (await t.api.snapshot(owner, owner.inboxId, { limit })).filter(
      (l): l is Extract<SnapshotLine, { snapshot: 'chunk' }> => !isEntry(l) && l.snapshot === 'chunk',
    );
    expect(marks.length).toBeGreaterThan(3);
    // Pending messages are read again among the messages and not sent twice: those rows
    // fill a chunk too, so count rows read, not entries sent.
    const pending = entries.filter((e) => e.kind === 'message' && e.data.status === 'pending').length;
    expect(marks.length).toBeLessThanOrEqual(Math.ceil(pending / limit) + Math.ceil(entries.length / limit));
  });

  it('resumes a broken stream at the same point from the last complete chunk, whatever happened since', async () => {
    const first = await t.api.snapshot(owner, owner.inboxId, { limit: 3 });
    const begin = first[0] as Extract<SnapshotLine, { snapshot: 'begin' }>;
    // The connection "broke" after the third chunk mark: keep what came before it.
    const marks = first.map((l, i) => [l, i] as const).filter(([l]) => !isEntry(l) && l.snapshot === 'chunk');
    const [cut, cutAt] = marks[2] ?? [];
    if (!cut || isEntry(cut) || cut.snapshot !== 'chunk' || cutAt === undefined) throw new Error('too few chunks');
    const kept = first.slice(0, cutAt).filter(isEntry);
    // Meanwhile the inbox moves on: a decision and a new message.
    const pendingOne = kept.find((e) => e.kind === 'message' && e.data.status === 'pending');
    if (pendingOne?.kind === 'message') await t.api.accept(owner, pendingOne.data.id);
    await t.api.sendPaidMessage(fan, owner, 'Sent while the snapshot was broken off');
    const rest = await t.api.snapshot(owner, owner.inboxId, { limit: 3, resume: cut.resume });
    expect(rest[0]).toMatchObject({ snapshot: 'begin', at: begin.at });
    expect(rest[rest.length - 1]).toMatchObject({ snapshot: 'end', at: begin.at });
    const got = new Map<string, Change>();
    for (const e of [...kept, ...rest.filter(isEntry)]) got.set(entityKey(e), e);
    expect(got).toEqual(replayUpTo(await fullFeed(owner), begin.at));
  });

  it('counts the inbox in its begin line, unless asked to leave that to the resumed stream', async () => {
    const whole = await t.api.snapshot(owner, owner.inboxId, { limit: 5_000 });
    const messages = whole.filter(isEntry).flatMap((e) => (e.kind === 'message' ? [e.data] : []));
    const counts = { messages: messages.length, pending: messages.filter((m) => m.status === 'pending').length };
    expect(counts.pending).toBeGreaterThan(0);
    expect(whole[0]).toEqual({ snapshot: 'begin', inboxId: owner.inboxId, at: expect.any(Number), estimate: counts });
    // The first page's stream: no count before its first byte (#15), the same entries.
    const first = await t.api.snapshot(owner, owner.inboxId, { limit: 3, estimate: 'omit' });
    const begin = first[0] as Extract<SnapshotLine, { snapshot: 'begin' }>;
    expect(begin).toEqual({ snapshot: 'begin', inboxId: owner.inboxId, at: expect.any(Number) });
    const mark = first.find(
      (l): l is Extract<SnapshotLine, { snapshot: 'chunk' }> => !isEntry(l) && l.snapshot === 'chunk',
    );
    if (!mark) throw new Error('no chunk mark');
    // Its resumed stream counts, at the same point.
    const rest = await t.api.snapshot(owner, owner.inboxId, { limit: 5_000, resume: mark.resume });
    expect(rest[0]).toEqual({ snapshot: 'begin', inboxId: owner.inboxId, at: begin.at, estimate: counts });
  });

  it('shows members only what the feed shows them: no ledger without view_earnings, no audit unless owner', async () => {
    const lines = await t.api.snapshot(noEarnings, owner.inboxId);
    const kinds = new Set(lines.filter(isEntry).map((e) => e.kind));
    expect(kinds.has('message')).toBe(true);
    expect(kinds.has('ledger')).toBe(false);
    expect(kinds.has('audit')).toBe(false);
    const begin = lines[0] as Extract<SnapshotLine, { snapshot: 'begin' }>;
    const expected = replayUpTo(await fullFeed(noEarnings), begin.at);
    expect(new Map(lines.filter(isEntry).map((e) => [entityKey(e), e]))).toEqual(expected);
    const ownerKinds = new Set((await t.api.snapshot(owner, owner.inboxId)).filter(isEntry).map((e) => e.kind));
    expect(ownerKinds).toEqual(
      new Set(['settings', 'member', 'fan', 'message', 'triage', 'reply', 'note', 'ledger', 'audit']),
    );
  });

  it('reads the next chunk while a slow reader takes this one (PostgreSQL), never more than one ahead', async () => {
    // Every message pending, megabytes in all: more than the loopback's socket buffers hold
    // while the reader reads nothing, so the platform's writes wait on the reader.
    const big = await seedBulk(t.platform, { messages: 6_000, fans: 20, pendingShare: 1 });
    const session = await t.api.ok('signIn', {
      body: { email: big.creator.email, password: big.creator.password, deviceName: 'slow reader' },
    });
    const url = new URL(`/v1/inboxes/${big.inboxId}/snapshot?limit=5000`, t.url);
    const whole = await (await fetch(url, { headers: { authorization: `Bearer ${session.token}` } })).text();

    // Transactions the platform starts from here on (the snapshot's opening, then one per
    // chunk), and the marks written to this stream's response (begin, then one per chunk,
    // each written after its chunk's lines).
    const services = t.platform.services;
    const transact = services.transact;
    const original = transact.bind(services);
    let started = 0;
    let running = 0;
    services.transact = (fn) => {
      started++;
      running++;
      return original(fn).finally(() => running--);
    };
    const write = ServerResponse.prototype.write;
    let marks = 0;
    let lastTaken = true;
    ServerResponse.prototype.write = function (this: ServerResponse, ...args: unknown[]) {
      const taken = (write as (...a: unknown[]) => boolean).apply(this, args);
      const [data] = args;
      const isMark = Buffer.isBuffer(data) && data.subarray(0, 12).toString() === '{"snapshot":';
      if (this.req?.url === `${url.pathname}${url.search}` && isMark) {
        marks++;
        lastTaken = taken;
      }
      return taken;
    } as typeof write;
    try {
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        get(url, { headers: { authorization: `Bearer ${session.token}` }, agent: false }, resolve).on('error', reject);
      });
      response.pause(); // the slow reader: nothing read for now
      // Wait until the platform has stopped: every transaction ended and none started for a while.
      let seen = -1;
      for (let quiet = 0; quiet < 6; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        quiet = running === 0 && started === seen ? quiet + 1 : 0;
        seen = started;
      }
      // Held by the reader: the last chunk written waits in the socket. On PostgreSQL the
      // chunk after it has been read meanwhile (the old loop read it only once the socket
      // took the last), and nothing further: two chunks in memory at most, whatever the
      // inbox's size. PGlite runs queries on the platform's thread: it reads in turn.
      expect(lastTaken).toBe(false);
      const chunkReads = started - 1;
      const chunkWrites = marks - 1;
      expect(chunkWrites).toBeGreaterThan(0);
      expect(chunkReads).toBe(chunkWrites + (database === 'postgres' ? 1 : 0));
      // Then read to the end: the same bytes as a reader that never paused.
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.resume();
      await new Promise((resolve) => response.on('end', resolve));
      expect(Buffer.concat(parts).toString('utf8')).toBe(whole);
    } finally {
      services.transact = transact;
      ServerResponse.prototype.write = write;
    }
  }, 60_000);

  it('is in the OpenAPI document as a stream of NDJSON lines', async () => {
    const doc = (
      await t.api.request<{ paths: Record<string, { get?: { responses: Record<string, { content?: object }> } }> }>(
        'GET',
        '/v1/openapi.json',
      )
    ).body;
    const content = doc.paths['/v1/inboxes/{inboxId}/snapshot']?.get?.responses['200']?.content ?? {};
    expect(Object.keys(content)).toEqual(['application/x-ndjson']);
  });

  it('refuses a bad resume token, a bad limit, strangers and the signed-out with the one error shape, before streaming', async () => {
    const call = (token: string | null, query: Record<string, string | number>) =>
      t.api.call('snapshot', { token, params: { inboxId: owner.inboxId }, query });
    for (const query of <Array<Record<string, string | number>>>[
      { resume: 'not-a-token' },
      { resume: Buffer.from('{"v":1}').toString('base64url') },
      { limit: 0 },
      { limit: 1_000_000 },
      { estimate: 'later' },
    ]) {
      const result = await call(owner.token, query);
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({ error: { code: 'invalid_request' } });
    }
    // A token from the future (past the head) is not a point this inbox had.
    const lines = await t.api.snapshot(owner, owner.inboxId, { limit: 2 });
    const mark = lines.find((l) => !isEntry(l) && l.snapshot === 'chunk') as { resume: string };
    const position = JSON.parse(Buffer.from(mark.resume, 'base64url').toString()) as { at: number };
    const ahead = Buffer.from(JSON.stringify({ ...position, at: position.at + 1_000 })).toString('base64url');
    expect((await call(owner.token, { resume: ahead })).status).toBe(400);
    expect((await call(fan.token, {})).status).toBe(404);
    expect((await call(null, {})).status).toBe(401);
  });
}

export const describeSnapshot = (name: string, database: 'pglite' | 'postgres') =>
  describe(name, () => defineSnapshotSuite(database));
