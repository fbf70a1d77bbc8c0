import { expect } from 'vitest';
import type { TestPlatform } from './server';

/** An inbox's SSE stream, read as text: wait for a pattern, or for the stream to end. */
export async function openEvents(platform: TestPlatform, inbox: { inboxId: string }, token: string) {
  const controller = new AbortController();
  const response = await fetch(new URL(`/v1/inboxes/${inbox.inboxId}/events`, platform.url), {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no stream');
  const decoder = new TextDecoder();
  let text = '';
  return {
    /** Everything read so far. */
    text: () => text,
    async waitFor(pattern: RegExp): Promise<void> {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value, { stream: true });
      }
    },
    /** Reads until the server ends the stream; resolves to everything it sent. */
    async ended(): Promise<string> {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
}
