// Reads and writes of health management: the chart, the team's worklists, the patient's own view.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';
import { currentLanguage } from '../../i18n/index.ts';
import type { Chart, MyFollowups, Reminder, Worklist, WorklistName } from './types.ts';

export const chartKey = (personId: string) => ['followups', 'chart', personId] as const;

export function useChart(personId: string | undefined) {
  return useQuery({
    queryKey: chartKey(personId ?? ''),
    queryFn: ({ signal }) => api<Chart>(`/api/people/${encodeURIComponent(personId ?? '')}/chart`, { signal }),
    enabled: !!personId,
    meta: { silent: true }, // the page shows the error itself
  });
}

export function useWorklist(list: WorklistName, page: number, pageSize: number, enabled = true) {
  return useQuery({
    queryKey: ['followups', 'worklist', list, page, pageSize],
    queryFn: ({ signal }) =>
      api<Worklist>('/api/team/worklist', { query: { list, limit: pageSize, offset: (page - 1) * pageSize }, signal }),
    enabled,
  });
}

export function useMyFollowups() {
  return useQuery({
    queryKey: ['followups', 'me'],
    queryFn: ({ signal }) => api<MyFollowups>('/api/people/me/followups', { signal }),
    meta: { silent: true },
  });
}

export function useMyReminders() {
  return useQuery({
    queryKey: ['followups', 'me', 'reminders'],
    queryFn: ({ signal }) => api<Reminder[]>('/api/people/me/reminders', { signal }),
    meta: { silent: true },
  });
}

/** After a visit or a check: the chart, the worklists and their counts change. */
export function useInvalidateFollowups() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['followups'] });
}

/** The worklist as CSV in the screen's language (the server writes Chinese unless English is asked for). */
export const worklistCsvUrl = (list: WorklistName) =>
  `/api/team/worklist.csv?list=${encodeURIComponent(list)}${currentLanguage() === 'en-US' ? '&lang=en' : ''}`;
