export * from './schema';
export { loadPolicy, PolicyError, type PolicyIssue } from './load';
