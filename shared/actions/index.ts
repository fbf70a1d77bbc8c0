export * from './check';
export * from './limits';
export * from './permission';
export * from './registry';
export * from './triage';
