import { type CallHandlers, type CallName, calls } from '../../../shared/contract';

/**
 * Contract handlers for transport tests: each call records the (already parsed) input it
 * got and answers from `answers`, or throws when the test did not expect it to be reached.
 */
export function recordingHandlers(answers: Partial<Record<CallName, (input: unknown) => unknown>> = {}) {
  const received: Array<{ name: CallName; input: unknown }> = [];
  const handlers = Object.fromEntries(
    (Object.keys(calls) as CallName[]).map((name) => [
      name,
      async (input: unknown) => {
        received.push({ name, input });
        const answer = answers[name];
        if (!answer) throw new Error(`${name} was not expected to reach the core`);
        return answer(input);
      },
    ]),
  ) as unknown as CallHandlers;
  return { handlers, received };
}
