/**
 * The platform's behaviour over HTTP, written once and run against PGlite and against a
 * real PostgreSQL server (see platform.*.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../../shared/message';
import { type Change, ChangesPageSchema, type ErrorBody, type Message, routes } from '../../../../shared/protocol';
import { platformForBlock, type TestCreator, type TestUser } from '../../../helpers/server';

const USD = (minor: number) => ({ minor, currency: 'USD' });

export function definePlatformSuite(database: 'pglite' | 'postgres'): void {
  const t = platformForBlock({ database });

  const errorCode = (body: unknown) => (body as ErrorBody).error.code;

  async function creatorWithFan(price = USD(2_500)): Promise<{ creator: TestCreator; fan: TestUser }> {
    const creator = await t.api.signUpCreator({ price });
    const fan = await t.api.signUpFan();
    return { creator, fan };
  }

  /** The fan tries to write to the creator on the inbox's current terms; the answer, whatever it is. */
  async function trySend(fan: TestUser, creator: TestCreator, body = 'hi', idempotencyKey?: string) {
    return t.api.call('sendMessage', {
      token: fan.token,
      params: { handle: creator.handle },
      body: { body, ...(await t.api.terms(creator.handle)) },
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
  }

  describe(`accounts and sessions (${database})`, () => {
    it('signs in with the right password only, and lists, revokes and expires sessions', async () => {
      const fan = await t.api.signUpFan();
      const wrong = await t.api.call('signIn', {
        body: { email: fan.email, password: 'not the password', deviceName: 'Laptop' },
      });
      expect(wrong.status).toBe(401);
      expect(errorCode(wrong.body)).toBe('unauthenticated');
      const unknown = await t.api.call('signIn', {
        body: { email: 'nobody@example.test', password: 'whatever-it-is', deviceName: 'Laptop' },
      });
      expect(unknown.status).toBe(401);

      const laptop = await t.api.ok('signIn', {
        body: { email: fan.email.toUpperCase(), password: fan.password, deviceName: 'Laptop' },
      });
      const sessions = await t.api.ok('listSessions', { token: laptop.token });
      expect(sessions.sessions.map((s) => s.deviceName).sort()).toEqual(['Laptop', 'Sign-up']);
      expect(sessions.sessions.find((s) => s.current)?.deviceName).toBe('Laptop');

      const signUpSession = sessions.sessions.find((s) => s.deviceName === 'Sign-up');
      await t.api.ok('revokeSession', { token: laptop.token, params: { sessionId: signUpSession?.id ?? '' } });
      expect((await t.api.call('me', { token: fan.token })).status).toBe(401);

      await t.api.ok('signOut', { token: laptop.token });
      expect((await t.api.call('me', { token: laptop.token })).status).toBe(401);

      const phone = await t.api.ok('signIn', {
        body: { email: fan.email, password: fan.password, deviceName: 'Phone' },
      });
      expect(phone.expiresAt).toBeGreaterThan(t.clock.now());
      t.clock.set(phone.expiresAt);
      const expired = await t.api.call('me', { token: phone.token });
      t.clock.set(phone.expiresAt - 30 * 24 * HOUR_MS);
      expect(expired.status).toBe(401);
    });

    it('refuses a second account with the same email and a taken handle', async () => {
      const creator = await t.api.signUpCreator();
      const again = await t.api.call('signUp', {
        body: { email: creator.email, password: 'another-password', displayName: 'X', kind: 'fan' },
      });
      expect(again.status).toBe(409);
      const handle = await t.api.call('signUp', {
        body: {
          email: 'handle-taker@example.test',
          password: 'another-password',
          displayName: 'X',
          kind: 'creator',
          handle: creator.handle,
        },
      });
      expect(handle.status).toBe(409);
      expect(
        (
          await t.api.call('signIn', {
            body: { email: 'handle-taker@example.test', password: 'another-password', deviceName: 'x' },
          })
        ).status,
      ).toBe(401);
    });
  });

  describe(`paid messages (${database})`, () => {
    it('holds the price in escrow, then captures fee and net on accept', async () => {
      const { creator, fan } = await creatorWithFan(USD(1_999));
      await t.api.topUp(fan, USD(5_000));
      const message = await t.api.sendPaidMessage(fan, creator, 'Can you say hi to my class?');
      expect(message).toMatchObject({
        status: 'pending',
        price: USD(1_999),
        fee: USD(200),
        net: USD(1_799),
        feeBps: 1000,
      });
      expect(message.deadline - message.paidAt).toBe(72 * HOUR_MS);
      expect((await t.api.ok('wallet', { token: fan.token })).balances).toEqual([USD(3_001)]);
      expect(await t.api.ok('balance', { token: creator.token, params: { inboxId: creator.inboxId } })).toEqual({
        available: [],
        held: [USD(1_999)],
      });
      const accepted = await t.api.accept(creator, message.id, 'Hi class!');
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({
        message: { status: 'accepted', decidedBy: { id: creator.id } },
        reply: { body: 'Hi class!' },
      });
      expect(await t.api.ok('balance', { token: creator.token, params: { inboxId: creator.inboxId } })).toEqual({
        available: [USD(1_799)],
        held: [],
      });
      const mine = await t.api.ok('myMessages', { token: fan.token });
      expect(mine.replies.map((r) => r.body)).toEqual(['Hi class!']);
      await t.api.checkInvariants();
    });

    it('refunds with a note, and says who decided when another action comes later', async () => {
      const { creator, fan } = await creatorWithFan();
      const message = await t.api.sendPaidMessage(fan, creator, 'Question', { fund: true });
      const refunded = await t.api.call('refund', {
        token: creator.token,
        params: { messageId: message.id },
        body: { reason: 'not_for_me', noteToFan: 'Try my colleague instead' },
      });
      expect(refunded.body).toMatchObject({
        message: { status: 'refunded', noteToFan: 'Try my colleague instead', refundReason: 'not_for_me' },
      });
      expect((await t.api.ok('wallet', { token: fan.token })).balances).toEqual([USD(2_500)]);
      const late = await t.api.accept(creator, message.id);
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({
        error: {
          code: 'already_decided',
          details: { status: 'refunded', decidedBy: { id: creator.id, name: creator.displayName } },
        },
      });
      const reply = await t.api.call('reply', {
        token: creator.token,
        params: { messageId: message.id },
        body: { body: 'hi' },
      });
      expect(errorCode(reply.body)).toBe('not_accepted');
      await t.api.checkInvariants();
    });

    it('refuses to send without funds, to a blocked fan, and when the creator is not accepting', async () => {
      const { creator, fan } = await creatorWithFan();
      const broke = await trySend(fan, creator);
      expect(broke.status).toBe(402);
      expect(errorCode(broke.body)).toBe('insufficient_funds');

      const settings = (body: object) =>
        t.api.ok('updateSettings', { token: creator.token, params: { inboxId: creator.inboxId }, body });
      await settings({ paused: true });
      const profile = await t.api.ok('publicProfile', { params: { handle: creator.handle } });
      expect(profile).toMatchObject({ accepting: false, notAcceptingReason: 'paused' });
      await t.api.topUp(fan, USD(10_000));
      const paused = await trySend(fan, creator);
      expect(paused.body).toMatchObject({ error: { code: 'not_accepting', details: { reason: 'paused' } } });
      await settings({ paused: false, maxPending: 1 });
      await t.api.sendPaidMessage(fan, creator, 'first');
      const full = await trySend(fan, creator);
      expect(full.body).toMatchObject({ error: { code: 'not_accepting', details: { reason: 'max_pending' } } });
      await settings({ maxPending: null, dailyCap: 2 });
      await t.api.sendPaidMessage(fan, creator, 'second');
      const capped = await trySend(fan, creator);
      expect(capped.body).toMatchObject({ error: { code: 'not_accepting', details: { reason: 'daily_cap' } } });
      await settings({ dailyCap: null, acceptingPaidDms: false });
      expect((await t.api.ok('publicProfile', { params: { handle: creator.handle } })).notAcceptingReason).toBe('off');
      await settings({ acceptingPaidDms: true });

      const blocked = await t.api.ok('block', {
        token: creator.token,
        params: { inboxId: creator.inboxId },
        body: { fanId: fan.id, refundPending: true },
      });
      expect(blocked.refunded).toHaveLength(2);
      const refused = await trySend(fan, creator);
      expect(errorCode(refused.body)).toBe('fan_blocked');
      expect((await t.api.ok('wallet', { token: fan.token })).balances).toEqual([USD(10_000)]);
      await t.api.ok('unblock', { token: creator.token, params: { inboxId: creator.inboxId, fanId: fan.id } });
      await t.api.sendPaidMessage(fan, creator, 'back again');
      await t.api.checkInvariants();
    });

    it('unblock is idempotent, block refunds only with the refund permission, and the feed carries both', async () => {
      const { creator, fan } = await creatorWithFan();
      const inbox = { inboxId: creator.inboxId };
      const pending = await t.api.sendPaidMessage(fan, creator, 'still waiting', { fund: true });
      /** The fan as the newest feed entry about them says, seen by `who`: what their fan card shows. */
      const fanAsSeenBy = async (who: TestUser) =>
        (await t.api.feed(who, creator.inboxId)).filter((c) => c.kind === 'fan' && c.data.id === fan.id).at(-1)?.data;
      const auditCount = async () =>
        (await t.api.ok('audit', { token: creator.token, params: inbox, query: {} })).entries.length;

      // Unblocking a fan who is not blocked answers success and changes nothing: no feed entry, no audit entry.
      const feedBefore = (await t.api.feed(creator, creator.inboxId)).length;
      const auditBefore = await auditCount();
      const notBlocked = await t.api.call('unblock', { token: creator.token, params: { ...inbox, fanId: fan.id } });
      expect(notBlocked.status).toBe(200);
      expect(notBlocked.body).toEqual({ ok: true });
      expect((await t.api.feed(creator, creator.inboxId)).length).toBe(feedBefore);
      expect(await auditCount()).toBe(auditBefore);
      // An unknown fan is still refused, and so is someone who is not a member (the inbox is hidden from them).
      const unknown = await t.api.call('unblock', {
        token: creator.token,
        params: { ...inbox, fanId: '00000000-0000-4000-8000-000000000000' },
      });
      expect(unknown.status).toBe(404);
      const outsider = await t.api.call('unblock', { token: fan.token, params: { ...inbox, fanId: fan.id } });
      expect(outsider.status).toBe(404);

      // A manager without the refund permission may block, but not refund through the block.
      const noRefund = await t.api.signUpManager(creator, ['accept']);
      const refused = await t.api.call('block', {
        token: noRefund.token,
        params: inbox,
        body: { fanId: fan.id, refundPending: true },
      });
      expect(refused.status).toBe(403);
      expect(errorCode(refused.body)).toBe('forbidden');
      expect(await t.api.messageStatus(fan, pending.id)).toBe('pending');
      expect(await fanAsSeenBy(creator)).toMatchObject({ blocked: false });

      const blocked = await t.api.ok('block', {
        token: noRefund.token,
        params: inbox,
        body: { fanId: fan.id, refundPending: false },
      });
      expect(blocked.refunded).toEqual([]);
      expect(await t.api.messageStatus(fan, pending.id)).toBe('pending');
      // Another member's feed carries the blocked fan, so their fan card shows it.
      const other = await t.api.signUpManager(creator, []);
      expect(await fanAsSeenBy(other)).toMatchObject({ id: fan.id, blocked: true });

      // Blocking again with the refund permission refunds what is still pending.
      const again = await t.api.ok('block', {
        token: creator.token,
        params: inbox,
        body: { fanId: fan.id, refundPending: true },
      });
      expect(again.refunded).toEqual([pending.id]);
      expect(await t.api.messageStatus(fan, pending.id)).toBe('refunded');

      // Unblocked: the feed says so; a second unblock answers the same and adds nothing.
      await t.api.ok('unblock', { token: creator.token, params: { ...inbox, fanId: fan.id } });
      expect(await fanAsSeenBy(other)).toMatchObject({ blocked: false });
      const feedAfter = (await t.api.feed(creator, creator.inboxId)).length;
      const twice = await t.api.call('unblock', { token: noRefund.token, params: { ...inbox, fanId: fan.id } });
      expect(twice.status).toBe(200);
      expect((await t.api.feed(creator, creator.inboxId)).length).toBe(feedAfter);
      await t.api.sendPaidMessage(fan, creator, 'back again');
      await t.api.checkInvariants();
    });

    it('validates settings: response window 1 h to 30 days, positive price, known currency', async () => {
      const creator = await t.api.signUpCreator();
      const patch = (body: object) =>
        t.api.request('PATCH', `/v1/inboxes/${creator.inboxId}/settings`, {
          token: creator.token,
          body,
          idempotencyKey: crypto.randomUUID(),
        });
      expect((await patch({ responseWindowMs: HOUR_MS - 1 })).status).toBe(400);
      expect((await patch({ responseWindowMs: 31 * 24 * HOUR_MS })).status).toBe(400);
      expect((await patch({ price: { minor: 0, currency: 'USD' } })).status).toBe(400);
      expect((await patch({ price: { minor: 10.5, currency: 'USD' } })).status).toBe(400);
      expect((await patch({ price: { minor: 100, currency: 'XXX' } })).status).toBe(400);
      const ok = await patch({ price: { minor: 3_000, currency: 'JPY' }, responseWindowMs: 24 * HOUR_MS });
      expect(ok.status).toBe(200);
      expect(
        await t.api.ok('getSettings', { token: creator.token, params: { inboxId: creator.inboxId } }),
      ).toMatchObject({
        price: { minor: 3_000, currency: 'JPY' },
        responseWindowMs: 24 * HOUR_MS,
      });
    });

    it('expires unanswered messages at the deadline and refuses a late accept', async () => {
      const { creator, fan } = await creatorWithFan();
      const message = await t.api.sendPaidMessage(fan, creator, 'Will you answer in time?', { fund: true });
      t.clock.advance(message.deadline - message.paidAt - 1);
      expect(await t.api.expireDue()).toBe(0);
      t.clock.advance(1);
      const late = await t.api.accept(creator, message.id);
      expect(errorCode(late.body)).toBe('deadline_passed');
      expect(await t.api.expireDue()).toBeGreaterThanOrEqual(1);
      expect(await t.api.messageStatus(fan, message.id)).toBe('expired');
      expect((await t.api.ok('wallet', { token: fan.token })).balances).toEqual([USD(2_500)]);
      const again = await t.api.refund(creator, message.id);
      expect(again.body).toMatchObject({
        error: { code: 'already_decided', details: { status: 'expired', decidedBy: null } },
      });
      await t.api.checkInvariants();
    });

    it('replies, triages and notes; triage fields merge', async () => {
      const { creator, fan } = await creatorWithFan();
      const message = await t.api.sendPaidMessage(fan, creator, 'hello', { fund: true });
      const triage = (body: object) =>
        t.api.ok('triage', { token: creator.token, params: { messageId: message.id }, body });
      await triage({ read: true, labelsAdd: ['vip', 'birthday'] });
      const merged = await triage({
        starred: true,
        labelsAdd: ['vip', 'urgent'],
        labelsRemove: ['birthday'],
        assigneeId: creator.id,
      });
      expect(merged).toMatchObject({
        read: true,
        starred: true,
        archived: false,
        labels: ['urgent', 'vip'],
        assigneeId: creator.id,
      });
      const stranger = await t.api.signUpFan();
      const badAssignee = await t.api.call('triage', {
        token: creator.token,
        params: { messageId: message.id },
        body: { assigneeId: stranger.id },
      });
      expect(badAssignee.status).toBe(400);
      const note = await t.api.ok('addNote', {
        token: creator.token,
        params: { messageId: message.id },
        body: { body: 'VIP fan' },
      });
      expect(note).toMatchObject({ body: 'VIP fan', authorId: creator.id });
      await t.api.accept(creator, message.id);
      const reply = await t.api.ok('reply', {
        token: creator.token,
        params: { messageId: message.id },
        body: { body: 'Follow-up' },
      });
      expect(reply.body).toBe('Follow-up');
    });

    it('pays out only what is available', async () => {
      const { creator, fan } = await creatorWithFan(USD(1_000));
      const message = await t.api.sendPaidMessage(fan, creator, 'hi', { fund: true });
      await t.api.accept(creator, message.id);
      const tooMuch = await t.api.call('requestPayout', {
        token: creator.token,
        params: { inboxId: creator.inboxId },
        body: { amount: USD(901) },
      });
      expect(errorCode(tooMuch.body)).toBe('insufficient_funds');
      const payout = await t.api.ok('requestPayout', {
        token: creator.token,
        params: { inboxId: creator.inboxId },
        body: { amount: USD(900) },
      });
      expect(payout.amount).toEqual(USD(900));
      expect(
        (await t.api.ok('payouts', { token: creator.token, params: { inboxId: creator.inboxId } })).payouts,
      ).toHaveLength(1);
      const ledger = await t.api.ok('ledger', { token: creator.token, params: { inboxId: creator.inboxId } });
      expect(ledger.events.map((e) => e.kind)).toEqual(['hold', 'capture', 'payout']);
      await t.api.checkInvariants();
    });
  });

  describe(`idempotency (${database})`, () => {
    it('replays the stored answer, refuses a reused key with another body, and requires a key', async () => {
      const { creator, fan } = await creatorWithFan();
      await t.api.topUp(fan, USD(10_000));
      const key = `send-${crypto.randomUUID()}`;
      const first = await trySend(fan, creator, 'once', key);
      const replay = await trySend(fan, creator, 'once', key);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect((await t.api.ok('wallet', { token: fan.token })).balances).toEqual([USD(7_500)]);
      const mismatch = await trySend(fan, creator, 'twice', key);
      expect(mismatch.status).toBe(422);
      expect(errorCode(mismatch.body)).toBe('idempotency_mismatch');
      const noKey = await t.api.call('topUp', { token: fan.token, body: { amount: USD(1) }, idempotencyKey: null });
      expect(noKey.status).toBe(400);

      const message = first.body as Message;
      const acceptKey = `accept-${crypto.randomUUID()}`;
      const accepted = await t.api.accept(creator, message.id, undefined, acceptKey);
      const acceptedAgain = await t.api.accept(creator, message.id, undefined, acceptKey);
      expect(acceptedAgain.body).toEqual(accepted.body);
      await t.api.checkInvariants();
    });

    it('answers a replayed final refusal with the same refusal, even after the cause is gone', async () => {
      const { creator, fan } = await creatorWithFan();
      const key = `broke-${crypto.randomUUID()}`;
      const send = () => t.api.send(fan, creator, 'hi', { idempotencyKey: key });
      const first = await send();
      expect(first.status).toBe(402);
      await t.api.topUp(fan, USD(10_000));
      const replay = await send();
      expect(replay.status).toBe(402);
      expect(replay.body).toEqual(first.body);
      expect((await t.api.ok('myMessages', { token: fan.token })).messages).toEqual([]);
      const fresh = await t.api.send(fan, creator, 'hi');
      expect(fresh.status).toBe(200);
    });

    it('runs two requests sent at once with one key once: the other answers with its stored result', async () => {
      const { creator, fan } = await creatorWithFan();
      await t.api.topUp(fan, USD(10_000));
      for (let round = 0; round < 4; round++) {
        const message = await t.api.sendPaidMessage(fan, creator, `twice ${round}`);
        const key = `same-${crypto.randomUUID()}`;
        const answers = await Promise.all([
          t.api.accept(creator, message.id, undefined, key),
          t.api.accept(creator, message.id, undefined, key),
        ]);
        expect(answers.map((a) => a.status)).toEqual([200, 200]);
        expect(answers[1]?.body).toEqual(answers[0]?.body);
        expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(1);
        const captures = await t.platform.db.query(
          "SELECT 1 FROM ledger_transactions WHERE message_id = $1 AND kind = 'capture'",
          [message.id],
        );
        expect(captures).toHaveLength(1);
      }
      await t.api.checkInvariants();
    });

    it('lets exactly one of two managers racing on one message win; the other learns who', async () => {
      const creator = await t.api.signUpCreator();
      const [a, b] = await Promise.all([
        t.api.signUpManager(creator, ['accept', 'refund']),
        t.api.signUpManager(creator, ['accept', 'refund']),
      ]);
      const fan = await t.api.signUpFan();
      await t.api.topUp(fan, USD(25_000));
      for (let round = 0; round < 5; round++) {
        const message = await t.api.sendPaidMessage(fan, creator, `race ${round}`);
        const [ra, rb] = await Promise.all([t.api.accept(a, message.id), t.api.refund(b, message.id)]);
        const statuses = [ra.status, rb.status].sort();
        expect(statuses).toEqual([200, 409]);
        const loser = ra.status === 409 ? ra : rb;
        const winner = ra.status === 200 ? a : b;
        expect(loser.body).toMatchObject({
          error: { code: 'already_decided', details: { decidedBy: { id: winner.id } } },
        });
      }
      await t.api.checkInvariants();
    });

    it('never spends the same money twice when a fan sends concurrently', async () => {
      const { creator, fan } = await creatorWithFan(USD(1_000));
      await t.api.topUp(fan, USD(3_000));
      const terms = await t.api.terms(creator.handle);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          t.api.call('sendMessage', {
            token: fan.token,
            params: { handle: creator.handle },
            body: { body: `m${i}`, ...terms },
          }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(3);
      expect(results.filter((r) => r.status === 402)).toHaveLength(3);
      expect((await t.api.ok('wallet', { token: fan.token })).balances).toEqual([USD(0)]);
      await t.api.checkInvariants();
    });
  });

  describe(`change feed (${database})`, () => {
    it('pages through every change in order with full entities, and hides money from managers without earnings', async () => {
      const { creator, fan } = await creatorWithFan();
      const manager = await t.api.signUpManager(creator, ['accept']);
      await t.api.topUp(fan, USD(10_000));
      const messages: Message[] = [];
      for (let i = 0; i < 3; i++) messages.push(await t.api.sendPaidMessage(fan, creator, `m${i}`));
      await t.api.accept(manager, messages[0]?.id ?? '');

      const all = [];
      let after = 0;
      let pages = 0;
      for (;;) {
        const page = ChangesPageSchema.parse(await t.api.changes(creator, creator.inboxId, after, 4));
        all.push(...page.changes);
        after = page.nextAfter;
        pages++;
        if (!page.hasMore) {
          expect(page.nextAfter).toBe(page.headSeq);
          break;
        }
      }
      expect(pages).toBeGreaterThan(2);
      const seqs = all.map((c) => c.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
      const lastMessage = all.filter((c) => c.kind === 'message' && c.data.id === messages[0]?.id).at(-1);
      expect(lastMessage?.data).toMatchObject({ status: 'accepted', decidedBy: { id: manager.id } });
      expect(all.some((c) => c.kind === 'ledger')).toBe(true);
      expect(all.some((c) => c.kind === 'audit')).toBe(true);
      expect(all.some((c) => c.kind === 'member')).toBe(true);
      expect(all.some((c) => c.kind === 'fan')).toBe(true);
      // A device pulling from zero learns the inbox's settings and owner from the feed alone.
      expect(all.slice(0, 2).map((c) => c.kind)).toEqual(['settings', 'member']);
      expect(all.filter((c) => c.kind === 'settings').at(-1)?.data).toMatchObject({ price: USD(2_500) });

      const managerView = await t.api.changes(manager, creator.inboxId, 0, 2_000);
      expect(managerView.changes.some((c) => c.kind === 'ledger' || c.kind === 'audit')).toBe(false);
      expect(managerView.changes.filter((c) => c.kind === 'message')).toHaveLength(4);
      expect(managerView.nextAfter).toBe(managerView.headSeq);
      // In small pages the member gets the same entries, money-stripped alike, and the last
      // page's cursor is the head (the hidden entries after the last visible one are skipped).
      const paged: Change[] = [];
      for (let at = 0; ; ) {
        const page = ChangesPageSchema.parse(await t.api.changes(manager, creator.inboxId, at, 3));
        expect(page.changes.length).toBeLessThanOrEqual(3);
        paged.push(...page.changes);
        at = page.nextAfter;
        if (!page.hasMore) {
          expect(at).toBe(managerView.headSeq);
          break;
        }
      }
      expect(paged).toEqual(managerView.changes);
      const upToDate = await t.api.changes(creator, creator.inboxId, managerView.headSeq);
      expect(upToDate).toMatchObject({ changes: [], hasMore: false, nextAfter: managerView.headSeq });
    });

    it('streams "changes up to N" over SSE and resumes after Last-Event-ID', async () => {
      const { creator, fan } = await creatorWithFan();
      await t.api.topUp(fan, USD(10_000));
      await t.api.sendPaidMessage(fan, creator, 'before');
      const head = (await t.api.changes(creator, creator.inboxId)).headSeq;

      const controller = new AbortController();
      const response = await fetch(new URL(`/v1/inboxes/${creator.inboxId}/events`, t.url), {
        headers: { authorization: `Bearer ${creator.token}`, 'last-event-id': String(head - 1) },
        signal: controller.signal,
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const events = readEvents(response);
      const first = await events.next();
      expect(first).toEqual({ event: 'changes', id: String(head), data: { inboxId: creator.inboxId, headSeq: head } });
      await t.api.sendPaidMessage(fan, creator, 'after');
      const next = await events.next();
      const newHead = (await t.api.changes(creator, creator.inboxId)).headSeq;
      expect(next.data).toEqual({ inboxId: creator.inboxId, headSeq: newHead });
      controller.abort();

      const anonymous = await fetch(new URL(`/v1/inboxes/${creator.inboxId}/events`, t.url));
      expect(anonymous.status).toBe(401);
      const outsider = await fetch(new URL(`/v1/inboxes/${creator.inboxId}/events`, t.url), {
        headers: { authorization: `Bearer ${fan.token}` },
      });
      expect(outsider.status).toBe(404);
    });
  });

  describe(`team (${database})`, () => {
    it('invites, changes permissions and revokes with immediate effect', async () => {
      const { creator, fan } = await creatorWithFan();
      const manager = await t.api.signUpManager(creator, ['reply']);
      const me = await t.api.ok('me', { token: manager.token });
      expect(me.memberships).toEqual([
        expect.objectContaining({
          inboxId: creator.inboxId,
          role: 'manager',
          permissions: ['reply'],
          handle: creator.handle,
        }),
      ]);
      const message = await t.api.sendPaidMessage(fan, creator, 'hi', { fund: true });
      expect((await t.api.accept(manager, message.id)).status).toBe(403);
      await t.api.ok('setPermissions', {
        token: creator.token,
        params: { inboxId: creator.inboxId, userId: manager.id },
        body: { permissions: ['accept', 'reply'] },
      });
      const controller = new AbortController();
      const stream = await fetch(new URL(`/v1/inboxes/${creator.inboxId}/events`, t.url), {
        headers: { authorization: `Bearer ${manager.token}` },
        signal: controller.signal,
      });
      const events = readEvents(stream);
      await events.next();
      await t.api.ok('revokeMember', {
        token: creator.token,
        params: { inboxId: creator.inboxId, userId: manager.id },
      });
      expect((await t.api.accept(manager, message.id)).status).toBe(404);
      expect((await t.api.call('changes', { token: manager.token, params: { inboxId: creator.inboxId } })).status).toBe(
        404,
      );
      await expect(events.next()).rejects.toThrow(/ended/);
      controller.abort();
      const team = await t.api.ok('members', { token: creator.token, params: { inboxId: creator.inboxId } });
      expect(team.members.find((m) => m.userId === manager.id)?.active).toBe(false);
      const audit = await t.api.ok('audit', { token: creator.token, params: { inboxId: creator.inboxId } });
      expect(audit.entries.map((e) => e.action)).toEqual(
        expect.arrayContaining(['team.invite', 'team.join', 'team.permissions', 'team.revoke']),
      );
      expect(audit.entries.find((e) => e.action === 'team.revoke')).toMatchObject({
        actorId: creator.id,
        deviceName: 'Sign-up',
      });
    });

    it('audit entries name the fan, the amount and the reason of accepts, refunds, expiries and blocks', async () => {
      const { creator } = await creatorWithFan();
      const lina = await t.api.signUpFan({ displayName: 'Lina Haddad' });
      const omar = await t.api.signUpFan({ displayName: 'Omar Nasser' });
      const accepted = await t.api.sendPaidMessage(lina, creator, 'one', { fund: true });
      const refunded = await t.api.sendPaidMessage(lina, creator, 'two', { fund: true });
      const blockedAway = await t.api.sendPaidMessage(omar, creator, 'three', { fund: true });
      expect((await t.api.accept(creator, accepted.id)).status).toBe(200);
      expect((await t.api.refund(creator, refunded.id, 'inappropriate')).status).toBe(200);
      await t.api.ok('block', {
        token: creator.token,
        params: { inboxId: creator.inboxId },
        body: { fanId: omar.id, refundPending: true },
      });
      await t.api.ok('unblock', { token: creator.token, params: { inboxId: creator.inboxId, fanId: omar.id } });
      const late = await t.api.sendPaidMessage(lina, creator, 'four', { fund: true });
      t.clock.advance(late.deadline - late.paidAt);
      expect(await t.api.expireDue()).toBeGreaterThanOrEqual(1);

      const { entries } = await t.api.ok('audit', { token: creator.token, params: { inboxId: creator.inboxId } });
      const details = (action: string) => entries.find((e) => e.action === action)?.details;
      const lina25 = { fanId: lina.id, fanName: 'Lina Haddad', amount: USD(2_500) };
      expect(details('message.accept')).toMatchObject(lina25);
      expect(details('message.refund')).toMatchObject({ ...lina25, reason: 'inappropriate' });
      expect(details('fan.block')).toEqual({
        fanName: 'Omar Nasser',
        refunded: [blockedAway.id],
        refunds: [{ fanId: omar.id, fanName: 'Omar Nasser', amount: USD(2_500) }],
      });
      expect(details('fan.unblock')).toEqual({ fanName: 'Omar Nasser' });
      expect(details('message.expire')).toMatchObject({ messages: [late.id], refunds: [lina25] });
    });
  });

  describe(`HTTP surface (${database})`, () => {
    it('answers every failure in one error shape', async () => {
      const creator = await t.api.signUpCreator();
      const badJson = await fetch(new URL('/v1/auth/signin', t.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{not json',
      });
      expect(badJson.status).toBe(400);
      expect(errorCode(await badJson.json())).toBe('invalid_request');
      const tooBig = await t.api.request('POST', `/v1/creators/${creator.handle}/messages`, {
        token: creator.token,
        body: { body: 'x'.repeat(300_000) },
        idempotencyKey: crypto.randomUUID(),
      });
      expect(tooBig.status).toBe(413);
      expect(errorCode(tooBig.body)).toBe('payload_too_large');
      const missing = await t.api.request('GET', '/v1/nothing-here');
      expect(missing.status).toBe(404);
      expect(errorCode(missing.body)).toBe('not_found');
      const invalid = await t.api.call('signUp', {
        body: { email: 'not-an-email', password: 'short', displayName: '', kind: 'fan' },
      });
      expect(invalid.status).toBe(400);
      expect((invalid.body as unknown as ErrorBody).error.details).toMatchObject({ issues: expect.any(Array) });
    });

    it('serves /healthz and an OpenAPI document with every route', async () => {
      expect((await t.api.request('GET', '/healthz')).body).toEqual({ ok: true });
      const doc = (await t.api.request<{ openapi: string; paths: Record<string, object> }>('GET', '/v1/openapi.json'))
        .body;
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/v1/messages/{messageId}/accept',
          '/v1/inboxes/{inboxId}/changes',
          '/v1/inboxes/{inboxId}/events',
        ]),
      );
      // Every route of the table, by its name, at its path and method: presence and the streams too.
      const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods as Record<string, { operationId: string }>).map(
          ([method, op]) => `${op.operationId} ${method.toUpperCase()} ${path}`,
        ),
      );
      const table = Object.entries(routes).map(
        ([name, spec]) => `${name} ${spec.method} ${spec.path.replace(/:([A-Za-z]+)/g, '{$1}')}`,
      );
      expect(operations.sort()).toEqual(table.sort());
      expect(operations).toEqual(
        expect.arrayContaining([
          'presenceHeartbeat POST /v1/inboxes/{inboxId}/presence',
          'presence GET /v1/inboxes/{inboxId}/presence',
          'presenceEvents GET /v1/inboxes/{inboxId}/presence/events',
          'feedEvents GET /v1/inboxes/{inboxId}/events',
        ]),
      );
    });
  });
}

/** A minimal SSE reader: yields one parsed event per call, rejects when the stream ends. */
function readEvents(response: Response) {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('No response body');
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<{ event: string; id: string; data: unknown }> {
      for (;;) {
        const boundary = buffer.indexOf('\n\n');
        if (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
          }
          const data = fields.get('data');
          if (data === undefined) continue;
          return { event: fields.get('event') ?? 'message', id: fields.get('id') ?? '', data: JSON.parse(data) };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('The event stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}
