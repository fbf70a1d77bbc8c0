import { HOUR_MS } from '../../shared/message';
import type { DemoCredentials } from '../index';
import type { PasswordHasher } from '../services/accounts';
import * as accounts from '../services/accounts';
import type { Actor, Services, Tx } from '../services/context';
import { updateSettings } from '../services/inbox';
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
 * currencies, a manager, fans writing in English and Arabic, and messages in every state.
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
  await updateSettings(tx.at(now - 40 * 24 * HOUR_MS), creator, inboxId, {
    price: spec.price,
    responseWindowMs: windowMs,
  });
  for (let i = 0; i < messageCount; i++) {
    const fan = fans[Math.floor(random() * fans.length)] as Actor;
    const body = FAN_MESSAGES[(i + seed) % FAN_MESSAGES.length] as string;
    // The newest third is still pending, spread over the window so some deadlines are close.
    const pending = i >= messageCount - Math.ceil(messageCount / 3);
    const paidAt = pending
      ? now - Math.floor(random() * windowMs * 0.95)
      : now - 39 * 24 * HOUR_MS + Math.floor((i / messageCount) * 30 * 24 * HOUR_MS);
    await topUp(tx.at(paidAt - 1_000), fan, { amount: spec.price });
    const message = await sendMessage(tx.at(paidAt), fan, spec.handle, { body });
    if (pending) {
      if (random() < 0.3) {
        await updateTriage(tx.at(paidAt + 60_000), creator, message.id, {
          read: true,
          starred: random() < 0.5,
          labelsAdd: ['vip'],
        });
      }
      continue;
    }
    const roll = random();
    const decider = manager && random() < 0.4 ? manager : creator;
    const decidedAt = tx.at(paidAt + Math.floor(random() * windowMs * 0.8));
    if (roll < 0.65) {
      const reply = CREATOR_REPLIES[i % CREATOR_REPLIES.length] as string;
      await acceptMessage(decidedAt, decider, message.id, { reply });
      if (random() < 0.2) {
        await replyToMessage(tx.at(paidAt + windowMs), creator, message.id, {
          body: 'One more thing: thank you for your patience!',
        });
      }
    } else if (roll < 0.85) {
      await refundMessage(decidedAt, decider, message.id, {
        reason: 'cannot_answer',
        noteToFan: 'Sorry, I cannot help with this one.',
      });
    } else {
      await expireDueIn(tx.at(paidAt + windowMs), inboxId, 1_000);
    }
    if (random() < 0.15) {
      await addNote(decidedAt, decider, message.id, { body: 'Follow up next week — regular supporter.' });
    }
  }
  const available = await tx.sql.query<{ balance: number }>(
    `SELECT balance FROM accounts WHERE kind = 'creator' AND owner_id = $1 AND currency = $2`,
    [inboxId, spec.price.currency],
  );
  const half = Math.floor((available[0]?.balance ?? 0) / 2);
  if (half > 0) {
    await requestPayout(tx.at(now - HOUR_MS), creator, inboxId, {
      amount: { minor: half, currency: spec.price.currency },
    });
  }
}

export async function seedDemo(services: Services, hasher: PasswordHasher): Promise<DemoCredentials> {
  const seeded = await services.db.query('SELECT 1 FROM users WHERE email = $1', [DEMO_CREDENTIALS.creator.email]);
  if (seeded.length > 0) return DEMO_CREDENTIALS;

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
  await services.transact((tx) => acceptInvitation(tx, manager, invitation.id));

  for (const [index, spec] of DEMO_CREATORS.entries()) {
    const creator = creators[index] as Actor;
    const count = index === 0 ? 60 : 18;
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
    await services.transact((tx) => sendMessage(tx, fan, spec.handle, { body })).catch(() => undefined);
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
