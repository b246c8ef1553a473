// 医保支付 (issue 17): the analyst's (city, or one county) and the county reviewer's screens for provider
// payment — capitation with balance retention by township, the medical community's total budget with
// Luohu's saving, the family doctors' contract fee by the 五率一比 score, and the standardised work
// equivalents, and what each institution is owed of them — for a year or a quarter (the URL keeps year, quarter, county, tab and the open record). The
// figures are GET /api/payments's, computed by the server's engine and stored as a run; the screen only
// writes them (fen as yuan, basis points as per cent) and opens what made them.
import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Alert, Button, Card, Segmented, Select, Skeleton, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth.ts';
import { paymentErrorLines } from '../../components/payments/errors.ts';
import { todayIso } from '../../format.ts';
import { useUrlState } from '../../hooks/urlState.ts';
import { QUARTERS, hasBegun, useIndicators } from '../../components/indicators/api.ts';
import BudgetDrawer from '../../components/payments/BudgetDrawer.tsx';
import BudgetTab from '../../components/payments/BudgetTab.tsx';
import CapitationDrawer from '../../components/payments/CapitationDrawer.tsx';
import CapitationTab from '../../components/payments/CapitationTab.tsx';
import ContractFeeDrawer from '../../components/payments/ContractFeeDrawer.tsx';
import ContractFeeTab from '../../components/payments/ContractFeeTab.tsx';
import ProvidersTab from '../../components/payments/ProvidersTab.tsx';
import RunLine from '../../components/payments/RunLine.tsx';
import WorkEquivalentTab from '../../components/payments/WorkEquivalentTab.tsx';
import { downloadPayments, usePayments } from '../../components/payments/api.ts';
import '../../components/payments/payments.css';

/** The years offered: this one and the four before. */
const YEARS_BACK = 4;
const TABS = ['capitation', 'budget', 'contractFee', 'workEquivalent', 'providers'] as const;
type Tab = (typeof TABS)[number];

