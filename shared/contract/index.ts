export * from './calls';
export * from './define';
export * from './dispatch';
export * from './events';
