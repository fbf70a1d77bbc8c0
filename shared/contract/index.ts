export * from './calls';
export * from './channels';
export * from './csp';
export * from './define';
export * from './dispatch';
export * from './earnings';
export * from './events';
export * from './transport';
