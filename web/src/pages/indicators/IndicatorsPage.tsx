// 指标看板 (issue 16): the programme's indicators for the analyst's city or the reviewer's county, a
// quarter or a whole year — every rate against its target, the four quarters' trend, the units below side
// by side, drill-down city → county → institution → team (the URL keeps year, quarter and scope), the
// patients behind a number, CSV of every table and the quarterly workbook (季报表) to download.
// The numbers are GET /api/indicators's numerators and denominators; the rates are computed on screen.
import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Alert, Breadcrumb, Button, Card, Segmented, Select, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth.ts';
import { actionErrorLines } from '../../formErrors.ts';
import { todayIso } from '../../format.ts';
import { useUrlState } from '../../hooks/urlState.ts';
import { errorLines } from '../../notify.ts';
import type { Role } from '../../types.ts';
import CohortCard from '../../components/indicators/CohortCard.tsx';
import CompareSection from '../../components/indicators/CompareSection.tsx';
import KpiGrid from '../../components/indicators/KpiGrid.tsx';
import PatientsDrawer from '../../components/indicators/PatientsDrawer.tsx';
import TrendChart from '../../components/indicators/TrendChart.tsx';
import { QUARTERS, downloadWorkbook, hasBegun, periodBounds, useIndicators, useQuarterReports } from '../../components/indicators/api.ts';
import { scopeTree } from '../../components/indicators/rates.ts';
import '../../components/indicators/indicators.css';
import type { PatientIndicator } from './types.ts';

/** As the access table grants indicators.patients.read (src/core/access.ts). */
const PATIENT_ROLES: readonly Role[] = ['analyst', 'insurance_reviewer'];
/** The years offered: this one and the four before. */
const YEARS_BACK = 4;

