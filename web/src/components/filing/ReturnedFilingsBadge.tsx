// The count of the team's returned filings waiting for the doctor, beside 认定登记 in the menu.
import { useQuery } from '@tanstack/react-query';
import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';

export function useReturnedCount() {
  return useQuery({
    queryKey: ['filings', 'returnedCount'],
    queryFn: ({ signal }) => api<{ total: number }>('/api/filings?status=returned&limit=1', { signal }),
    refetchInterval: 60_000,
    meta: { silent: true },
  });
}

export default function ReturnedFilingsBadge() {
  const { t } = useTranslation();
  const count = useReturnedCount().data?.total ?? 0;
  if (!count) return null;
  return <Badge count={count} size="small" overflowCount={99} title={t('evidence.returnedWaiting', { count })} data-testid="returned-badge" />;
}
