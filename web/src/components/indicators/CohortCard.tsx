// 队列: the patients registered in a quarter and their state two quarters later (GET /api/indicators/cohort),
// per county and disease — how many are controlled, still uncontrolled, missed their visits, were lost,
// died or left the programme. The quarter offered is the latest whose two quarters have passed.
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Select, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { downloadCsv } from './csv.ts';

const STATES = ['controlled', 'uncontrolled', 'visited_no_reading', 'missed_visit', 'lost_to_follow_up', 'dead', 'not_registered'] as const;
type State = (typeof STATES)[number] | 'registered_last_3_months';
interface Cohort {
  registered: { year: number; quarter: number; start: string; end: string };
  observedAt: string;
  counties: Array<{ code: string; name: string; hypertension: Record<State, number>; diabetes: Record<State, number> }>;
}

/** The quarters whose cohort can be seen by today: two quarters must have ended. */
function observableQuarters(today: string): Array<{ year: number; quarter: number }> {
  const year = Number(today.slice(0, 4));
  const current = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const out: Array<{ year: number; quarter: number }> = [];
  // the cohort of quarter q is seen at the end of quarter q + 2, which must have begun (the month rows say so to date)
  for (let k = 2; k < 10; k++) {
    const index = year * 4 + (current - 1) - k;
    out.push({ year: Math.floor(index / 4), quarter: (index % 4) + 1 });
  }
  return out;
}

export default function CohortCard({ today }: { today: string }) {
  const { t } = useTranslation();
  const options = observableQuarters(today);
  const [picked, setPicked] = useState(`${options[0].year}-${options[0].quarter}`);
  const [year, quarter] = picked.split('-').map(Number);
  const cohort = useQuery({
    queryKey: ['indicators', 'cohort', year, quarter],
    queryFn: ({ signal }) => api<Cohort>('/api/indicators/cohort', { query: { year, quarter }, signal }),
    staleTime: 60_000,
    meta: { silent: true },
  });
  const total = (r: Record<State, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const rows = (cohort.data?.counties ?? []).flatMap((c) => (['hypertension', 'diabetes'] as const).map((d) => ({ key: `${c.code}-${d}`, county: c.name, disease: d, ...c[d], total: total(c[d]) })));
  const pct = (n: number, of: number) => (of ? `${((n * 100) / of).toFixed(1)} %` : '—');
  const label = (s: string) => t(`indicators.cohort.states.${s}`);
  const exportCsv = () => downloadCsv(`cohort-${year}Q${quarter}.csv`, [t('indicators.cohort.county'), t('indicators.cohort.disease'), t('indicators.cohort.total'), ...STATES.map(label)],
    rows.map((r) => [r.county, t(`indicators.cohort.${r.disease}`), r.total, ...STATES.map((s) => r[s])]));
  return (
    <Card
      title={t('indicators.cohort.title')}
      data-testid="ind-cohort"
      extra={
        <>
          <Select size="small" className="select-240" value={picked} onChange={setPicked} options={options.map((o) => ({ value: `${o.year}-${o.quarter}`, label: t('indicators.cohort.quarter', o) }))} />
          <a onClick={exportCsv} className="ind-cohort__csv">{t('indicators.cohort.csv')}</a>
        </>
      }
    >
      {cohort.isError ? <Alert type="error" showIcon title={t('indicators.errors.load')} /> : null}
      {cohort.data ? <div className="ind-cohort__hint">{t('indicators.cohort.hint', { start: cohort.data.registered.start, end: cohort.data.registered.end, at: cohort.data.observedAt })}</div> : null}
      <Table
        size="small"
        loading={cohort.isFetching}
        pagination={false}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('indicators.cohort.county'), dataIndex: 'county' },
          { title: t('indicators.cohort.disease'), dataIndex: 'disease', render: (d: string) => t(`indicators.cohort.${d}`) },
          { title: t('indicators.cohort.total'), dataIndex: 'total', align: 'right' },
          ...STATES.map((s) => ({ title: label(s), key: s, align: 'right' as const, render: (_: unknown, r: (typeof rows)[number]) => `${r[s]}（${pct(r[s], r.total)}）` })),
        ]}
      />
    </Card>
  );
}
