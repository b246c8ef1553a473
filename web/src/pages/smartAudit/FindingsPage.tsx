// 智能审核 · 疑点 (insurance reviewer): the county's findings of the after-the-event audit, newest service
// date first — filtered by status, rule, institution and period (all in the URL) — each with its rule,
// date, person (masked), institution, doctor and the amount at stake; the drawer (Back closes it) shows
// the rule, the evidence fact by fact, the claim or prescription and the history, and takes the decision:
// 确认 with a deduction, 排除 with a reason, or 重新打开.
import { CheckOutlined, CloseOutlined, ReloadOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Drawer, Empty, Segmented, Select, Skeleton, Space, Table, type TableColumnsType, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { actionErrorLines } from '../../formErrors.ts';
import { ISO_DATE, fromIsoDate, toIsoDate, yuan } from '../../format.ts';
import { useOverlay } from '../../hooks/overlay.ts';
import { pageOf, serverPagination, useUrlState } from '../../hooks/urlState.ts';
import DecisionModal, { type DecisionTarget } from '../../components/smartAudit/DecisionModal.tsx';
import { NamesProvider } from '../../components/smartAudit/Evidence.tsx';
import FindingDetail from '../../components/smartAudit/FindingDetail.tsx';
import { FindingStatusTag } from '../../components/smartAudit/labels.tsx';
import { FINDING_STATUSES, type FindingStatus, type FindingSummary, findingTitle, ruleTitle, useEvidenceNames, useFinding, useFindings, useInstitutions, useRuleByCode } from '../../components/smartAudit/api.ts';
import '../../components/smartAudit/smartAudit.css';

/** The server's default page size (docs/smart-audit.md), until its answer says. */
const PAGE_SIZE = 50;
const ALL = 'all';

export default function FindingsPage() {
  const { t } = useTranslation();
  const [params, update] = useUrlState();
  const rawStatus = params.get('status');
  // the queue opens on what is still to decide; 全部 lists every status
  const status: FindingStatus | undefined = rawStatus === ALL ? undefined : (FINDING_STATUSES as string[]).includes(rawStatus ?? '') ? (rawStatus as FindingStatus) : 'open';
  const rule = params.get('rule') ?? undefined;
  const institutionId = params.get('institution') ?? undefined;
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const page = pageOf(params);
  const openId = params.get('finding');

  const rules = useRuleByCode();
  const list = useFindings({ status, rule, institutionId, from, to }, page);
  const detail = useFinding(openId);
  // the county's institutions, for the filter and to name the places the evidence refers to
  const institutions = useInstitutions();
  const names = useEvidenceNames();
  const decision = useOverlay<DecisionTarget>('finding-decision');

  const columns: TableColumnsType<FindingSummary> = [
    {
      title: t('smartAudit.fields.rule'),
      key: 'rule',
      render: (_, f) => (
        <div>
          <Typography.Link strong onClick={() => update({ finding: f.id, page: page === 1 ? null : String(page) })} data-testid="finding-link">
            {findingTitle(f)}
          </Typography.Link>
        </div>
      ),
    },
    { title: t('smartAudit.fields.serviceDate'), dataIndex: 'serviceDate', render: (d: string) => <span className="mono sa-nowrap">{d}</span> },
    {
      title: t('smartAudit.fields.person'),
      key: 'person',
      render: (_, f) =>
        f.person ? (
          <div>
            {f.person.name}
            <div className="cell-sub mono">{f.person.idNumber}</div>
          </div>
        ) : (
          <span className="cell-sub">{t('smartAudit.fields.noPerson')}</span>
        ),
    },
    { title: t('smartAudit.fields.institution'), key: 'institution', render: (_, f) => f.institution.name },
    { title: t('smartAudit.fields.doctor'), key: 'doctor', render: (_, f) => f.doctor?.name ?? t('common.none') },
    {
      title: t('smartAudit.fields.amount'),
      key: 'amount',
      align: 'right',
      render: (_, f) => <span className="sa-nowrap" data-testid="finding-row-amount">¥{yuan(f.amountFen)}</span>,
    },
    {
      title: t('smartAudit.fields.status'),
      key: 'status',
      render: (_, f) => (
        <div>
          <FindingStatusTag status={f.status} />
          {f.status === 'confirmed' && f.deductionFen !== null ? (
            <div className="cell-sub">{t('smartAudit.deductionShort', { amount: yuan(f.deductionFen), against: t(`smartAudit.against.${f.deductionAgainst ?? 'institution'}`) })}</div>
          ) : f.decisionReason ? (
            <div className="cell-sub sa-ellipsis">{f.decisionReason}</div>
          ) : null}
        </div>
      ),
    },
  ];

  const opened = detail.data && detail.data.id === openId ? detail.data : undefined;
  const range: [ReturnType<typeof fromIsoDate> | null, ReturnType<typeof fromIsoDate> | null] = [fromIsoDate(from) ?? null, fromIsoDate(to) ?? null];
  const ruleOptions = [...rules.values()].map((r) => ({ value: r.code, label: ruleTitle(r, r.code) }));

  return (
    <div className="page-stack">
      <Card
        className="list-card"
        title={
          <Space size={12} wrap>
            <span>{t('smartAudit.findings.title')}</span>
            <Segmented
              size="small"
              value={status ?? ALL}
              onChange={(v) => update({ status: v === 'open' ? null : String(v), finding: null })}
              options={[...FINDING_STATUSES, ALL].map((s) => ({ value: s, label: t(`smartAudit.statusTabs.${s}`) }))}
              data-testid="findings-status"
            />
          </Space>
        }
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('smartAudit.refresh')} data-testid="findings-refresh" />
        }
      >
        <div className="filter-bar" data-testid="findings-filters">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('smartAudit.fields.rule')}
            value={rule}
            onChange={(v) => update({ rule: v })}
            options={ruleOptions}
            className="filter-select"
            style={{ width: 220 }}
            data-testid="findings-filter-rule"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('smartAudit.fields.institution')}
            value={institutionId}
            onChange={(v) => update({ institution: v })}
            options={(institutions.data ?? []).map((i) => ({ value: i.id, label: i.name }))}
            className="filter-select"
            style={{ width: 240 }}
            data-testid="findings-filter-institution"
          />
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            format={ISO_DATE}
            value={range}
            onChange={(v) => update({ from: toIsoDate(v?.[0]) ?? null, to: toIsoDate(v?.[1]) ?? null })}
            placeholder={[t('smartAudit.filters.from'), t('smartAudit.filters.to')]}
            data-testid="findings-filter-dates"
          />
          <Typography.Text type="secondary" className="filter-total" data-testid="findings-total" data-total={list.data?.total ?? ''}>
            {list.data ? t('common.total', { total: list.data.total }) : null}
          </Typography.Text>
        </div>
        {list.isError ? <Alert type="error" showIcon title={actionErrorLines(list.error).join('；')} /> : null}
        <Table<FindingSummary>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 'max-content' }}
          rowClassName={(f) => (f.id === openId ? 'row-selected' : 'row-clickable')}
          onRow={(f) =>
            ({
              'data-testid': 'finding-row',
              'data-finding-id': f.id,
              'data-rule': f.ruleCode,
              'data-status': f.status,
            }) as HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('smartAudit.findings.empty')} /> }}
          pagination={serverPagination(list.data?.total, page, list.data?.pageSize ?? PAGE_SIZE, update)}
        />
      </Card>

      <Drawer
        open={openId !== null}
        size={1000}
        title={opened ? findingTitle(opened) : t('smartAudit.findings.detail')}
        onClose={() => update({ finding: null, page: page === 1 ? null : String(page) })}
        data-testid="finding-drawer"
        footer={
          opened ? (
            <div className="drawer-footer">
              {opened.status === 'open' ? (
                <>
                  <Button icon={<CloseOutlined />} onClick={() => decision.open({ kind: 'dismiss', finding: opened })} data-testid="finding-dismiss">
                    {t('smartAudit.decide.action.dismiss')}
                  </Button>
                  <Button type="primary" danger icon={<CheckOutlined />} onClick={() => decision.open({ kind: 'confirm', finding: opened })} data-testid="finding-confirm">
                    {t('smartAudit.decide.action.confirm')}
                  </Button>
                </>
              ) : (
                <Button icon={<UndoOutlined />} onClick={() => decision.open({ kind: 'reopen', finding: opened })} data-testid="finding-reopen">
                  {t('smartAudit.decide.action.reopen')}
                </Button>
              )}
            </div>
          ) : null
        }
      >
        {opened ? (
          <NamesProvider value={{ ...names, institution: (id) => opened.institutionNames?.[id] ?? names.institution(id) }}>
            <FindingDetail finding={opened} />
          </NamesProvider>
        ) : detail.isError ? <Alert type="error" showIcon title={actionErrorLines(detail.error).join('；')} /> : <Skeleton active />}
      </Drawer>

      <DecisionModal key={`decision-${decision.openings}`} target={decision.value} onClose={() => decision.close()} />
    </div>
  );
}