export default function IndicatorsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useMe();
  const role = me.data?.role ?? 'analyst';
  const [params, update] = useUrlState();
  const today = todayIso();
  const thisYear = Number(today.slice(0, 4));
  const currentQuarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;

  const yearParam = Number(params.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= 2000 && yearParam <= thisYear ? yearParam : thisYear;
  const qParam = params.get('quarter');
  // no quarter in the URL: this year's running quarter, a past year as a whole
  const quarter: number | null = qParam === 'year' ? null : ['1', '2', '3', '4'].includes(qParam ?? '') ? Number(qParam) : year === thisYear ? currentQuarter : null;
  const begun = hasBegun(year, quarter, today);

  const report = useIndicators(year, quarter, begun);
  const quarters = useQuarterReports(year, today);
  const [patients, setPatients] = useState<PatientIndicator | null>(null);
  const [downloading, setDownloading] = useState(false);

  const tree = scopeTree(report.data?.scopes ?? []);
  const scope = (params.get('at') ? tree.byCode.get(params.get('at')!) : undefined) ?? tree.root;
  const path = scope ? tree.path(scope.code) : [];
  const units = scope ? tree.children(scope.code) : [];
  const county = path.find((s) => s.level === 'county');

  const periodLabel = quarter === null ? t('indicators.periodYear', { year }) : t('indicators.periodQuarter', { year, n: quarter });
  const nominal = periodBounds(year, quarter);
  const running = today <= nominal.end;
  const period = report.data?.period;

  const open = (code: string) => update({ at: code === tree.root?.code ? null : code });

  const workbook = async () => {
    if (quarter === null) return;
    setDownloading(true);
    try {
      // the analyst: the county drilled into, else the whole city; a reviewer: their county
      await downloadWorkbook(year, quarter, county?.code ?? null);
      void message.success(t('indicators.workbook.done'));
    } catch (e) {
      void message.error(`${t('indicators.workbook.failed')}：${errorLines(e).join('；')}`);
    } finally {
      setDownloading(false);
    }
  };
  const workbookRegion = county ?? tree.root;

  return (
    <div className="page-stack ind-page" data-testid="indicators-page">
      <Card className="ind-head">
        <div className="ind-head__row">
          <div className="ind-head__title">
            <Typography.Title level={4} className="page-title">
              {t('indicators.title')}
              {tree.root ? (
                <Tag className="tag-gap" color="cyan">
                  {tree.root.name}
                </Tag>
              ) : null}
            </Typography.Title>
            <Typography.Text type="secondary" className="ind-hint">
              {t('indicators.hint')}
            </Typography.Text>
          </div>
          <Tooltip title={quarter === null ? t('indicators.workbook.needsQuarter') : t('indicators.workbook.hint')}>
            <Button type="primary" icon={<DownloadOutlined />} onClick={workbook} loading={downloading} disabled={quarter === null || !begun || !workbookRegion} data-testid="workbook-download">
              {workbookRegion ? t('indicators.workbook.of', { name: workbookRegion.name }) : t('indicators.workbook.button')}
            </Button>
          </Tooltip>
        </div>
        <div className="filter-bar ind-filters">
          <Select
            value={year}
            onChange={(v) => {
              // the quarter shown stays, unless it has not begun in the year chosen
              const q = quarter !== null && !hasBegun(v, quarter, today) ? currentQuarter : quarter;
              update({ year: v === thisYear ? null : String(v), quarter: q === null ? 'year' : String(q) });
            }}
            options={Array.from({ length: YEARS_BACK + 1 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: t('indicators.filters.yearValue', { year: y }) }))}
            className="ind-year"
            aria-label={t('indicators.filters.year')}
            data-testid="ind-year"
          />
          <Segmented<string>
            value={quarter === null ? 'year' : String(quarter)}
            onChange={(v) => update({ quarter: v })}
            options={[
              { value: 'year', label: <span data-testid="ind-quarter-year">{t('indicators.filters.wholeYear')}</span> },
              ...QUARTERS.map((q) => ({
                value: String(q),
                disabled: !hasBegun(year, q, today),
                label: (
                  <Tooltip title={hasBegun(year, q, today) ? undefined : t('indicators.filters.notBegun')}>
                    <span data-testid={`ind-quarter-${q}`}>{t('indicators.filters.quarterValue', { n: q })}</span>
                  </Tooltip>
                ),
              })),
            ]}
            data-testid="ind-quarter"
          />
          <Typography.Text type="secondary" className="ind-period" data-testid="ind-period">
            {period ? t('indicators.period', { start: period.start, end: period.end }) : t('indicators.period', nominal)}
            {period && running ? <> · {t('indicators.running', { today })}</> : null}
            {report.data ? <> · {t('indicators.version', { version: report.data.version })}</> : null}
          </Typography.Text>
        </div>
        {path.length ? (
          <Breadcrumb
            className="ind-crumbs"
            data-testid="ind-breadcrumb"
            items={path.map((s, i) => ({
              key: s.code,
              title:
                i < path.length - 1 ? (
                  <a
                    onClick={(e) => {
                      e.preventDefault();
                      open(s.code);
                    }}
                    href="#"
                    data-testid="crumb"
                  >
                    {s.name}
                  </a>
                ) : (
                  <span data-testid="crumb-current">
                    {s.name} <Tag className="tag-gap">{t(`indicators.levels.${s.level}`)}</Tag>
                  </span>
                ),
            }))}
          />
        ) : null}
      </Card>

      {!begun ? <Alert type="info" showIcon title={t('indicators.filters.notBegun')} /> : null}
      {report.isError ? <Alert type="error" showIcon title={`${t('indicators.errors.load')}：${actionErrorLines(report.error).join('；')}`} data-testid="ind-error" /> : null}

      {scope ? (
        <div className={report.isPlaceholderData ? 'ind-body ind-body--stale' : 'ind-body'}>
          <KpiGrid scope={scope} onPatients={PATIENT_ROLES.includes(role) ? setPatients : undefined} />
          <CompareSection
            key={scope.code}
            scope={scope}
            units={units}
            periodLabel={periodLabel}
            onOpen={open}
            beside={<TrendChart year={year} code={scope.code} scopeName={scope.name} reports={quarters.map((q) => q.data)} loading={quarters.some((q) => q.isFetching)} />}
          />
          <CohortCard today={today} />
          {patients ? (
            <PatientsDrawer open onClose={() => setPatients(null)} role={role} year={year} quarter={quarter} periodLabel={periodLabel} scope={scope} indicator={patients} />
          ) : null}
        </div>
      ) : begun && !report.isError ? (
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      ) : null}
    </div>
  );
}
