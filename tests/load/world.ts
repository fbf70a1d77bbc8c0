/**
 * The load run's world, written straight into its database before any platform process
 * starts (so seeding never counts as load): 100 creators with pending paid messages, one
 * "hot" creator with many more, managers on some inboxes, and fans with sessions. Sessions
 * are created through the account service, not by sign-in, so the run does not spend
 * minutes in scrypt; the platform processes then serve them like any other.
 */
import { hashPassword } from '../../server/auth/password';
import { seedBulk } from '../../server/demo/bulk';
import { startPlatform } from '../../server/index';
import { authenticate, findCredentials, signIn, signUp } from '../../server/services/accounts';
import type { Services } from '../../server/services/context';
import { acceptInvitation, invite } from '../../server/services/team';
import { AcceptInvitationBody } from '../../shared/protocol';

export interface LoadInbox {
  inboxId: string;
  handle: string;
  ownerToken: string;
  /** A manager with accept and refund, on every tenth inbox. */
  managerToken: string | null;
  pending: string[];
}

export interface LoadWorld {
  inboxes: LoadInbox[];
  hot: LoadInbox;
  fans: Array<{ token: string }>;
  /**
   * Sessions of the hot inbox's members for the SSE subscribers: its owner and managers,
   * several devices each, so that 1,000 streams stay under the platform's caps per session
   * and per user (server/http/stream-caps.ts) — the run measures fan-out, not the caps.
   */
  streamTokens: string[];
  priceMinor: number;
}

export interface WorldSize {
  inboxes: number;
  pendingPerInbox: number;
  hotPending: number;
  fans: number;
  /** Members of the hot inbox holding streams (the owner and managers), and sessions per member. */
  streamMembers: number;
  sessionsPerMember: number;
}

const PRICE = { minor: 2_500, currency: 'USD' };

async function session(services: Services, email: string, device: string): Promise<string> {
  return services.transact(async (tx) => {
    const user = await findCredentials(tx, email);
    if (!user) throw new Error(`no user ${email}`);
    return (await signIn(tx, user, device)).token;
  });
}

async function seedInbox(services: Services, pending: number, handle: string): Promise<LoadInbox> {
  const seeded = await seedBulk({ services }, { messages: pending, fans: 50, pendingShare: 1, handle, price: PRICE });
  const ownerToken = await session(services, seeded.creator.email, 'Load creator');
  const rows = await services.db.query<{ id: string }>(
    `SELECT id FROM messages WHERE inbox_id = $1 AND status = 'pending' ORDER BY paid_at`,
    [seeded.inboxId],
  );
  return {
    inboxId: seeded.inboxId,
    handle: seeded.handle,
    ownerToken,
    managerToken: null,
    pending: rows.map((r) => r.id),
  };
}

/** Runs `task` over `items` with `width` at a time. */
async function inParallel<T, R>(items: T[], width: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i] as T, i);
      }
    }),
  );
  return results;
}

export async function seedWorld(databaseUrl: string, size: WorldSize, log: (m: string) => void): Promise<LoadWorld> {
  const platform = await startPlatform({ databaseUrl, port: 0, expiryIntervalMs: 24 * 3_600_000 });
  try {
    const { services } = platform;
    const t0 = Date.now();
    const inboxes = await inParallel(
      Array.from({ length: size.inboxes }, (_, i) => i),
      4,
      (i) => seedInbox(services, size.pendingPerInbox, `load_${i}`),
    );
    const hot = await seedInbox(services, size.hotPending, 'load_hot');
    log(`seeded ${size.inboxes} inboxes × ${size.pendingPerInbox} + hot ${size.hotPending} in ${Date.now() - t0} ms`);

    // One hash for every extra account: they share a password, and scrypt is not what is measured.
    const hash = await hashPassword('load-password-2026');
    const account = (email: string, displayName: string) =>
      services.transact(async (tx) => {
        const created = await signUp(tx, { email, password: 'unused', displayName, kind: 'fan' }, hash);
        return created.token;
      });
    const addManager = async (inbox: LoadInbox, email: string, name: string): Promise<string> => {
      const managerToken = await account(email, name);
      await services.transact(async (tx) => {
        const owner = await authenticate(tx, inbox.ownerToken);
        const manager = await authenticate(tx, managerToken);
        if (!owner || !manager) throw new Error('load world: sessions vanished');
        const invitation = await invite(tx, owner, inbox.inboxId, { email, permissions: ['accept', 'refund'] });
        await acceptInvitation(tx, manager, invitation.id, AcceptInvitationBody.parse({ code: invitation.code }));
      });
      return managerToken;
    };
    for (const [i, inbox] of inboxes.entries()) {
      if (i % 10 !== 0) continue;
      inbox.managerToken = await addManager(inbox, `manager-${i}@load.creatorinbox.test`, `Manager ${i}`);
    }
    const fans = await inParallel(
      Array.from({ length: size.fans }, (_, i) => i),
      4,
      async (i) => ({ token: await account(`fan-${i}@load.creatorinbox.test`, `Load fan ${i}`) }),
    );
    const streamTokens: string[] = [];
    const hotEmails = [`${hot.handle}@bulk.creatorinbox.test`];
    for (let m = 1; m < size.streamMembers; m++) {
      const email = `hot-manager-${m}@load.creatorinbox.test`;
      await addManager(hot, email, `Hot manager ${m}`);
      hotEmails.push(email);
    }
    for (const email of hotEmails)
      for (let d = 0; d < size.sessionsPerMember; d++) streamTokens.push(await session(services, email, `Device ${d}`));
    return { inboxes, hot, fans, streamTokens, priceMinor: PRICE.minor };
  } finally {
    await platform.close();
  }
}
