import { describe, expect, it } from 'vitest';
import { rendererCsp } from '../../../shared/contract';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('renderer Content-Security-Policy', () => {
  it('allows scripts only from the app itself: no inline, no eval, no remote', () => {
    const csp = rendererCsp({ connectSrc: [] });
    expect(directives(csp).get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|\*|https?:/);
  });

  it('denies by default and locks framing, plugins, forms and <base>', () => {
    const csp = directives(rendererCsp({ connectSrc: [] }));
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
  });

  it('lets the page connect nowhere in Electron and only to the named sockets in the browser host', () => {
    expect(directives(rendererCsp({ connectSrc: [] })).get('connect-src')).toEqual(["'none'"]);
    const host = rendererCsp({ connectSrc: ['ws://127.0.0.1:4000', 'ws://localhost:4000'] });
    expect(directives(host).get('connect-src')).toEqual(['ws://127.0.0.1:4000', 'ws://localhost:4000']);
  });
});
