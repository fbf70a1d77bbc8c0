/**
 * Issue 11's hardening, over HTTP, once for PGlite and once for PostgreSQL
 * (hardening.*.test.ts): framework refusals in the one error shape, a fan paying what
 * they saw, bounded numbers, limits enforced on write, and access that ends when it is
 * taken away — replays included.
 */
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../../shared/message';
import {
  type ErrorBody,
  ErrorBodySchema,
  INT4_MAX,
  MAX_LABELS_PER_CHANGE,
  MAX_LABELS_PER_MESSAGE,
  MAX_PRICE_MINOR,
} from '../../../../shared/protocol';
import { platformForBlock } from '../../../helpers/server';

const USD = (minor: number) => ({ minor, currency: 'USD' });
const code = (body: unknown) => (body as ErrorBody).error.code;

export function defineHardeningSuite(database: 'pglite' | 'postgres'): void {
  const t = platformForBlock({ database });

  /** A raw request, so nothing on our side fixes up what a hostile client sends. */
  async function raw(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
    const response = await fetch(new URL(path, t.url), init);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, body };
  }
  const shaped = (result: { status: number; body: unknown }) => {
    expect(ErrorBodySchema.strict().safeParse(result.body).success, JSON.stringify(result.body)).toBe(true);
    return code(result.body);
  };

  describe(`framework refusals (${database})`, () => {
    it('answers bad %-encoding, an over-long path parameter, oversized headers, an unsupported media type, a body too large and malformed JSON in the error shape', async () => {
      const fan = await t.api.signUpFan();
      const auth = { authorization: `Bearer ${fan.token}`, 'idempotency-key': crypto.randomUUID() };

      const badEncoding = await raw('/v1/creators/%E0%A4%A');
      expect(badEncoding.status).toBe(400);
      expect(shaped(badEncoding)).toBe('invalid_request');
      const surrogate = await raw('/v1/creators/%ED%A0%80');
      expect(surrogate.status).toBe(400);
      expect(shaped(surrogate)).toBe('invalid_request');

      const longParam = await raw(`/v1/creators/${'a'.repeat(300)}`);
      expect(longParam.status).toBe(400);
      expect(shaped(longParam)).toBe('invalid_request');

      const hugeUrl = await raw(`/v1/creators/a?x=${'b'.repeat(20_000)}`);
      expect(hugeUrl.status).toBe(431);
      expect(shaped(hugeUrl)).toBe('invalid_request');

      for (const contentType of ['application/xml', 'text/plain', 'application/x-www-form-urlencoded']) {
        const media = await raw('/v1/wallet/topups', {
          method: 'POST',
          headers: { ...auth, 'content-type': contentType },
          body: 'amount=1',
        });
        expect(media.status, contentType).toBe(415);
        expect(shaped(media)).toBe('unsupported_media_type');
      }

      const tooLarge = await raw('/v1/wallet/topups', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ amount: USD(1), padding: 'x'.repeat(300_000) }),
      });
      expect(tooLarge.status).toBe(413);
      expect(shaped(tooLarge)).toBe('payload_too_large');

      const malformed = await raw('/v1/wallet/topups', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{"amount": {"minor": 1,',
      });
      expect(malformed.status).toBe(400);
      expect(shaped(malformed)).toBe('invalid_request');

      const nul = await raw('/v1/creators/a%00b');
      expect(nul.status).toBe(400);
      expect(shaped(nul)).toBe('invalid_request');
      expect((await t.api.ok('wallet', { token: fan.token })).balances).toEqual([]);
    });

    it('refuses text it cannot store byte for byte (U+0000, unpaired surrogates, a leading byte-order mark) and stores every other character as sent', async () => {
      const creator = await t.api.signUpCreator();
      const fan = await t.api.signUpFan();
      await t.api.topUp(fan, USD(10_000));
      const terms = await t.api.terms(creator.handle);
      const send = (body: string) =>
        t.api.call('sendMessage', { token: fan.token, params: { handle: creator.handle }, body: { body, ...terms } });
      // A leading U+FEFF is a byte-order mark that text decoders drop (PGlite's does, on read),
      // so it could never come back byte for byte: refused like the others.
      for (const bad of ['nul\u0000inside', 'lone \ud800 high', 'lone \udc00 low', '\ufeff', '\ufeffat the start']) {
        const refused = await send(bad);
        expect(refused.status, JSON.stringify(bad)).toBe(400);
        expect(shaped(refused)).toBe('invalid_request');
      }
      const hostile = '\u202eevil\u202c \u2066x\u2069 \u0001\u001b[31m \ufeff 𝄞 مرحبا \u{10ffff}';
      const sent = await send(hostile);
      expect(sent.status).toBe(200);
      const mine = await t.api.ok('myMessages', { token: fan.token });
      expect(mine.messages[0]?.body).toBe(hostile);
      expect((await t.api.ok('wallet', { token: fan.token })).balances).toEqual([USD(10_000 - terms.price.minor)]);
      await t.api.checkInvariants();
    });
  });

  describe(`a fan pays what they saw (${database})`, () => {
    it('refuses with 409 terms_changed and holds nothing when the price or window changed since the fan looked', async () => {
      const creator = await t.api.signUpCreator({ price: USD(2_000) });
      const fan = await t.api.signUpFan();
      await t.api.topUp(fan, USD(10_000));
      const seen = await t.api.terms(creator.handle);
      const settings = (body: object) =>
        t.api.ok('updateSettings', { token: creator.token, params: { inboxId: creator.inboxId }, body });
      const send = () =>
        t.api.call('sendMessage', {
          token: fan.token,
          params: { handle: creator.handle },
          body: { body: 'Hi!', ...seen },
        });

      await settings({ price: USD(5_000) });
      const repriced = await send();
      expect(repriced.status).toBe(409);
      expect(repriced.body).toMatchObject({
        error: { code: 'terms_changed', details: { price: USD(5_000), responseWindowMs: seen.responseWindowMs } },
      });
      await settings({ price: seen.price, responseWindowMs: 24 * HOUR_MS });
      const rewindowed = await send();
      expect(code(rewindowed.body)).toBe('terms_changed');
      await settings({ price: { minor: seen.price.minor, currency: 'EUR' }, responseWindowMs: seen.responseWindowMs });
      expect(code((await send()).body)).toBe('terms_changed');

      expect((await t.api.ok('wallet', { token: fan.token })).balances).toEqual([USD(10_000)]);
      expect((await t.api.ok('myMessages', { token: fan.token })).messages).toEqual([]);
      await settings({ price: seen.price });
      expect((await send()).status).toBe(200);
      await t.api.checkInvariants();
    });

    it('bounds prices, intake limits and top-ups to the product limits and their columns', async () => {
      const creator = await t.api.signUpCreator();
      const patch = (body: object) =>
        t.api.call('updateSettings', {
          token: creator.token,
          params: { inboxId: creator.inboxId },
          body: body as never,
        });
      expect((await patch({ price: USD(MAX_PRICE_MINOR) })).status).toBe(200);
      expect((await patch({ price: USD(MAX_PRICE_MINOR + 1) })).status).toBe(400);
      expect((await patch({ price: USD(Number.MAX_SAFE_INTEGER) })).status).toBe(400);
      for (const field of ['maxPending', 'dailyCap']) {
        for (const value of [INT4_MAX, INT4_MAX + 1, 2 ** 53, 0, -1, 1.5]) {
          const result = await patch({ [field]: value });
          expect(result.status, `${field}=${value}`).toBe(400);
          expect(shaped(result)).toBe('invalid_request');
        }
      }
      const fan = await t.api.signUpFan();
      const topUp = await t.api.call('topUp', { token: fan.token, body: { amount: USD(2 ** 53) } });
      expect(topUp.status).toBe(400);
      await t.api.checkInvariants();
    });
  });

  describe(`limits enforced on write (${database})`, () => {
    it(`keeps a message at ${MAX_LABELS_PER_MESSAGE} labels, the most a device will read`, async () => {
      const creator = await t.api.signUpCreator();
      const fan = await t.api.signUpFan();
      const message = await t.api.sendPaidMessage(fan, creator, 'Label me', { fund: true });
      const add = (from: number) =>
        t.api.call('triage', {
          token: creator.token,
          params: { messageId: message.id },
          body: { labelsAdd: Array.from({ length: MAX_LABELS_PER_CHANGE }, (_, i) => `label-${from + i}`) },
        });
      let added = 0;
      while (added + MAX_LABELS_PER_CHANGE <= MAX_LABELS_PER_MESSAGE) {
        expect((await add(added)).status).toBe(200);
        added += MAX_LABELS_PER_CHANGE;
      }
      const over = await add(added);
      expect(over.status).toBe(400);
      expect(shaped(over)).toBe('invalid_request');
      const page = await t.api.changes(creator, creator.inboxId);
      const triages = page.changes.filter((c) => c.kind === 'triage');
      const last = triages[triages.length - 1]?.data as { labels: string[] };
      expect(last.labels.length).toBeLessThanOrEqual(MAX_LABELS_PER_MESSAGE);
    });
  });

  describe(`invitations (${database})`, () => {
    it('needs its own code, one open per inbox and email, lapses after 7 days, can be cancelled, and ends with the membership', async () => {
      const creator = await t.api.signUpCreator();
      const invitee = await t.api.signUpFan();
      const invite = (email = invitee.email) =>
        t.api.call('invite', {
          token: creator.token,
          params: { inboxId: creator.inboxId },
          body: { email, permissions: ['reply'] },
        });
      const accept = (invitationId: string, code: string, token = invitee.token) =>
        t.api.call('acceptInvitation', { token, params: { invitationId }, body: { code } });

      const first = await invite();
      expect(first.status).toBe(200);
      const invitation = first.body;
      expect(invitation.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(invitation.expiresAt).toBe(invitation.createdAt + 7 * 24 * HOUR_MS);
      const twice = await invite();
      expect(twice.status).toBe(409);
      expect(shaped(twice)).toBe('conflict');

      // The matching email alone is not enough.
      expect((await accept(invitation.id, 'ZZZZ-ZZZZ-ZZZZ')).status).toBe(404);
      // Cancelled by the owner: the code no longer opens it.
      await t.api.ok('cancelInvitation', {
        token: creator.token,
        params: { inboxId: creator.inboxId, invitationId: invitation.id },
      });
      expect((await accept(invitation.id, invitation.code)).status).toBe(404);

      // Lapsed after 7 days, and then the owner may invite again.
      const second = (await invite()).body;
      t.clock.advance(7 * 24 * HOUR_MS);
      const lapsed = await accept(second.id, second.code);
      expect(lapsed.status).toBe(409);
      expect((await t.api.ok('myInvitations', { token: invitee.token })).invitations).toEqual([]);
      const third = (await invite()).body;
      expect((await accept(third.id, third.code)).status).toBe(200);

      // Removing a member cancels their open invitations, so they cannot walk back in.
      const again = (await invite()).body;
      await t.api.ok('revokeMember', {
        token: creator.token,
        params: { inboxId: creator.inboxId, userId: invitee.id },
      });
      expect((await accept(again.id, again.code)).status).toBe(404);
      const team = await t.api.ok('members', { token: creator.token, params: { inboxId: creator.inboxId } });
      expect(team.invitations).toEqual([]);
    });
  });

  describe(`access ends when it is taken away (${database})`, () => {
    it('does not store an access refusal under an idempotency key: once granted, the same key goes through', async () => {
      const creator = await t.api.signUpCreator();
      const manager = await t.api.signUpManager(creator, []);
      const fan = await t.api.signUpFan();
      const message = await t.api.sendPaidMessage(fan, creator, 'Accept me', { fund: true });
      const key = `accept-${crypto.randomUUID()}`;
      const first = await t.api.accept(manager, message.id, undefined, key);
      expect(first.status).toBe(403);
      await t.api.ok('setPermissions', {
        token: creator.token,
        params: { inboxId: creator.inboxId, userId: manager.id },
        body: { permissions: ['accept'] },
      });
      const retried = await t.api.accept(manager, message.id, undefined, key);
      expect(retried.status).toBe(200);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      await t.api.checkInvariants();
    });

    it("re-checks access before replaying: a revoked manager's stored answer is not handed back", async () => {
      const creator = await t.api.signUpCreator();
      const manager = await t.api.signUpManager(creator, ['accept', 'reply']);
      const fan = await t.api.signUpFan();
      const message = await t.api.sendPaidMessage(fan, creator, 'Accept me', { fund: true });
      const key = `accept-${crypto.randomUUID()}`;
      expect((await t.api.accept(manager, message.id, 'Thanks!', key)).status).toBe(200);
      const replay = await t.api.accept(manager, message.id, 'Thanks!', key);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');

      await t.api.ok('setPermissions', {
        token: creator.token,
        params: { inboxId: creator.inboxId, userId: manager.id },
        body: { permissions: ['accept'] },
      });
      const withoutReply = await t.api.accept(manager, message.id, 'Thanks!', key);
      expect(withoutReply.status).toBe(403);

      await t.api.ok('revokeMember', {
        token: creator.token,
        params: { inboxId: creator.inboxId, userId: manager.id },
      });
      const revoked = await t.api.accept(manager, message.id, 'Thanks!', key);
      expect(revoked.status).toBe(404);
      expect(shaped(revoked)).toBe('not_found');
      expect(JSON.stringify(revoked.body)).not.toContain(message.id);
    });
  });
}
