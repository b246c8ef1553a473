// Where the health-management screens live (the route table mounts them under /follow-ups).
export const WORKLIST_PATH = '/follow-ups';

/** A patient's health record (健康档案). */
export const chartPath = (personId: string) => `${WORKLIST_PATH}/patients/${encodeURIComponent(personId)}`;

/** The same record as the hospital doctor reads it, under 转入患者 (pages/referrals/ReferredChartPage.tsx). */
export const referredChartPath = (personId: string) => `/referrals/incoming/patients/${encodeURIComponent(personId)}`;
