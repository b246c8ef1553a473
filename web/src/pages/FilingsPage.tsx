// 认定登记 (family doctor): the team's filings by status — submitted, returned with the reviewer's
// reason, approved, withdrawn. A returned filing opens for correction and is submitted again (PUT);
// an open one can be withdrawn.
import { ExclamationCircleOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App as AntApp,
  Badge,
  Button,
  Card,
  Drawer,
  Empty,
  Input,
  Popconfirm,
  Select,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api.ts';
import FilingDetail from '../components/filing/FilingDetail.tsx';
import FilingFormDrawer, { type FilingTarget } from '../components/filing/FilingFormDrawer.tsx';
import { AgeDaysTag, FilingDiseaseTag, FilingKindTag } from '../components/labels.tsx';
import { actionErrorLines } from '../formErrors.ts';
import { TWO_DISEASES, formatDateTime, useDiseaseName } from '../format.ts';
import type { FilingKind, FilingStatus, FilingSummary, FilingView, Page } from '../types.ts';

const PAGE_SIZE = 20;
const STATUSES: FilingStatus[] = ['submitted', 'returned', 'approved', 'withdrawn'];
const KINDS: FilingKind[] = ['initial', 'change', 'revocation'];

export default function FilingsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const diseaseName = useDiseaseName();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
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
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const openId = params.get('filing');
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const [fixTarget, setFixTarget] = useState<FilingTarget | null>(null);
  const [openings, setOpenings] = useState(0);

  const update = (changes: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === undefined || value === '') next.delete(key);
      else next.set(key, value);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };

  const filings = useQuery({
    queryKey: ['filings', 'team', status, kind, disease, q, page],
    queryFn: ({ signal }) =>
      api<Page<FilingSummary>>('/api/filings', {
        query: { status, kind, disease, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
  const counts = useQueries({
    queries: STATUSES.map((s) => ({
      queryKey: ['filings', 'team', 'count', s],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api<Page<FilingSummary>>('/api/filings', { query: { status: s, limit: 1 }, signal }),
      meta: { silent: true },
    })),
  });

  const returnedTotal = counts[1]?.data?.total;
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
        <div>
          <Typography.Link strong onClick={() => update({ filing: f.id, page: String(page) })} data-testid="filing-person-link">
            {f.person.name}
          </Typography.Link>
          <div className="cell-sub">
            {t(`person.sex.${f.person.sex}`)} · {t('person.ageValue', { age: f.person.age })} ·{' '}
            <span className="mono">{f.person.idNumber}</span>
          </div>
        </div>
      ),
    },
    {
      title: t('filing.kind'),
      key: 'kind',
      render: (_, f) => <FilingKindTag kind={f.kind} changeReason={f.changeReason} revocationReason={f.revocationReason} />,
    },
    {
      title: t('filing.diseases'),
      key: 'diseases',
      render: (_, f) => (
        <Space size={[4, 4]} wrap>
          {f.diseases.map((d) => (
            <FilingDiseaseTag key={d.code} code={d.code} name={d.name} action={d.action} />
          ))}
        </Space>
      ),
    },
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
              <Typography.Text type="danger" data-testid="decision-reason">
                <ExclamationCircleOutlined /> {f.decisionReason}
              </Typography.Text>
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
                count={counts[i]?.data?.total ?? 0}
                showZero
                overflowCount={9999}
                color={s === 'returned' ? 'red' : s === 'submitted' ? 'blue' : '#8c9aa5'}
                className="tab-badge"
              />
            </span>
          ),
        }))}
      >
        <form
          className="filter-bar"
          onSubmit={(e) => {
            e.preventDefault();
            update({ q: text.trim() });
          }}
        >
          <Select
            allowClear
            placeholder={t('filters.kind')}
            value={kind}
            onChange={(v) => update({ kind: v })}
            options={KINDS.map((k) => ({ value: k, label: t(`filingKind.${k}`) }))}
            className="filter-select"
          />
          <Select
            allowClear
            placeholder={t('filters.disease')}
            value={disease}
            onChange={(v) => update({ disease: v })}
            options={TWO_DISEASES.map((d) => ({ value: d, label: diseaseName(d) }))}
            className="filter-select"
          />
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('filters.name')}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (!e.target.value) update({ q: null });
            }}
            className="filter-search"
          />
          <Button htmlType="submit" type="primary">
            {t('common.search')}
          </Button>
          <Typography.Text type="secondary" className="filter-total">
            {filings.data ? t('common.total', { total: filings.data.total }) : null}
          </Typography.Text>
        </form>
        <Table<FilingSummary>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={filings.data?.items ?? []}
          loading={filings.isFetching}
          scroll={{ x: 'max-content' }}
          onRow={(f) => ({ 'data-testid': 'filing-row', 'data-filing-id': f.id }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`filing.empty.${status}`)} /> }}
          pagination={
            filings.data && filings.data.total > PAGE_SIZE
              ? {
                  current: page,
                  pageSize: PAGE_SIZE,
                  total: filings.data.total,
                  showSizeChanger: false,
                  size: 'small',
                  onChange: (p) => update({ page: p === 1 ? null : String(p) }),
                }
              : false
          }
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
