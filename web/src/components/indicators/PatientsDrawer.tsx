// The patients behind a number at a scope (GET /api/indicators/patients): the groups of the indicator
// with their counts from the report (numerator, the whole denominator, those not in the numerator; for a
// control rate each group and those left out), a page of 50 at a time, the page as CSV. The analyst sees
// names and ID numbers masked; a role or area that may not see them gets a polite refusal.
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Empty, Result, Segmented, Table, type TableColumnsType, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { actionErrorLines } from '../../formErrors.ts';
import type { IndicatorPatient, IndicatorScope, PatientGroup, PatientIndicator } from '../../pages/indicators/types.ts';
import type { Role } from '../../types.ts';
import { useIndicatorPatients } from './api.ts';
import { downloadCsv, safeFileName } from './csv.ts';
import { type RateKey, count } from './rates.ts';

const PAGE_SIZE = 50;

const RATE_OF: Record<PatientIndicator, RateKey> = {
  contracting: 'contracting',
  registered: 'registered',
  'standardised_management.hypertension': 'sm_ht',
  'standardised_management.diabetes': 'sm_dm',
  'control.hypertension': 'control_ht',
  'control.diabetes': 'control_dm',
};

/** The groups of an indicator with their counts, as the report has them. */
function groupsOf(scope: IndicatorScope, indicator: PatientIndicator): Array<{ group: PatientGroup; n: number }> {
  const i = scope.indicators;
  const [kind, disease] = indicator.split('.') as [string, 'hypertension' | 'diabetes' | undefined];
  const r = kind === 'contracting' ? i.contracting : kind === 'registered' ? i.registered : kind === 'standardised_management' ? i.standardised_management[disease!] : i.control[disease!];
  const base: Array<{ group: PatientGroup; n: number }> = [
    { group: 'numerator', n: r.numerator },
    { group: 'not_met', n: r.denominator - r.numerator },
    { group: 'denominator', n: r.denominator },
  ];
  if (kind !== 'control') return base;
  const c = i.control[disease!];
  return [
    base[0],
    { group: 'uncontrolled', n: c.groups.uncontrolled },
    { group: 'visited_no_reading', n: c.groups.visited_no_reading },
    { group: 'missed_visit', n: c.groups.missed_visit },
    base[2],
    { group: 'registered_last_3_months', n: c.excluded.registered_last_3_months },
    { group: 'lost_to_follow_up', n: c.excluded.lost_to_follow_up },
  ];
}

interface Props {
  open: boolean;
  onClose: () => void;
  role: Role;
  year: number;
  quarter: number | null;
  periodLabel: string;
  scope: IndicatorScope;
  indicator: PatientIndicator;
}

export default function PatientsDrawer({ open, onClose, role, year, quarter, periodLabel, scope, indicator }: Props) {
  const { t } = useTranslation();
  const isControl = indicator.startsWith('control.');
  const [group, setGroup] = useState<PatientGroup>(isControl ? 'uncontrolled' : 'not_met');
  const [page, setPage] = useState(1);
  useEffect(() => {
    setGroup(indicator.startsWith('control.') ? 'uncontrolled' : 'not_met');
    setPage(1);
  }, [indicator, scope.code]);

  const list = useIndicatorPatients(open ? { year, quarter, level: scope.level, code: scope.code, indicator, group, page, pageSize: PAGE_SIZE } : null);
  const forbidden = list.error instanceof ApiError && list.error.status === 403;
  const rateName = t(`indicators.names.${RATE_OF[indicator]}`);
  const items = list.data?.items ?? [];

  const stateText = (s: string | null) => (s ? t(`indicators.patients.states.${s}`, { defaultValue: s }) : '');
  const sexText = (s: string) => t(`person.sex.${s}`, { defaultValue: s });
  const columns: TableColumnsType<IndicatorPatient> = [
    { key: 'name', title: t('indicators.patients.name'), render: (_, p) => p.name },
    { key: 'idNumber', title: t('indicators.patients.idNumber'), render: (_, p) => <span className="mono">{p.idNumber}</span> },
    { key: 'sex', title: t('indicators.patients.sex'), render: (_, p) => sexText(p.sex) },
    { key: 'age', title: t('indicators.patients.age'), align: 'right', render: (_, p) => p.age },
    { key: 'county', title: t('indicators.patients.county'), render: (_, p) => p.countyName ?? '—' },
    { key: 'team', title: t('indicators.patients.team'), render: (_, p) => p.teamName ?? t('indicators.patients.noTeam') },
    ...(isControl ? [{ key: 'state', title: t('indicators.patients.state'), render: (_: unknown, p: IndicatorPatient) => stateText(p.state) }] : []),
  ];

  const exportCsv = () => {
    const header = columns.map((c) => String(c.title));
    const rows = items.map((p) => [p.name, p.idNumber, sexText(p.sex), p.age, p.countyName ?? '', p.teamName ?? t('indicators.patients.noTeam'), ...(isControl ? [stateText(p.state)] : [])]);
    const suffix = list.data && list.data.total > PAGE_SIZE ? `-p${page}` : '';
    downloadCsv(safeFileName(`${scope.name}-${periodLabel}-${rateName}-${t(`indicators.patients.groups.${group}`)}${suffix}.csv`), header, rows);
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={1000}
      destroyOnHidden
      title={
        <div>
          {t('indicators.patients.title', { indicator: rateName })}
          <div className="cell-sub">{t('indicators.patients.scope', { level: t(`indicators.levels.${scope.level}`), name: scope.name, period: periodLabel })}</div>
        </div>
      }
      extra={
        <Button icon={<DownloadOutlined />} onClick={exportCsv} disabled={!items.length || forbidden} data-testid="patients-csv">
          {list.data && list.data.total > PAGE_SIZE ? t('indicators.csv.page') : t('indicators.csv.button')}
        </Button>
      }
      data-testid="patients-drawer"
    >
      {forbidden ? (
        <Result status="403" title={t('indicators.patients.forbiddenTitle')} subTitle={t('indicators.patients.forbidden')} data-testid="patients-forbidden" />
      ) : (
        <div className="stack-8">
          <Segmented<PatientGroup>
            value={group}
            onChange={(g) => {
              setGroup(g);
              setPage(1);
            }}
            options={groupsOf(scope, indicator).map(({ group: g, n }) => ({
              value: g,
              label: (
                <span data-testid={`patients-group-${g}`}>
                  {t(`indicators.patients.groups.${g}`)} {count(n)}
                </span>
              ),
            }))}
            className="ind-groups"
          />
          <Typography.Text type="secondary" className="ind-hint">
            {role === 'analyst' ? t('indicators.patients.masked') : t('indicators.patients.audited')}
            {list.data ? <> · <span data-testid="patients-total">{t('indicators.patients.total', { total: count(list.data.total) })}</span></> : null}
          </Typography.Text>
          {list.isError ? <Alert type="error" showIcon title={actionErrorLines(list.error).join('；')} /> : null}
          <Table<IndicatorPatient>
            size="small"
            rowKey="personId"
            columns={columns}
            dataSource={items}
            loading={list.isFetching}
            pagination={
              list.data && list.data.total > PAGE_SIZE
                ? { current: page, pageSize: PAGE_SIZE, total: list.data.total, showSizeChanger: false, size: 'small', onChange: setPage }
                : false
            }
            onRow={() => ({ 'data-testid': 'patient-row' }) as React.HTMLAttributes<HTMLElement>}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('indicators.patients.empty')} /> }}
          />
        </div>
      )}
    </Drawer>
  );
}
