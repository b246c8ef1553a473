// 随访管理: the team's worklist at /follow-ups and a patient's health record (健康档案) at
// /follow-ups/patients/:id. The chart page (with ECharts) loads only when it is opened.
import { Spin } from 'antd';
import { Suspense, lazy } from 'react';
import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from './StatusPages.tsx';

const FollowUpWorklistPage = lazy(() => import('./FollowUpWorklistPage.tsx'));
const FollowUpChartPage = lazy(() => import('./FollowUpChartPage.tsx'));

export default function FollowUpsPage() {
  return (
    <Suspense
      fallback={
        <div className="page-loading">
          <Spin />
        </div>
      }
    >
      <Routes>
        <Route index element={<FollowUpWorklistPage />} />
        <Route path="patients/:id" element={<FollowUpChartPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Suspense>
  );
}
