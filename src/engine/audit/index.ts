// The smart audit's pure rules (智能审核, issue 15): docs/smart-audit.md.
export * from './types';
export * from './params';
export { auditClaims, packsAtMaximum } from './rules/claims';
export { auditPrescriptions } from './rules/prescriptions';
export { prescriberOutliers, shareBp, type DoctorDay } from './rules/outlier';
