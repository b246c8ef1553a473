// The smart audit's review (issue 15): what other modules and the routes use. The findings' queue and
// decisions are in findings.ts, random sampling in samples.ts, the summaries in summary.ts
// (docs/smart-audit.md).
export { confirmFinding, dismissFinding, findingsQueue, getFinding, reopenFinding } from './findings';
export { closeSample, drawClaimSample, getSample, listSamples, markSampledClaim } from './samples';
export { auditSummary, summaryCsv, SUMMARY_CSV_COLUMNS } from './summary';
