import { useEffect, useState } from 'react';
import { platformNow } from '../data/clock';

/** The current time, refreshed every `everyMs`: deadlines tick without re-rendering per frame. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * The platform's time (device clock + measured offset), refreshed every second so a
 * deadline that passes flips its text and actions the moment it passes.
 */
export function usePlatformNow(everyMs = 1_000): number {
  return platformNow(useNow(everyMs));
}