export default function PaymentsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useMe();
  const isAnalyst = me.data?.role === 'analyst';
  const [params, update] = useUrlState();
  const today = todayIso();
  const thisYear = Number(today.slice(0, 4));
  const currentQuarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;

  const yearParam = Number(params.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= thisYear - YEARS_BACK && yearParam <= thisYear ? yearParam : thisYear;
  const qParam = params.get('quarter');
  // payment is yearly: the whole year (to date) unless a quarter is asked for
  const quarter: number | null = ['1', '2', '3', '4'].includes(qParam ?? '') ? Number(qParam) : null;
  const begun = hasBegun(year, quarter, today);
  const countyParam = params.get('county');
  const county = isAnalyst && countyParam && /^[0-9]{6}$/.test(countyParam) ? countyParam : null;
  const tabParam = params.get('tab') as Tab | null;
  const tab: Tab = tabParam && TABS.includes(tabParam) ? tabParam : 'capitation';
  const openCode = params.get('open');

  const report = usePayments({ year, quarter, county }, begun && me.isSuccess);
  // the city's counties with their names (the analyst narrows to one): the dashboard's report, shared with it
  const indicators = useIndicators(thisYear, currentQuarter, isAnalyst);
  const counties = (indicators.data?.scopes ?? []).filter((s) => s.level === 'county').sort((a, b) => a.code.localeCompare(b.code));
  const countyName = (code: string) => counties.find((c) => c.code === code)?.name ?? (me.data?.scope.id === code ? me.data.scope.name : code);
  const [downloading, setDownloading] = useState(false);

  const data = report.data;
  const periodLabel = quarter === null ? t('payments.periodYear', { year }) : t('payments.periodQuarter', { year, n: quarter });
  const regionName = data?.county ? countyName(data.county) : isAnalyst ? (me.data?.scope.name ?? data?.parameters.region.name) : me.data?.scope.name;

  const exportXlsx = async () => {
    setDownloading(true);
    try {
      await downloadPayments({ year, quarter, county });
      void message.success(t('payments.export.done'));
    } catch (e) {
      void message.error(t('payments.labelValue', { label: t('payments.export.failed'), value: paymentErrorLines(e).join('；') }));
    } finally {
      setDownloading(false);
    }
  };

  const open = (code: string | null) => update({ open: code });
  const close = () => open(null);
  const town = tab === 'capitation' && openCode ? data?.results.capitation.find((c) => c.town_code === openCode) : undefined;
  const community = tab === 'budget' && openCode ? data?.results.budget.find((b) => b.community_id === openCode) : undefined;
  const team = tab === 'contractFee' && openCode ? data?.results.contract_fee.find((f) => f.team_id === openCode) : undefined;

  return (
    <div className="page-stack pay-page" data-testid="payments-page">
      <Card className="pay-head">
        <div className="pay-head__row">
          <div className="pay-head__title">
            <Typography.Title level={4} className="page-title">
              {t('payments.title')}
              {regionName ? (
                <Tag className="tag-gap" color="cyan" data-testid="pay-region">
                  {regionName}
                </Tag>
              ) : null}
            </Typography.Title>
            <Typography.Text type="secondary" className="pay-hint">
              {t('payments.hint')}
            </Typography.Text>
          </div>
          <Tooltip title={t('payments.export.hint')}>
            <Button type="primary" icon={<DownloadOutlined />} onClick={exportXlsx} loading={downloading} disabled={!begun || !data} data-testid="pay-export">
              {t('payments.export.button')}
            </Button>
          </Tooltip>
        </div>
        <div className="filter-bar pay-filters">
          <Select
            value={year}
            onChange={(v) => {
              const q = quarter !== null && !hasBegun(v, quarter, today) ? null : quarter;
              update({ year: v === thisYear ? null : String(v), quarter: q === null ? null : String(q), open: null });
            }}
            options={Array.from({ length: YEARS_BACK + 1 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: t('payments.filters.yearValue', { year: y }) }))}
            className="pay-year"
            aria-label={t('payments.filters.year')}
            data-testid="pay-year"
          />
          <Segmented<string>
            value={quarter === null ? 'year' : String(quarter)}
            onChange={(v) => update({ quarter: v === 'year' ? null : v, open: null })}
            options={[
              { value: 'year', label: <span data-testid="pay-quarter-year">{t('payments.filters.wholeYear')}</span> },
              ...QUARTERS.map((q) => ({
                value: String(q),
                disabled: !hasBegun(year, q, today),
                label: (
                  <Tooltip title={hasBegun(year, q, today) ? undefined : t('payments.filters.notBegun')}>
                    <span data-testid={`pay-quarter-${q}`}>{t('payments.filters.quarterValue', { n: q })}</span>
                  </Tooltip>
                ),
              })),
            ]}
            data-testid="pay-quarter"
          />
          {isAnalyst ? (
            <Select<string>
              value={county ?? ''}
              onChange={(v) => update({ county: v || null, open: null })}
              options={[{ value: '', label: t('payments.filters.allCounties') }, ...counties.map((c) => ({ value: c.code, label: c.name }))]}
              loading={indicators.isPending}
              className="pay-county"
              aria-label={t('payments.filters.county')}
              data-testid="pay-county"
            />
          ) : null}
          <Typography.Text type="secondary" className="pay-period" data-testid="pay-period">
            {data ? t('payments.period', { start: data.period.start, end: data.period.end }) : null}
            {data && data.period.as_of < data.period.end ? <> · {t('payments.running')}</> : null}
            {data && data.period.quarter !== null && data.period.quarter > 1 ? <> · {t('payments.fromJanuary')}</> : null}
          </Typography.Text>
        </div>
        {data ? <RunLine report={data} /> : null}
      </Card>

      {!begun ? <Alert type="info" showIcon title={t('payments.filters.notBegun')} /> : null}
      {report.isError ? <Alert type="error" showIcon title={t('payments.labelValue', { label: t('payments.errors.load'), value: paymentErrorLines(report.error).join('；') })} data-testid="pay-error" /> : null}

      {data ? (
        <div className={report.isPlaceholderData ? 'pay-body pay-body--stale' : 'pay-body'}>
          <Tabs
            activeKey={tab}
            onChange={(k) => update({ tab: k === 'capitation' ? null : k, open: null })}
            className="pay-tabs"
            destroyOnHidden
            items={[
              { key: 'capitation', label: <span data-testid="pay-tab-capitation">{t('payments.tabs.capitation')}</span>, children: <CapitationTab report={data} onOpen={open} countyName={countyName} /> },
              { key: 'budget', label: <span data-testid="pay-tab-budget">{t('payments.tabs.budget')}</span>, children: <BudgetTab report={data} onOpen={open} /> },
              { key: 'contractFee', label: <span data-testid="pay-tab-contractFee">{t('payments.tabs.contractFee')}</span>, children: <ContractFeeTab report={data} onOpen={open} /> },
              { key: 'workEquivalent', label: <span data-testid="pay-tab-workEquivalent">{t('payments.tabs.workEquivalent')}</span>, children: <WorkEquivalentTab report={data} /> },
              { key: 'providers', label: <span data-testid="pay-tab-providers">{t('payments.tabs.providers')}</span>, children: <ProvidersTab report={data} /> },
            ]}
          />
          {town ? <CapitationDrawer key={town.town_code} report={data} town={town} periodLabel={periodLabel} onClose={close} /> : null}
          {community ? <BudgetDrawer key={community.community_id} report={data} community={community} periodLabel={periodLabel} onClose={close} /> : null}
          {team ? <ContractFeeDrawer key={team.team_id} report={data} team={team} periodLabel={periodLabel} onClose={close} /> : null}
        </div>
      ) : begun && !report.isError ? (
        <Card>
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      ) : null}
    </div>
  );
}
