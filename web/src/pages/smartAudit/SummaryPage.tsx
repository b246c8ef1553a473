// 审核汇总: per institution or per doctor for a period — claims, flagged, confirmed, the deductions and,
// for doctors, the assessment points (医保医师记分: the confirmed findings' rule points, for seed 001's
// 医保医师考核扣分) — as the API counts them (the reviewer's county, the analyst's city, an institution's
// administrator's own institution), sorted by the server, with its CSV of the same rows.
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Empty, Segmented, Table, type TableColumnsType, type TableProps, Typography } from 'antd';
import dayjs from 'dayjs';
import type { HTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { actionErrorLines } from '../../formErrors.ts';
import { ISO_DATE, fromIsoDate, toIsoDate, yuan } from '../../format.ts';
import { useUrlState } from '../../hooks/urlState.ts';
import { type SummaryBy, type SummaryQuery, type SummaryRow, summaryCsvHref, useSummary } from '../../components/smartAudit/api.ts';
import '../../components/smartAudit/smartAudit.css';

/** The server's sort keys (docs/smart-audit.md), by column. */
const SORTS = ['claims', 'amountFen', 'flaggedClaims', 'findings', 'confirmed', 'dismissed', 'open', 'deductionFen', 'points'] as const;
const DEFAULT_SORT = 'deductionFen';

export default function SummaryPage() {
  const { t } = useTranslation();
  const [params, update] = useUrlState();
  const by: SummaryBy = params.get('by') === 'doctor' ? 'doctor' : 'institution';
  // the year so far, unless the URL says otherwise
  const from = params.get('from') ?? dayjs().startOf('year').format(ISO_DATE);
  const to = params.get('to') ?? dayjs().format(ISO_DATE);
  const sortParam = params.get('sort');
  const sort = (SORTS as readonly string[]).includes(sortParam ?? '') && (sortParam !== 'points' || by === 'doctor') ? sortParam! : DEFAULT_SORT;
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';
  const query: SummaryQuery = { from, to, by, sort, order };
  const summary = useSummary(query);
  const rows = summary.data?.items ?? [];
  const totals = summary.data?.totals;

  const money = (fen: number) => `¥${yuan(fen)}`;
  const sorted = (key: string) => ({ sorter: true, sortOrder: sort === key ? (order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null });
  const num = (key: (typeof SORTS)[number], title: string, show: (r: SummaryRow) => ReactNode) => ({ key, title, align: 'right' as const, ...sorted(key), render: (_: unknown, r: SummaryRow) => show(r) });

  const columns: TableColumnsType<SummaryRow> = [
    {
      key: 'institution',
      title: t('smartAudit.fields.institution'),
      render: (_, r) => (
        <div>
          {r.institution.name}
          <div className="cell-sub">{t(`smartAudit.levels.${r.institution.level}`, { defaultValue: r.institution.level ?? '' })}</div>
        </div>
      ),
    },
    ...(by === 'doctor' ? [{ key: 'doctor', title: t('smartAudit.fields.doctor'), render: (_: unknown, r: SummaryRow) => r.doctor?.name ?? t('smartAudit.summary.noDoctor') }] : []),
    num('claims', t('smartAudit.summary.claims'), (r) => r.claims),
    num('amountFen', t('smartAudit.summary.claimsAmount'), (r) => (
      <div>
        {money(r.amountFen)}
        <div className="cell-sub">{t('smartAudit.summary.fundPayShort', { amount: yuan(r.fundPayFen) })}</div>
      </div>
    )),
    num('flaggedClaims', t('smartAudit.summary.flagged'), (r) => (
      <div>
        {r.flaggedClaims}
        <div className="cell-sub">{r.flaggedShareBp === null ? t('common.none') : `${(r.flaggedShareBp / 100).toFixed(2)}%`}</div>
      </div>
    )),
    num('findings', t('smartAudit.summary.findings'), (r) => r.findings),
    num('open', t('smartAudit.summary.open'), (r) => r.open),
    num('confirmed', t('smartAudit.summary.confirmed'), (r) => <span data-testid="summary-confirmed">{r.confirmed}</span>),
    num('dismissed', t('smartAudit.summary.dismissed'), (r) => r.dismissed),
    num('deductionFen', t('smartAudit.summary.deduction'), (r) => (
      <div>
        <span data-testid="summary-deduction" data-fen={r.deductionFen}>
          {money(r.deductionFen)}
        </span>
        {r.deductionFen ? (
          <div className="cell-sub sa-nowrap">{t('smartAudit.summary.deductionSplit', { institution: yuan(r.deductionInstitutionFen), doctor: yuan(r.deductionDoctorFen) })}</div>
        ) : null}
      </div>
    )),
    ...(by === 'doctor' ? [num('points', t('smartAudit.summary.points'), (r) => <span data-testid="summary-points">{r.points ?? 0}</span>)] : []),
  ];

  const onChange: TableProps<SummaryRow>['onChange'] = (_p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = s?.order ? String(s.columnKey) : null;
    update({ sort: key === DEFAULT_SORT ? null : key, order: s?.order === 'ascend' ? 'asc' : null });
  };

  return (
    <div className="page-stack">
      <Card
        className="list-card"
        title={t('smartAudit.summary.title')}
        extra={
          <Button icon={<DownloadOutlined />} href={summaryCsvHref(query)} disabled={!rows.length} data-testid="summary-csv">
            {t('smartAudit.summary.csv')}
          </Button>
        }
      >
        <div className="filter-bar">
          <Segmented
            value={by}
            onChange={(v) => update({ by: v === 'institution' ? null : String(v), sort: null, order: null })}
            options={(['institution', 'doctor'] as const).map((b) => ({ value: b, label: <span data-testid={`summary-by-${b}`}>{t(`smartAudit.summary.by.${b}`)}</span> }))}
            data-testid="summary-by"
          />
          <DatePicker.RangePicker
            format={ISO_DATE}
            allowClear={false}
            value={[fromIsoDate(from)!, fromIsoDate(to)!]}
            onChange={(v) => update({ from: toIsoDate(v?.[0]) ?? null, to: toIsoDate(v?.[1]) ?? null })}
            data-testid="summary-period"
          />
          <Typography.Text type="secondary" className="filter-total" data-testid="summary-total" data-deduction-fen={totals?.deductionFen ?? ''}>
            {totals
              ? t('smartAudit.summary.totals', { rows: rows.length, claims: totals.claims, flagged: totals.flaggedClaims, confirmed: totals.confirmed, amount: yuan(totals.deductionFen) })
              : null}
          </Typography.Text>
        </div>
        {summary.isError ? <Alert type="error" showIcon title={actionErrorLines(summary.error).join('；')} /> : null}
        <Table<SummaryRow>
          rowKey={(r) => `${r.institution.id}:${r.doctor?.id ?? ''}`}
          size="small"
          columns={columns}
          dataSource={rows}
          loading={summary.isFetching}
          onChange={onChange}
          showSorterTooltip={false}
          pagination={rows.length > 100 ? { pageSize: 100, size: 'small', showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          onRow={(r) => ({ 'data-testid': 'summary-row', 'data-institution-id': r.institution.id, 'data-doctor-id': r.doctor?.id ?? '' }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('smartAudit.summary.empty')} /> }}
        />
        {by === 'doctor' ? (
          <Typography.Paragraph type="secondary" className="sa-hint">
            {t('smartAudit.summary.pointsHint')}
          </Typography.Paragraph>
        ) : null}
      </Card>
    </div>
  );
}
