export * from './calls';
export * from './csp';
export * from './define';
export * from './dispatch';
export * from './events';
export * from './transport';
