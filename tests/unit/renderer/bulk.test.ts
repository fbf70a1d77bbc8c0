import { describe, expect, it } from 'vitest';
import { bulkTotals, summarizeBulk } from '../../../renderer/data/bulkSummary';

describe('bulk confirm and result', () => {
  it('states the count and the total per currency, never adding currencies together', () => {
    const { count, totals } = bulkTotals([
      { id: '1', price: { minor: 2500, currency: 'USD' } },
      { id: '2', price: { minor: 1000, currency: 'JPY' } },
      { id: '3', price: { minor: 1, currency: 'USD' } },
    ]);
    expect(count).toBe(3);
    expect(totals).toEqual([
      { minor: 1000, currency: 'JPY' },
      { minor: 2501, currency: 'USD' },
    ]);
  });

  it('refuses a row whose amount is not whole minor units', () => {
    expect(() => bulkTotals([{ id: '1', price: { minor: 10.5, currency: 'USD' } }])).toThrow();
  });

  it('groups failures by reason, biggest group first, so "47 refunded, 3 already decided" can be said', () => {
    const results = [
      ...Array.from({ length: 47 }, (_, i) => ({ messageId: `ok${i}`, ok: true, error: null })),
      ...['x', 'y', 'z'].map((id) => ({ messageId: id, ok: false, error: 'Already refunded by Sara' })),
      { messageId: 'w', ok: false, error: 'Deadline passed' },
    ];
    const outcome = summarizeBulk(results);
    expect(outcome.succeeded).toBe(47);
    expect(outcome.failures).toEqual([
      { reason: 'Already refunded by Sara', messageIds: ['x', 'y', 'z'] },
      { reason: 'Deadline passed', messageIds: ['w'] },
    ]);
  });
});
