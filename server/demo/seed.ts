import { HOUR_MS } from '../../shared/message';
import { AcceptInvitationBody } from '../../shared/protocol';
import type { DemoCredentials, DemoSetup } from '../index';
import type { PasswordHasher } from '../services/accounts';
import * as accounts from '../services/accounts';
import type { Actor, Services, Tx } from '../services/context';
import { publicProfile, updateSettings } from '../services/inbox';
import { acceptMessage, expireDueIn, refundMessage, replyToMessage, sendMessage } from '../services/messages';
import { requestPayout, topUp } from '../services/money';
import { acceptInvitation, invite } from '../services/team';
import { addNote, updateTriage } from '../services/triage';
import {
  CREATOR_REPLIES,
  DEMO_CREATORS,
  DEMO_FANS,
  DEMO_MANAGER,
  DEMO_PASSWORD,
  type DemoCreator,
  FAN_MESSAGES,
} from './content';

/**
 * The demo world, made through the same service code the routes use: creators in four
 * currencies, a manager, fans writing in English and Arabic, and ninety days of messages in
 * every state — prices raised over time, labels, assignments, some at risk, some expired,
 * monthly payouts.
 * Seeding twice changes nothing; the credentials are fixed.
 */

export const DEMO_CREDENTIALS: DemoCredentials = {
  creator: { email: DEMO_CREATORS[0]?.email ?? '', password: DEMO_PASSWORD },
  manager: { email: DEMO_MANAGER.email, password: DEMO_PASSWORD },
};

const fanEmail = (index: number) => `fan${index + 1}@demo.creatorinbox.test`;

