import { singleLine } from './text';

/**
 * Text from fans (names, bodies) only ever renders as React text, isolated with
 * `dir="auto"` so Arabic, English and any directional controls inside it cannot reorder
 * the UI around it.
 */
export function UntrustedInline({ text, className }: { text: string; className?: string }) {
  return (
    <bdi dir="auto" className={className ? `untrusted ${className}` : 'untrusted'}>
      {singleLine(text)}
    </bdi>
  );
}

/**
 * For the few places that take a string, not an element (an <option>, a value inside a
 * translated sentence): the same single-line cleaning, wrapped in Unicode isolates
 * (FSI … PDI) so the text cannot reorder what is around it.
 */
export function untrustedPlain(text: string): string {
  return `\u2068${singleLine(text)}\u2069`;
}

export function UntrustedBlock({ text, className }: { text: string; className?: string }) {
  return (
    <div dir="auto" className={className ? `untrusted-block ${className}` : 'untrusted-block'}>
      {text}
    </div>
  );
}
