// 认定登记 (family doctor): the team's filings by status — submitted, returned with the reviewer's
// reason, approved, withdrawn. A returned filing opens for correction and is submitted again (PUT);
// an open one can be withdrawn.
import { ExclamationCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Badge, Button, Card, Drawer, Empty, Popconfirm, Select, Skeleton, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import FilingDetail from '../components/filing/FilingDetail.tsx';
import FilingFormDrawer, { type FilingTarget } from '../components/filing/FilingFormDrawer.tsx';
import { AgeDaysTag } from '../components/labels.tsx';
import { actionErrorLines } from '../formErrors.ts';
import { formatDateTime } from '../format.ts';
import type { FilingKind, FilingStatus, FilingSummary, FilingView } from '../types.ts';
import { pageOf, serverPagination, useUrlState } from '../hooks/urlState.ts';
import FilterBar, { DiseaseFilter } from '../components/FilterBar.tsx';
import { filingKindAndDiseaseColumns } from '../components/filing/columns.tsx';
import { usePagedList, useTabCounts } from '../hooks/lists.ts';
import { PersonNameCell } from '../components/PersonCells.tsx';
import ApprovedSince from '../components/filing/ApprovedSince.tsx';
import { RequestedTags, useReturnReasonText } from '../components/filing/ReturnReason.tsx';

const PAGE_SIZE = 20;
const STATUSES: FilingStatus[] = ['submitted', 'returned', 'approved', 'withdrawn'];
const KINDS: FilingKind[] = ['initial', 'change', 'revocation'];

export default function FilingsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [params, update] = useUrlState();
  const [returnedCount, setReturnedCount] = useState<number | null>(null);
  // by default the returned filings, which need the doctor; when there are none, those awaiting review
  const status = (STATUSES as string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as FilingStatus)
    : returnedCount === 0
      ? 'submitted'
      : 'returned';
  const kind = (params.get('kind') as FilingKind | null) ?? undefined;
  const disease = params.get('disease') ?? undefined;
  const q = (params.get('q') ?? '').trim();
  const page = pageOf(params);
  const openId = params.get('filing');
  const [fixTarget, setFixTarget] = useState<FilingTarget | null>(null);
  const reasonText = useReturnReasonText();
  const [openings, setOpenings] = useState(0);

  const filings = usePagedList<FilingSummary>('/api/filings', ['filings', 'team'], { status, kind, disease, q: q || undefined }, page, PAGE_SIZE);
  const counts = useTabCounts('/api/filings', ['filings', 'team'], 'status', STATUSES);

  const returnedTotal = counts[1];
  useEffect(() => {
    if (returnedTotal !== undefined) setReturnedCount(returnedTotal);
  }, [returnedTotal]);

  const detail = useQuery({
    queryKey: ['filings', 'detail', openId],
    queryFn: ({ signal }) => api<FilingView>(`/api/filings/${openId}`, { signal }),
    enabled: openId !== null,
  });

  const withdraw = useMutation({
    mutationFn: (id: string) => api<FilingView>(`/api/filings/${id}/withdraw`, { method: 'POST' }),
    meta: { silent: true },
    onSuccess: () => {
      void message.success(t('filing.withdrawn'));
      for (const key of ['filings', 'team', 'eligibility']) void client.invalidateQueries({ queryKey: [key] });
    },
    onError: (error) => void message.error(actionErrorLines(error).join('；')),
  });

  const startFix = async (id: string) => {
    try {
      const filing = await client.fetchQuery({
        queryKey: ['filings', 'detail', id],
        queryFn: () => api<FilingView>(`/api/filings/${id}`),
      });
      setOpenings((n) => n + 1);
      setFixTarget({
        mode: 'fix',
        person: filing.person,
        conditions: filing.diseases.map((d) => ({ code: d.code, name: d.name })),
        registrations: [],
        filing,
      });
    } catch (error) {
      void message.error(actionErrorLines(error).join('；'));
    }
  };

  const columns: TableColumnsType<FilingSummary> = [
    {
      title: t('person.fields.name'),
      key: 'person',
      render: (_, f) => (
        <PersonNameCell
          link={
            <Typography.Link strong onClick={() => update({ filing: f.id, page: String(page) })} data-testid="filing-person-link">
              {f.person.name}
            </Typography.Link>
          }
          sex={f.person.sex}
          age={f.person.age}
        >
          {' · '}
          <span className="mono">{f.person.idNumber}</span>
        </PersonNameCell>
      ),
    },
    ...filingKindAndDiseaseColumns(t),
    {
      title: t('filing.submittedAt'),
      key: 'submittedAt',
      render: (_, f) => (
        <div>
          <span className="mono">{formatDateTime(f.submittedAt)}</span>
          {f.status === 'submitted' ? (
            <div>
              <AgeDaysTag days={f.ageDays} />
            </div>
          ) : null}
        </div>
      ),
    },
    ...(status === 'returned'
      ? [
          {
            title: t('filing.returnReason'),
            key: 'reason',
            render: (_: unknown, f: FilingSummary) => (
              <div>
                <Typography.Text type="danger" data-testid="decision-reason">
                  <ExclamationCircleOutlined /> {reasonText(f.decisionReasonCode, f.decisionReason)}
                </Typography.Text>
                <RequestedTags kinds={f.requestedAttachments} />
              </div>
            ),
          },
        ]
      : []),
    {
      title: t('common.actions'),
      key: 'actions',
      width: 240,
      render: (_, f) => (
        <Space size={4}>
          <Button size="small" type="link" onClick={() => update({ filing: f.id, page: String(page) })} data-testid="filing-view">
            {t('common.view')}
          </Button>
          {f.status === 'returned' ? (
            <Button size="small" type="primary" onClick={() => void startFix(f.id)} data-testid="filing-fix">
              {t('filing.fix')}
            </Button>
          ) : null}
          {f.status === 'returned' || f.status === 'submitted' ? (
            <Popconfirm
              title={t('filing.withdrawConfirm')}
              okText={t('filing.withdraw')}
              cancelText={t('common.cancel')}
              onConfirm={() => withdraw.mutate(f.id)}
            >
              <Button size="small" type="text" danger data-testid="filing-withdraw">
                {t('filing.withdraw')}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  const opened = detail.data;

  return (
    <div className="page-stack">
      <ApprovedSince onOpen={(id) => update({ filing: id })} />
      <Card
        className="list-card"
        title={t('filing.pageTitle')}
        activeTabKey={status}
        onTabChange={(key) => update({ status: key })}
        tabList={STATUSES.map((s, i) => ({
          key: s,
          label: (
            <span data-testid={`status-${s}`}>
              {t(`filingStatus.${s}`)}
              <Badge
                count={counts[i] ?? 0}
                showZero
                overflowCount={9999}
                color={s === 'returned' ? 'red' : s === 'submitted' ? 'blue' : '#8c9aa5'}
                className="tab-badge"
              />
            </span>
          ),
        }))}
      >
        <FilterBar query={q} onQuery={(query) => update({ q: query })} total={filings.data?.total} testId="filings-filter">
          <Select
            allowClear
            placeholder={t('filters.kind')}
            value={kind}
            onChange={(v) => update({ kind: v })}
            options={KINDS.map((k) => ({ value: k, label: t(`filingKind.${k}`) }))}
            className="filter-select"
          />
          <DiseaseFilter value={disease} onChange={(v) => update({ disease: v })} />
        </FilterBar>
        <Table<FilingSummary>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={filings.data?.items ?? []}
          loading={filings.isFetching}
          scroll={{ x: 'max-content' }}
          onRow={(f) => ({ 'data-testid': 'filing-row', 'data-filing-id': f.id }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`filing.empty.${status}`)} /> }}
          pagination={serverPagination(filings.data?.total, page, PAGE_SIZE, update)}
        />
      </Card>

      <Drawer
        open={openId !== null}
        size={960}
        title={opened ? t('filing.detailTitle', { name: opened.person.name }) : t('filing.detail')}
        onClose={() => update({ filing: null, page: String(page) })}
        data-testid="filing-detail-drawer"
        footer={
          opened && (opened.status === 'returned' || opened.status === 'submitted') ? (
            <div className="drawer-footer">
              <Popconfirm
                title={t('filing.withdrawConfirm')}
                okText={t('filing.withdraw')}
                cancelText={t('common.cancel')}
                onConfirm={() => withdraw.mutate(opened.id, { onSuccess: () => update({ filing: null }) })}
              >
                <Button danger loading={withdraw.isPending}>
                  {t('filing.withdraw')}
                </Button>
              </Popconfirm>
              {opened.status === 'returned' ? (
                <Button type="primary" onClick={() => void startFix(opened.id)} data-testid="drawer-fix">
                  {t('filing.fix')}
                </Button>
              ) : null}
            </div>
          ) : null
        }
      >
        {opened && opened.id === openId ? <FilingDetail filing={opened} /> : <Skeleton active />}
      </Drawer>

      <FilingFormDrawer
        key={`fix-${openings}`}
        target={fixTarget}
        onClose={(done) => {
          setFixTarget(null);
          if (done) update({ filing: null });
        }}
      />
    </div>
  );
}
