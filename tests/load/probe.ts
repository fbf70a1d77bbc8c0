/**
 * The load test's probes (#16): changes made one at a time in the hot inbox while a mix
 * runs, each timed from the moment its request left, so that its way to the 1,000 SSE
 * subscribers can be measured (run.ts `recordSse`).
 */
import { nowMs } from '../bench/harness';
import type { LoadInbox } from './world';

/** Changes made one at a time in the hot inbox, each timed from the moment its request left. */
export interface Probes {
  starts: number[];
  /** The head each write reached: a subscriber has it once it hears this head or a later one. */
  heads: number[];
  /** How long each probe's accept took to answer: the write's own part of the figure. */
  answers: number[];
}

/**
 * Accepts `messageIds` one at a time, `gapMs` apart, while a mix runs (after its first
 * second). The writer is a client already connected, as a creator's app is: one untimed
 * read opens the connection first. Without it the first probe paid for this process's
 * first `fetch` (loading its HTTP client) and a new connection, 140–280 ms measured
 * (2026-12-04, against 30 ms that the platform itself took for that accept), and with 12
 * probes that one was the run's p95.
 */
export async function probe(
  url: string,
  hot: Pick<LoadInbox, 'inboxId' | 'ownerToken'>,
  messageIds: string[],
  failures: string[],
  label: string,
  gapMs: number,
): Promise<Probes> {
  const probes: Probes = { starts: [], heads: [], answers: [] };
  const readHead = async () => {
    const response = await fetch(`${url}/v1/inboxes/${hot.inboxId}/changes?after=0&limit=1`, {
      headers: { authorization: `Bearer ${hot.ownerToken}` },
    });
    if (response.status !== 200) failures.push(`${label}: probe head read answered ${response.status}`);
    return ((await response.json()) as { headSeq: number }).headSeq;
  };
  await readHead();
  await new Promise((r) => setTimeout(r, 1_000));
  for (const messageId of messageIds) {
    const start = nowMs();
    probes.starts.push(start);
    const response = await fetch(`${url}/v1/messages/${messageId}/accept`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${hot.ownerToken}`,
        'content-type': 'application/json',
        'idempotency-key': `probe-${messageId}`,
      },
      body: '{}',
    });
    probes.answers.push(nowMs() - start);
    if (response.status !== 200) failures.push(`${label}: probe accept answered ${response.status}`);
    await response.arrayBuffer();
    probes.heads.push(await readHead());
    await new Promise((r) => setTimeout(r, gapMs));
  }
  await new Promise((r) => setTimeout(r, 1_000));
  return probes;
}
