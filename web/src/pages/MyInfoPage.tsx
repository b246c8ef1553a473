// 我的信息: the patient's own header card (GET /api/people/me).
import { useQuery } from '@tanstack/react-query';
import { Button, Result, Spin } from 'antd';
import { Suspense, lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api.ts';
import PatientCard from '../components/PatientCard.tsx';
import { errorLines } from '../notify.ts';
import type { PersonDetail } from '../types.ts';

// my readings, next follow-up and reminders (ECharts loads with it, not with the shell)
const MyFollowUps = lazy(() => import('../components/followup/MyFollowUps.tsx'));

export default function MyInfoPage() {
  const { t } = useTranslation();
  const me = useQuery({
    queryKey: ['people', 'me'],
    queryFn: ({ signal }) => api<PersonDetail>('/api/people/me', { signal }),
    meta: { silent: true },
  });

  if (me.isError) {
    const missing = me.error instanceof ApiError && (me.error.status === 403 || me.error.status === 404);
    return (
      <Result
        status={missing ? 'info' : 'error'}
        title={missing ? t('person.myInfoMissing') : t('errors.loadFailed')}
        subTitle={missing ? undefined : errorLines(me.error).join('；')}
        extra={
          missing ? undefined : (
            <Button type="primary" onClick={() => void me.refetch()}>
              {t('common.retry')}
            </Button>
          )
        }
      />
    );
  }
  return (
    <div className="page-stack">
      <PatientCard person={me.data} loading={me.isPending} title={t('person.myInfoTitle')} />
      <Suspense fallback={<Spin />}>
        <MyFollowUps />
      </Suspense>
    </div>
  );
}
