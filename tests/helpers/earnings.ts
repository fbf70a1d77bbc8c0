/**
 * Finds earnings in anything the platform answered (issue 12): the platform suites and the
 * e2e spec check with it that a member without view_earnings is sent none.
 */

/** Keys that carry earnings wherever they appear in an answer; null means "not sent". */
const EARNINGS_KEYS = new Set(['fee', 'net', 'feeBps', 'held', 'available', 'gross', 'payouts']);

/** Every place in `value` where earnings show: a non-null earnings key, or a ledger entry of the feed. */
export function earningsIn(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => earningsIn(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  const record = value as Record<string, unknown>;
  if (record.kind === 'ledger') found.push(`${path} is a ledger entry`);
  for (const [key, inner] of Object.entries(record)) {
    if (EARNINGS_KEYS.has(key) && inner !== null && inner !== undefined) {
      found.push(`${path}.${key} = ${JSON.stringify(inner)}`);
    }
    found.push(...earningsIn(inner, `${path}.${key}`));
  }
  return found;
}
