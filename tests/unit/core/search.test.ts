import { afterEach, describe, expect, it } from 'vitest';
import { applyPage } from '../../../electron/core/store/apply';
import { searchMessages } from '../../../electron/core/store/queries';
import { buildMatchQuery, normalizeSearchText } from '../../../electron/core/store/search-text';
import { FakeFeed } from '../../fixtures/core/feed';
import { tempStore } from '../../fixtures/core/store';

const NOW = Date.UTC(2026, 0, 2);
let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

describe('search text normalisation', () => {
  it('folds Arabic spelling variants, marks and digits', () => {
    expect(normalizeSearchText('أَحْمَد')).toBe('احمد');
    expect(normalizeSearchText('إسلام آمنة')).toBe('اسلام امنه');
    expect(normalizeSearchText('مُسْتَشْفَى')).toBe('مستشفي');
    expect(normalizeSearchText('جميـــــل')).toBe('جميل');
    expect(normalizeSearchText('سؤال مسائل')).toBe('سوال مسايل');
    expect(normalizeSearchText('٢٠٢٦')).toBe('2026');
    expect(normalizeSearchText('Café')).toBe('Café');
  });

  it('quotes every term so search syntax in the input is only text', () => {
    expect(buildMatchQuery('birthday video')).toBe('"birthday" "video"*');
    expect(buildMatchQuery('a" OR body:*')).toBe('"a" "OR" "body"*');
    expect(buildMatchQuery('  ***  ')).toBeNull();
  });
});

describe('searching messages', () => {
  function seeded() {
    const t = tempStore();
    cleanup = t.cleanup;
    const feed = new FakeFeed();
    feed.message('ar1', { body: 'مَرْحَباً، هَلْ يُمْكِنُكَ تَسْجِيلُ رِسالَةٍ لِأُمّي؟', fanName: 'فاطِمَة الزَّهْراء' });
    feed.message('ar2', { body: 'شكرا على المدرسة الجميلة', fanName: 'علي' });
    feed.message('en1', {
      body: 'Could you record a birthday video for my café?',
      fanName: 'Zoë Smith',
      priceMinor: 5000,
    });
    feed.message('en2', { body: 'Another birthday request', fanName: 'Bob', priceMinor: 1000 });
    feed.triage('en2', { labels: ['vip'] });
    applyPage(t.store.db, feed.page(0), 0, NOW);
    return (text: string, filters: Record<string, unknown> = {}) =>
      searchMessages(
        t.store.db,
        { accountId: 'a', inboxId: null, text, cursor: null, limit: 50, ...filters },
        NOW,
      ).rows.map((r) => r.id);
  }

  it('finds Arabic text whatever the diacritics and letter variants', () => {
    const search = seeded();
    expect(search('مرحبا')).toEqual(['ar1']);
    expect(search('لامي')).toEqual(['ar1']);
    expect(search('رساله')).toEqual(['ar1']);
    expect(search('فاطمه')).toEqual(['ar1']);
    expect(search('المدرسه')).toEqual(['ar2']);
  });

  it('finds Latin text without accents, by prefix, and by fan name', () => {
    const search = seeded();
    expect(search('cafe')).toEqual(['en1']);
    expect(search('zoe')).toEqual(['en1']);
    expect(search('birth')).toEqual(['en2', 'en1']);
  });

  it('filters by amount, label, status and fan, newest first with a cursor', () => {
    const search = seeded();
    expect(search('birthday', { minAmount: 2000 })).toEqual(['en1']);
    expect(search('birthday', { label: 'vip' })).toEqual(['en2']);
    expect(search('', { maxAmount: 1000 })).toEqual(['en2']);
    expect(search('', { status: ['accepted'] })).toEqual([]);
    expect(search('', { fanId: 'fan-ar2' })).toEqual(['ar2']);
    expect(search('', { deadlineWithinMs: 100 * 3_600_000 })).toHaveLength(4);
  });
});
