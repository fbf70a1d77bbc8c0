import { describe, expect, it } from 'vitest';
import { checkPlatformUrl } from '../../../renderer/features/accounts/connectUrl';

describe('platform address check', () => {
  it('accepts https anywhere and plain http only to this machine', () => {
    expect(checkPlatformUrl('https://inbox.example.com/')).toEqual({ ok: true, url: 'https://inbox.example.com' });
    expect(checkPlatformUrl(' http://127.0.0.1:4000 ')).toEqual({ ok: true, url: 'http://127.0.0.1:4000' });
    expect(checkPlatformUrl('http://localhost:4000/api/')).toEqual({ ok: true, url: 'http://localhost:4000/api' });
    expect(checkPlatformUrl('http://[::1]:4000')).toEqual({ ok: true, url: 'http://[::1]:4000' });
  });

  it('refuses plain http to another machine, and anything that is not a web address', () => {
    expect(checkPlatformUrl('http://inbox.example.com')).toEqual({ ok: false, reason: 'insecure' });
    expect(checkPlatformUrl('http://127.0.0.1.evil.example')).toEqual({ ok: false, reason: 'insecure' });
    expect(checkPlatformUrl('ftp://x.example')).toEqual({ ok: false, reason: 'invalid' });
    expect(checkPlatformUrl('javascript:alert(1)')).toEqual({ ok: false, reason: 'invalid' });
    expect(checkPlatformUrl('not a url')).toEqual({ ok: false, reason: 'invalid' });
    expect(checkPlatformUrl('https://user:pw@x.example')).toEqual({ ok: false, reason: 'invalid' });
  });
});
