import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, isolated } from '../../src/pwa/isolation';

describe('the service worker isolates what it serves', () => {
  it('adds COOP, COEP and CORP, keeping the status, the other headers and the body', async () => {
    const original = new Response('<!doctype html><p>hi', {
      status: 200,
      statusText: 'OK',
      headers: { 'Content-Type': 'text/html', 'Cross-Origin-Embedder-Policy': 'unsafe-none' },
    });
    const response = isolated(original);
    expect(response.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(response.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    // An isolated page on another site may embed the app (its require-corp needs this).
    expect(response.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(response.headers.get('Content-Type')).toBe('text/html');
    expect([response.status, response.statusText]).toEqual([200, 'OK']);
    expect(await response.text()).toBe('<!doctype html><p>hi');
    expect(Object.keys(ISOLATION_HEADERS)).toEqual([
      'Cross-Origin-Opener-Policy',
      'Cross-Origin-Embedder-Policy',
      'Cross-Origin-Resource-Policy',
    ]);
  });

  it('leaves a network error (no headers to set) as it is', () => {
    const error = Response.error();
    expect(isolated(error)).toBe(error);
  });
});
