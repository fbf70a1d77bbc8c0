import { describe, expect, it } from 'vitest';
import { refusalFor } from '../../../renderer/data/refusal';
import { untriaged } from '../../../shared/actions';
import type { InboxRow } from '../../../shared/contract';

const NOW = 1_000_000;
const row = (over: Partial<InboxRow> = {}): InboxRow => ({
  id: 'm1',
  inboxId: 'i1',
  fanId: 'f1',
  fanName: 'Layla',
  preview: 'hi',
  price: { minor: 2500, currency: 'USD' },
  status: 'pending',
  paidAt: NOW - 1000,
  deadline: NOW + 60_000,
  free: false,
  ...untriaged(),
  pendingDecision: null,
  decidedBy: null,
  localState: 'synced',
  ...over,
});
const all = () => true;

describe('refusalFor: every refused command has a reason', () => {
  it('lets an open decision through', () => {
    expect(refusalFor('accept', [row()], NOW, all)).toBeNull();
    expect(refusalFor('acceptReply', [row()], NOW, all)).toBeNull();
    expect(refusalFor('refund', [row()], NOW, all)).toBeNull();
  });

  it('lets a free-pass message be answered after its requested time: nothing was paid, nothing expires', () => {
    const late = { deadline: NOW - 60_000, price: { minor: 0, currency: 'USD' as const } };
    expect(refusalFor('accept', [row(late)], NOW, all)).toEqual({ code: 'deadline_passed' });
    expect(refusalFor('accept', [row({ ...late, free: true })], NOW, all)).toBeNull();
    expect(refusalFor('refund', [row({ ...late, free: true })], NOW, all)).toBeNull();
  });

  it('names why a decision cannot be taken', () => {
    expect(refusalFor('acceptReply', [row({ pendingDecision: 'accept' })], NOW, all)).toEqual({
      code: 'already_queued',
      queued: 'accept',
    });
    expect(refusalFor('accept', [row({ status: 'refunded' })], NOW, all)).toEqual({
      code: 'already_decided',
      status: 'refunded',
    });
    expect(refusalFor('refund', [row({ deadline: NOW })], NOW, all)).toEqual({ code: 'deadline_passed' });
    expect(refusalFor('accept', [row()], NOW, (_, p) => p !== 'accept')).toEqual({
      code: 'forbidden',
      needs: 'accept',
    });
    expect(refusalFor('note', [], NOW, all)).toEqual({ code: 'noMessage' });
  });

  it('r replies once accepted, accepts & replies while pending, and refuses otherwise', () => {
    expect(refusalFor('reply', [row({ status: 'accepted' })], NOW, all)).toBeNull();
    expect(refusalFor('reply', [row({ status: 'accepted' })], NOW, (_, p) => p !== 'reply')).toEqual({
      code: 'forbidden',
      needs: 'reply',
    });
    expect(refusalFor('reply', [row({ status: 'expired' })], NOW, all)).toEqual({ code: 'not_accepted' });
    expect(refusalFor('reply', [row({ pendingDecision: 'refund' })], NOW, all)).toEqual({
      code: 'already_queued',
      queued: 'refund',
    });
  });

  it('a selection runs when at least one row can take the decision', () => {
    expect(refusalFor('accept', [row({ status: 'accepted' }), row({ id: 'm2' })], NOW, all)).toBeNull();
  });
});
