import { describe, expect, it } from 'vitest';
import { requestHash } from '../../../server/http/idempotency';

describe('idempotency request hash', () => {
  it('is the same for the same route, parameters and body, and differs otherwise', () => {
    const base = requestHash('accept', { messageId: 'm1' }, { reply: 'hi' });
    expect(requestHash('accept', { messageId: 'm1' }, { reply: 'hi' })).toBe(base);
    expect(requestHash('refund', { messageId: 'm1' }, { reply: 'hi' })).not.toBe(base);
    expect(requestHash('accept', { messageId: 'm2' }, { reply: 'hi' })).not.toBe(base);
    expect(requestHash('accept', { messageId: 'm1' }, { reply: 'hello' })).not.toBe(base);
    expect(requestHash('accept', { messageId: 'm1' }, undefined)).toBe(
      requestHash('accept', { messageId: 'm1' }, null),
    );
  });
});
