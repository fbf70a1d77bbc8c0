export * from './deadline';
export * from './lifecycle';
export * from './tiers';
