import { createRequire } from 'node:module';
import { arrayLiteral } from '../../server/db/array-literal';
import type { Message } from '../../shared/protocol';
import { type Bench, nowMs } from './harness';

/** The driver's own conversion of a parameter: the baseline, measured in the same run. */
const driver = createRequire(import.meta.url)('pg/lib/utils') as { prepareValue(value: unknown): unknown };

const BATCH = 32;

/** An accepted message as the feed row and the stored answer carry it (docs/scaling.md §2). */
function acceptedMessage(i: number): Message {
  return {
    id: `msg-${i.toString(36).padStart(8, '0')}-4d2e-9a51-7c0b3f2e11aa`,
    inboxId: 'inbox-creator-0042',
    fanId: `fan-${i % 50}`,
    fanName: `Fan "number" ${i % 50}`,
    body: `Hi! I've followed you since the first video — could you say "happy birthday" to my sister? \\ ${i}\nThank you!`,
    price: { minor: 2500, currency: 'USD' },
    feeBps: 1000,
    fee: { minor: 250, currency: 'USD' },
    net: { minor: 2250, currency: 'USD' },
    status: 'accepted',
    free: false,
    paidAt: 1_796_400_000_000 + i,
    deadline: 1_796_572_800_000 + i,
    decidedAt: 1_796_480_000_000 + i,
    decidedBy: { id: 'user-creator-0042', name: 'Creator 42' },
    refundReason: null,
    noteToFan: null,
  };
}

/**
 * The array parameters of one batch of 32 accepts, as written for PostgreSQL: by
 * server/db/array-literal.ts, against the driver's own writing of the same arrays.
 * Informational beside its baseline; the target is only "not slower than the driver".
 */
export const bench: Bench = {
  name: 'sql-parameters',
  async run(ctx) {
    const messages = Array.from({ length: BATCH }, (_, i) => acceptedMessage(i));
    const batch: unknown[][] = [
      messages.map((m) => m.id),
      messages.map((m) => JSON.stringify(m)),
      messages.map((m) => JSON.stringify({ status: 200, body: m })),
      messages.map((m) => JSON.stringify({ messageId: m.id, price: m.price, fee: m.fee })),
      messages.map((m) => m.decidedAt),
    ];
    const rounds = ctx.quick ? 2_000 : 20_000;
    const timed = (write: (values: unknown[]) => unknown): number => {
      let length = 0;
      const t0 = nowMs();
      // Measured to the bytes sent: the driver's literal is built by concatenation, and the
      // cost of flattening it is paid when it is written to the socket's buffer.
      for (let r = 0; r < rounds; r++) for (const values of batch) length += Buffer.byteLength(String(write(values)));
      const ms = nowMs() - t0;
      if (length === 0) throw new Error('nothing was written');
      return (ms * 1000) / rounds;
    };
    for (const values of batch)
      if (arrayLiteral(values) !== driver.prepareValue(values)) throw new Error('literal differs from the driver');
    // Warm both, then measure each twice, alternating, and keep each one's best.
    timed(arrayLiteral);
    timed(driver.prepareValue);
    const ours = Math.min(timed(arrayLiteral), timed(arrayLiteral));
    const theirs = Math.min(timed(driver.prepareValue), timed(driver.prepareValue));
    ctx.record({
      name: 'server.arrayParameters.acceptBatch',
      value: ours,
      unit: `µs per batch of ${BATCH} accepts`,
      target: { op: '<=', value: theirs },
      baseline: { name: "the driver's writing of the same arrays", value: theirs },
      notes: `${rounds} rounds, the best of two`,
    });
  },
};