/** A tiny deterministic generator, so every seeded demo looks the same. */
function sequence(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function actorOf(user: { id: string; displayName: string; kind: 'fan' | 'creator' }): Actor {
  return { id: user.id, displayName: user.displayName, kind: user.kind, sessionId: null, deviceName: 'Demo seed' };
}

async function createUser(
  services: Services,
  hasher: PasswordHasher,
  body: { email: string; displayName: string; kind: 'fan' | 'creator'; handle?: string },
): Promise<Actor> {
  const hash = await hasher.hash(DEMO_PASSWORD);
  const session = await services.transact((tx) => accounts.signUp(tx, { ...body, password: DEMO_PASSWORD }, hash));
  return actorOf(session.user);
}

async function inboxOf(tx: Tx, ownerId: string): Promise<string> {
  const rows = await tx.sql.query<{ id: string }>('SELECT id FROM inboxes WHERE owner_id = $1', [ownerId]);
  const id = rows[0]?.id;
  if (!id) throw new Error('Demo creator has no inbox');
  return id;
}

/** Earlier prices, as shares of today's: creators raise their price as they grow. */
const PRICE_STEPS: readonly { daysAgo: number; share: number }[] = [
  { daysAgo: 92, share: 0.6 },
  { daysAgo: 58, share: 0.8 },
  { daysAgo: 26, share: 1 },
];
const HISTORY_DAYS = 90;
const DAY_MS = 24 * HOUR_MS;

/** A label for what a message asks, so the labels in the rail mean something. */
function labelFor(body: string, random: () => number): string[] {
  const labels: string[] = [];
  if (/birthday|عيد|proposing|good-luck|Room 4B|hi to|المستشفى/i.test(body)) labels.push('shoutout');
  else if (/advice|consistent|negative|تنصحني|تنظم|كتاب/i.test(body)) labels.push('advice');
  else if (/camera|microphone|course|portfolio|band|وصفة/i.test(body)) labels.push('question');
  if (random() < 0.12) labels.push('vip');
  return random() < 0.7 ? labels : [];
}

async function seedCreatorInbox(
  tx: Tx,
  creator: Actor,
  spec: DemoCreator,
  fans: readonly Actor[],
  manager: Actor | null,
  messageCount: number,
  seed: number,
): Promise<void> {
  const random = sequence(seed);
  const inboxId = await inboxOf(tx, creator.id);
  const now = tx.now;
  const windowMs = spec.responseWindowHours * HOUR_MS;
  const priceAt = (share: number) => ({
    minor: Math.max(100, Math.round((spec.price.minor * share) / 100) * 100),
    currency: spec.price.currency,
  });
  const steps = [...PRICE_STEPS];
  const applyPricesUntil = async (at: number) => {
    while (steps[0] && now - steps[0].daysAgo * DAY_MS <= at) {
      const step = steps.shift() as (typeof PRICE_STEPS)[number];
      await updateSettings(tx.at(now - step.daysAgo * DAY_MS), creator, inboxId, {
        price: step.share === 1 ? spec.price : priceAt(step.share),
        responseWindowMs: windowMs,
      });
    }
  };
  // Monthly payouts of most of what is available, as a creator who cashes out regularly.
  const payouts = [60, 30].map((daysAgo) => now - daysAgo * DAY_MS);
  const payOut = async (at: number, share: number) => {
    const available = await tx.sql.query<{ balance: number }>(
      `SELECT balance FROM accounts WHERE kind = 'creator' AND owner_id = $1 AND currency = $2`,
      [inboxId, spec.price.currency],
    );
    const amount = Math.floor((available[0]?.balance ?? 0) * share);
    if (amount > 0) {
      await requestPayout(tx.at(at), creator, inboxId, { amount: { minor: amount, currency: spec.price.currency } });
    }
  };

  // The newest sixth is still pending, spread over the window so some deadlines are close;
  // the rest spans ninety days, busier lately (a growing creator).
  const pendingCount = Math.ceil(messageCount / 6);
  const decidedCount = messageCount - pendingCount;
  await applyPricesUntil(now - HISTORY_DAYS * DAY_MS);
  for (let i = 0; i < messageCount; i++) {
    const fan = fans[Math.floor(random() * fans.length)] as Actor;
    const body = FAN_MESSAGES[(i * 7 + seed) % FAN_MESSAGES.length] as string;
    const pending = i >= decidedCount;
    const paidAt = pending
      ? now - Math.floor(random() * windowMs * 0.97)
      : now - HISTORY_DAYS * DAY_MS + Math.floor((i / decidedCount) ** 0.75 * (HISTORY_DAYS - 3) * DAY_MS);
    await applyPricesUntil(paidAt);
    while (!pending && payouts[0] !== undefined && payouts[0] <= paidAt) {
      await payOut(payouts.shift() as number, 0.8);
    }
    const price = await tx.sql.query<{ price_minor: number }>('SELECT price_minor FROM inboxes WHERE id = $1', [
      inboxId,
    ]);
    await topUp(tx.at(paidAt - 1_000), fan, {
      amount: { minor: price[0]?.price_minor ?? spec.price.minor, currency: spec.price.currency },
    });
    // A fan pays what they see: the creator's terms at that moment.
    const shown = await publicProfile(tx, spec.handle);
    const message = await sendMessage(tx.at(paidAt), fan, spec.handle, {
      body,
      price: shown.price,
      responseWindowMs: shown.responseWindowMs,
    });
    const labels = labelFor(body, random);
    const assign = manager && random() < 0.2;
    if (labels.length > 0 || assign || (pending && random() < 0.3)) {
      await updateTriage(tx.at(paidAt + 60_000), creator, message.id, {
        ...(labels.length > 0 ? { labelsAdd: labels } : {}),
        ...(assign && manager ? { assigneeId: manager.id } : {}),
        ...(pending ? { read: random() < 0.4, starred: random() < 0.15 } : { read: true }),
      });
    }
    if (pending) continue;
    const roll = random();
    const decider = manager && random() < 0.4 ? manager : creator;
    const decidedAt = tx.at(paidAt + Math.floor(random() * windowMs * 0.8));
    if (roll < 0.7) {
      const reply = CREATOR_REPLIES[i % CREATOR_REPLIES.length] as string;
      await acceptMessage(decidedAt, decider, message.id, { reply });
      if (random() < 0.15) {
        await replyToMessage(tx.at(paidAt + windowMs), creator, message.id, {
          body: 'One more thing: thank you for your patience!',
        });
      }
    } else if (roll < 0.86) {
      await refundMessage(decidedAt, decider, message.id, {
        reason: 'cannot_answer',
        noteToFan: 'Sorry, I cannot help with this one.',
      });
    } else {
      await expireDueIn(tx.at(paidAt + windowMs), inboxId, 1_000);
    }
    if (random() < 0.12) {
      await addNote(decidedAt, decider, message.id, { body: 'Follow up next week — regular supporter.' });
    }
  }
  await applyPricesUntil(now);
  await payOut(now - HOUR_MS, 0.5);
}

export class DemoRefused extends Error {
  override name = 'DemoRefused';
}

export async function seedDemo(services: Services, hasher: PasswordHasher): Promise<DemoCredentials> {
  const seeded = await services.db.query('SELECT 1 FROM users WHERE email = $1', [DEMO_CREDENTIALS.creator.email]);
  if (seeded.length > 0) return DEMO_CREDENTIALS;
  // The demo's passwords are published: they never go into a database that holds anyone else.
  const others = await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  if ((others[0]?.n ?? 0) > 0) {
    throw new DemoRefused(
      'Refusing to seed the demo (its passwords are public) into a database that already holds other accounts; use an empty data folder or database for --demo',
    );
  }

  // Hashing runs on libuv's thread pool: all accounts at once instead of one after another.
  const creators = await Promise.all(
    DEMO_CREATORS.map((spec) => createUser(services, hasher, { ...spec, kind: 'creator' })),
  );
  const fans = await Promise.all(
    DEMO_FANS.map((displayName, index) =>
      createUser(services, hasher, { email: fanEmail(index), displayName, kind: 'fan' }),
    ),
  );
  const manager = await createUser(services, hasher, { ...DEMO_MANAGER, kind: 'fan' });
  const layla = creators[0] as Actor;
  const laylaInbox = await services.transact((tx) => inboxOf(tx, layla.id));
  const invitation = await services.transact((tx) =>
    invite(tx, layla, laylaInbox, { email: DEMO_MANAGER.email, permissions: ['accept', 'reply', 'refund'] }),
  );
  await services.transact((tx) =>
    acceptInvitation(tx, manager, invitation.id, AcceptInvitationBody.parse({ code: invitation.code })),
  );

  for (const [index, spec] of DEMO_CREATORS.entries()) {
    const creator = creators[index] as Actor;
    // Enough history for every screen to have something true to show on first run.
    const count = index === 0 ? 160 : 16;
    await services.transact((tx) =>
      seedCreatorInbox(tx, creator, spec, fans, index === 0 ? manager : null, count, index + 1),
    );
  }
  return DEMO_CREDENTIALS;
}

/**
 * Keeps the demo alive: every `everyMs` a demo fan pays for a new message to the main demo
 * creator. Returns a function that stops it and waits for the message in flight.
 */
export function startLiveTraffic(
  services: Services,
  everyMs: number,
  onError: (error: unknown) => void,
): () => Promise<void> {
  const random = sequence(Date.now());
  const spec = DEMO_CREATORS[0] as DemoCreator;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;
  const sendOne = async () => {
    const fans = await services.db.query<{ id: string; display_name: string }>(
      `SELECT id, display_name FROM users WHERE email LIKE 'fan%@demo.creatorinbox.test' ORDER BY email`,
    );
    const row = fans[Math.floor(random() * fans.length)];
    if (!row) return;
    const fan = actorOf({ id: row.id, displayName: row.display_name, kind: 'fan' });
    const body = FAN_MESSAGES[Math.floor(random() * FAN_MESSAGES.length)] as string;
    await services.transact(async (tx) => {
      const profile = await tx.sql.query<{ price_minor: number; currency: string }>(
        'SELECT price_minor, currency FROM inboxes WHERE handle = $1',
        [spec.handle],
      );
      const price = profile[0];
      if (!price) return;
      await topUp(tx, fan, { amount: { minor: price.price_minor, currency: price.currency } });
    });
    // The creator may have paused or capped the inbox: then the demo fan is refused like anyone.
    // The demo fan pays what they see now; a creator who repriced meanwhile refuses them like anyone.
    await services
      .transact(async (tx) => {
        const shown = await publicProfile(tx, spec.handle);
        return sendMessage(tx, fan, spec.handle, {
          body,
          price: shown.price,
          responseWindowMs: shown.responseWindowMs,
        });
      })
      .catch(() => undefined);
  };
  const timer = setInterval(() => {
    if (stopped) return;
    inFlight = inFlight.then(sendOne).catch(onError);
  }, everyMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await inFlight;
  };
}

/** The demo as startPlatform takes it: seeded on start, then a paid DM every `liveTrafficMs` (0: none). */
export function demoSetup(liveTrafficMs = 0): DemoSetup {
  return { seed: seedDemo, liveTraffic: startLiveTraffic, liveTrafficMs };
}
