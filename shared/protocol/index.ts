export * from './common';
export * from './entities';
export * from './errors';
export * from './feed';
export * from './presence';
export * from './routes';
export * from './snapshot';
