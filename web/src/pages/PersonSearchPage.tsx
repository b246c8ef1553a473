// 参保人查询: search insured persons in the caller's scope; a click on a row opens the patient header card.
// The query, page and selected person live in the URL (?q=&page=&person=) so reload and back work.
import { CloseOutlined, FileTextOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { type HTMLAttributes, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api.ts';
import { useMe } from '../auth.ts';
import EligibilityPanel from '../components/EligibilityPanel.tsx';
import PatientCard, { InsuranceTag } from '../components/PatientCard.tsx';
import { chartPath } from '../components/followup/paths.ts';
import type { Page, PersonDetail, PersonSummary } from '../types.ts';
import PersonSearchBox from '../components/PersonSearchBox.tsx';

const PAGE_SIZE = 20;

export default function PersonSearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const selectedId = params.get('person');
  const cardRef = useRef<HTMLDivElement>(null);
  const role = useMe().data?.role;
  const opensCharts = role === 'family_doctor' || role === 'institution_admin' || role === 'system_admin'; // who may open /follow-ups
  const navigate = useNavigate();


  const results = useQuery({
    queryKey: ['people', 'search', q, page],
    queryFn: ({ signal }) =>
      api<Page<PersonSummary>>('/api/people', {
        query: { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
        signal,
      }),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });

  const selected = useQuery({
    queryKey: ['people', 'detail', selectedId],
    queryFn: ({ signal }) => api<PersonDetail>(`/api/people/${encodeURIComponent(selectedId ?? '')}`, { signal }),
    enabled: selectedId !== null,
  });

  useEffect(() => {
    if (selectedId) cardRef.current?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }, [selectedId]);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  };

  const onSearch = (value: string) => {
    const query = value.trim();
    if (query === q) void results.refetch();
    update({ q: query, page: null, person: null });
  };

  // While the detail loads, show the row's summary so the card appears at once.
  const summary = results.data?.items.find((p) => p.id === selectedId);
  const cardPerson = selected.data ?? summary;

  const columns: TableColumnsType<PersonSummary> = [
    {
      title: t('person.fields.name'),
      dataIndex: 'name',
      render: (name: string) => <Typography.Link strong>{name}</Typography.Link>,
    },
    {
      title: t('person.fields.sex'),
      dataIndex: 'sex',
      width: 72,
      render: (sex: PersonSummary['sex']) => t(`person.sex.${sex}`),
    },
    { title: t('person.fields.age'), dataIndex: 'age', width: 72, align: 'right' },
    {
      title: t('person.fields.idNumber'),
      dataIndex: 'idNumber',
      render: (id: string) => <span className="mono">{id}</span>,
    },
    {
      title: t('person.fields.phone'),
      dataIndex: 'phone',
      responsive: ['xl'],
      render: (phone: string | null) => <span className="mono">{phone ?? t('common.none')}</span>,
    },
    {
      title: t('person.fields.insuranceType'),
      dataIndex: 'insuranceType',
      render: (type: PersonSummary['insuranceType']) => <InsuranceTag type={type} />,
    },
    {
      title: t('person.fields.region'),
      key: 'region',
      responsive: ['md'],
      render: (_: unknown, p) => p.region.name,
    },
    {
      title: t('person.fields.contract'),
      key: 'contract',
      render: (_: unknown, p) =>
        p.contract ? p.contract.teamName : <Tag variant="filled">{t('person.notContracted')}</Tag>,
    },
  ];

  return (
    <div className="page-stack">
      <Card className="search-card">
        <Typography.Title level={4} className="page-title">
          {t('person.searchTitle')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('person.searchHint')}</Typography.Paragraph>
        <PersonSearchBox query={q} onSearch={onSearch} searching={results.isFetching} testId="person-search" />
      </Card>

      {selectedId ? (
        <div ref={cardRef} className="page-stack">
          <PatientCard
            person={cardPerson}
            loading={!cardPerson && selected.isPending}
            title={t('person.cardTitle')}
            extra={
              <Space size={4}>
                {opensCharts ? (
                  <Button
                    type="link"
                    icon={<FileTextOutlined />}
                    onClick={() => navigate(chartPath(selectedId))}
                    data-testid="patient-card-chart"
                  >
                    {t('followup.openChart')}
                  </Button>
                ) : null}
                <Button
                  type="text"
                  icon={<CloseOutlined />}
                  aria-label="close"
                  data-testid="patient-card-close"
                  onClick={() => update({ person: null })}
                />
              </Space>
            }
          />
          <EligibilityPanel key={selectedId} personId={selectedId} />
        </div>
      ) : null}

      <Card
        title={t('person.resultsTitle')}
        extra={
          results.data ? (
            <Typography.Text type="secondary" data-testid="person-search-total">
              {t(results.data.totalCapped ? 'common.totalCapped' : 'common.total', { total: results.data.total })}
            </Typography.Text>
          ) : null
        }
      >
        <Table<PersonSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={q ? (results.data?.items ?? []) : []}
          loading={results.isFetching}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={q ? t('person.noResults') : t('person.emptyPrompt')}
              />
            ),
          }}
          rowClassName={(p) => (p.id === selectedId ? 'row-selected' : 'row-clickable')}
          onRow={(p) =>
            ({
              onClick: () => update({ person: p.id }),
              'data-testid': 'person-row',
              'data-person-id': p.id,
            }) as HTMLAttributes<HTMLElement>
          }
          pagination={
            results.data && results.data.total > PAGE_SIZE
              ? {
                  current: page,
                  pageSize: PAGE_SIZE,
                  total: results.data.total,
                  showSizeChanger: false,
                  onChange: (p) => update({ page: p === 1 ? null : String(p) }),
                }
              : false
          }
        />
        {q && results.data && results.data.items.length > 0 && !selectedId ? (
          <Typography.Text type="secondary" className="table-hint">
            {t('person.selectHint')}
          </Typography.Text>
        ) : null}
      </Card>
    </div>
  );
}
