export * from './check';
export * from './permission';
export * from './registry';
export * from './triage';
