export * from './amount';
export * from './currency';
export * from './fee';
export * from './locale';
