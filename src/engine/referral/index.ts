export * from './status';
export * from './rules';
