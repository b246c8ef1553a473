// Two-way referral (双向转诊): what the routes and other modules use. Up-referrals and the hospital's
// answers are in up.ts, down-referrals, their follow-up and the extended prescription in down.ts, the
// boxes in lists.ts, the daily upkeep (expiry, follow-ups) in upkeep.ts; docs/referrals.md.
export { acceptReferral, attendReferral, declineReferral, referUp, type AcceptInput, type UpReferralInput } from './up';
export { completeReferral, extendReferral, followUpReferral, referDown, type DownReferralInput, type ExtendInput } from './down';
export { destinations, getReferral, listReferrals, personReferrals, type Box, type BoxQuery } from './lists';
export { expireStale, recordFollowUps, runReferralUpkeep, startReferralScheduler } from './upkeep';
export type { ReferralView } from './view';
