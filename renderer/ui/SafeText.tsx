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

export function UntrustedBlock({ text, className }: { text: string; className?: string }) {
  return (
    <div dir="auto" className={className ? `untrusted-block ${className}` : 'untrusted-block'}>
      {text}
    </div>
  );
}
