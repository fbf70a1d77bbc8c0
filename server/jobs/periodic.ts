/** A job run on start-up, then every interval, one run at a time; `runNow` queues one more. */
export interface PeriodicJob {
  /** Runs the job now (after any run already going) and resolves to what that run returned. */
  runNow(): Promise<number>;
  /** Stops the timer and waits for the run in progress. */
  stop(): Promise<void>;
}

export function startPeriodicJob(
  run: () => Promise<number>,
  intervalMs: number,
  onError: (error: unknown) => void,
): PeriodicJob {
  let running: Promise<number> = Promise.resolve(0);
  let stopped = false;
  const runNow = () => {
    running = running.catch(() => 0).then(() => (stopped ? 0 : run()));
    return running;
  };
  const timer = setInterval(() => {
    runNow().catch(onError);
  }, intervalMs);
  timer.unref();
  runNow().catch(onError);
  return {
    runNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running.catch(() => 0);
    },
  };
}
