// Where the health-management screens live (the route table mounts them under /follow-ups).
export const WORKLIST_PATH = '/follow-ups';

/** A patient's health record (健康档案). */
export const chartPath = (personId: string) => `${WORKLIST_PATH}/patients/${encodeURIComponent(personId)}`;
