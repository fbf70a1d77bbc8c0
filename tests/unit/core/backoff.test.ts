import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../electron/core/sync/backoff';
import { checkPlatformUrl } from '../../../electron/core/sync/http';

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap, with jitter in the upper half', () => {
    const policy = { baseMs: 100, maxMs: 1_000 };
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(2, policy, () => 1)).toBe(400);
    expect(backoffDelay(10, policy, () => 1)).toBe(1_000);
    expect(backoffDelay(1_000, policy, () => 0)).toBe(500);
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(3, policy)));
    expect(spread.size).toBeGreaterThan(10);
    for (const d of spread) expect(d).toBeGreaterThanOrEqual(400);
  });
});

describe('checkPlatformUrl', () => {
  it('takes https anywhere and plain http only to this computer', () => {
    expect(checkPlatformUrl('https://platform.example/').origin).toBe('https://platform.example');
    expect(checkPlatformUrl('http://127.0.0.1:8080').port).toBe('8080');
    expect(checkPlatformUrl('http://localhost:3000').hostname).toBe('localhost');
    expect(checkPlatformUrl('http://[::1]:3000').hostname).toBe('[::1]');
    expect(() => checkPlatformUrl('http://platform.example')).toThrow(/https/);
    expect(() => checkPlatformUrl('http://127.0.0.1.evil.example')).toThrow(/https/);
    expect(() => checkPlatformUrl('ftp://127.0.0.1')).toThrow(/https/);
    expect(() => checkPlatformUrl('not a url')).toThrow(/not a web address/);
  });
});
