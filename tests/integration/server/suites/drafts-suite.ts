/**
 * Drafts a creator approves (issue 17), over HTTP on PGlite and PostgreSQL
 * (drafts.*.test.ts): a manager with `draft` submits, the creator approves by accepting
 * with the draft's text — one capture, one reply in the creator's name, exactly once — or
 * sends it back; the audit names drafter and approver.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../../shared/protocol';
import { platformForBlock, type TestCreator, type TestUser } from '../../../helpers/server';

const USD = (minor: number) => ({ minor, currency: 'USD' });
const HOUR_MS = 3_600_000;
const code = (body: unknown) => (body as ErrorBody).error.code;

export function defineDraftsSuite(database: 'pglite' | 'postgres'): void {
  const t = platformForBlock({ database });
  let owner: TestCreator;
  let fan: TestUser;
  let sara: TestUser;
  beforeAll(async () => {
    owner = await t.api.signUpCreator({ displayName: 'Nour', price: USD(2_500) });
    fan = await t.api.signUpFan({ displayName: 'Layla' });
    await t.api.topUp(fan, USD(1_000_000));
    sara = await t.api.signUpManager(owner, ['draft']);
  });
  const send = async () => (await t.api.sendPaidMessage(fan, owner, 'A question')).id;
  const draft = (user: TestUser, messageId: string, body: string) =>
    t.api.call('submitDraft', { token: user.token, params: { messageId }, body: { body } });
  const drafts = async (user: TestUser) =>
    (await t.api.ok('drafts', { token: user.token, params: { inboxId: owner.inboxId } })).drafts;

  describe(`drafts a creator approves (${database})`, () => {
    it('a drafted reply approved once: one capture, one reply in the approver’s name, a second approval refused', async () => {
      const later = await send();
      t.clock.advance(HOUR_MS);
      const soon = await send();
      // The response window is the same, so the first message expires first.
      const first = await draft(sara, later, 'Happy birthday to your sister!');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ authorId: sara.id, status: 'pending', messageId: later });
      expect((await draft(sara, soon, 'Thanks for asking')).status).toBe(200);
      // What expires first comes first; the draft did not move the deadline.
      const open = await drafts(owner);
      expect(open.map((d) => d.messageId)).toEqual([later, soon]);
      expect(open[0]?.deadline).toBeLessThan(open[1]?.deadline ?? 0);
      // The fan sees no reply while it is a draft.
      const before = await t.api.ok('myMessages', { token: fan.token });
      expect(before.replies.filter((r) => r.messageId === later)).toEqual([]);

      const approved = await t.api.accept(owner, later, 'Happy birthday to your sister!');
      expect(approved.status).toBe(200);
      const again = await t.api.accept(owner, later, 'Happy birthday to your sister!');
      expect(again.status).toBe(409);
      expect(code(again.body)).toBe('already_decided');

      const ledger = await t.api.ok('ledger', { token: owner.token, params: { inboxId: owner.inboxId } });
      expect(ledger.events.filter((e) => e.messageId === later && e.kind === 'capture')).toHaveLength(1);
      const after = await t.api.ok('myMessages', { token: fan.token });
      const replies = after.replies.filter((r) => r.messageId === later);
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatchObject({
        authorId: owner.id,
        authorName: 'Nour',
        body: 'Happy birthday to your sister!',
      });
      expect((await drafts(owner)).map((d) => d.messageId)).toEqual([soon]);
      const audit = await t.api.ok('audit', { token: owner.token, params: { inboxId: owner.inboxId } });
      const accept = audit.entries.find((e) => e.action === 'message.accept' && e.subjectId === later);
      expect(accept?.actorId).toBe(owner.id);
      expect(accept?.details).toMatchObject({ draftedBy: sara.id, edited: false });
      await t.api.checkInvariants();
    });

    it('sends a draft back with a comment, refuses a draft nobody may write, and one on a decided message', async () => {
      const message = await send();
      const submitted = await draft(sara, message, 'Sure!');
      const draftId = (submitted.body as { id: string }).id;
      // Sara may draft but not send back.
      const byDrafter = await t.api.call('sendBackDraft', {
        token: sara.token,
        params: { draftId },
        body: { comment: 'ok' },
      });
      expect(byDrafter.status).toBe(403);
      const back = await t.api.call('sendBackDraft', {
        token: owner.token,
        params: { draftId },
        body: { comment: 'Mention the date, please' },
      });
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ status: 'sent_back', comment: 'Mention the date, please' });
      expect((await drafts(sara)).find((d) => d.id === draftId)?.comment).toBe('Mention the date, please');
      // Sending back twice: a conflict naming who did it.
      const twice = await t.api.call('sendBackDraft', {
        token: owner.token,
        params: { draftId },
        body: { comment: 'x' },
      });
      expect(twice.status).toBe(409);
      expect((twice.body as unknown as ErrorBody).error.message).toContain('by Nour');

      const noDraft = await t.api.signUpManager(owner, ['reply']);
      expect((await draft(noDraft, message, 'Hi')).status).toBe(403);
      expect((await draft(sara, message, '')).status).toBe(400);
      expect((await t.api.refund(owner, message)).status).toBe(200);
      const late = await draft(sara, message, 'Too late');
      expect(late.status).toBe(409);
      expect(code(late.body)).toBe('already_decided');
    });

    it('puts every draft change on the feed, only for members who may draft or approve', async () => {
      const message = await send();
      const submitted = (await draft(sara, message, 'On the feed')).body as { id: string };
      await t.api.call('sendBackDraft', {
        token: owner.token,
        params: { draftId: submitted.id },
        body: { comment: 'No' },
      });
      const draftEntries = async (user: TestUser) =>
        (await t.api.changes(user, owner.inboxId, 0, 2000)).changes.flatMap((c) =>
          c.kind === 'draft' && c.data.id === submitted.id ? [c.data.status] : [],
        );
      expect(await draftEntries(owner)).toEqual(['pending', 'sent_back']);
      expect(await draftEntries(sara)).toEqual(['pending', 'sent_back']);
      // A manager who may neither draft nor approve (accept without reply) never receives drafts.
      const acceptOnly = await t.api.signUpManager(owner, ['accept', 'view_earnings']);
      expect(await draftEntries(acceptOnly)).toEqual([]);
      const snapshot = await t.api.snapshot(acceptOnly, owner.inboxId);
      expect(snapshot.some((line) => 'kind' in line && line.kind === 'draft')).toBe(false);
      const ownerSnapshot = await t.api.snapshot(owner, owner.inboxId);
      expect(
        ownerSnapshot.filter((line) => 'kind' in line && line.kind === 'draft' && line.data.id === submitted.id),
      ).toHaveLength(1);
    });
  });
}
