// 查找参保人 at the counter: by name, phone or ID number (GET /api/people?q=, as on 参保人查询); a
// click on a row picks the patient for the purchase.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Empty, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { DiseaseTags, InsuranceTag } from '../PatientCard.tsx';
import type { Page, PersonSummary } from '../../types.ts';
import PersonSearchBox from '../PersonSearchBox.tsx';

const LIMIT = 20;

export default function PatientFinder({ q, onSearch, onPick }: { q: string; onSearch: (q: string) => void; onPick: (p: PersonSummary) => void }) {
  const { t } = useTranslation();

  const results = useQuery({
    queryKey: ['people', 'search', q, 1],
    queryFn: ({ signal }) => api<Page<PersonSummary>>('/api/people', { query: { q, limit: LIMIT, offset: 0 }, signal }),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });

  const columns: TableColumnsType<PersonSummary> = [
    { title: t('person.fields.name'), dataIndex: 'name', render: (name: string) => <Typography.Link strong>{name}</Typography.Link> },
    { title: t('person.fields.sex'), dataIndex: 'sex', width: 64, render: (sex: PersonSummary['sex']) => t(`person.sex.${sex}`) },
    { title: t('person.fields.age'), dataIndex: 'age', width: 64, align: 'right' },
    { title: t('person.fields.idNumber'), dataIndex: 'idNumber', render: (id: string) => <span className="mono">{id}</span> },
    { title: t('person.fields.phone'), dataIndex: 'phone', responsive: ['xl'], render: (p: string | null) => <span className="mono">{p ?? t('common.none')}</span> },
    { title: t('person.fields.insuranceType'), dataIndex: 'insuranceType', render: (type: PersonSummary['insuranceType']) => <InsuranceTag type={type} /> },
    {
      title: t('person.fields.contract'),
      key: 'contract',
      render: (_: unknown, p) => (p.contract ? p.contract.teamName : <Tag variant="filled">{t('person.notContracted')}</Tag>),
    },
    { title: t('person.fields.diseases'), key: 'diseases', render: (_: unknown, p) => <DiseaseTags diseases={p.diseases} /> },
  ];

  return (
    <Card className="search-card" data-testid="counter-finder">
      <Typography.Title level={4} className="page-title">
        {t('counter.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('counter.findHint')}</Typography.Paragraph>
      <PersonSearchBox
        query={q}
        onSearch={(query) => {
          if (query === q) void results.refetch();
          onSearch(query);
        }}
        searching={results.isFetching}
        testId="counter-search"
      />
      {q ? (
        <Table<PersonSummary>
          className="counter-finder__results"
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={results.data?.items ?? []}
          loading={results.isFetching}
          scroll={{ x: 'max-content' }}
          pagination={false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('person.noResults')} /> }}
          rowClassName={() => 'row-clickable'}
          onRow={(p) =>
            ({ onClick: () => onPick(p), 'data-testid': 'counter-person-row', 'data-person-id': p.id }) as HTMLAttributes<HTMLElement>
          }
          footer={
            results.data && results.data.total > LIMIT
              ? () => (
                  <Typography.Text type="secondary">{t('counter.moreResults', { shown: LIMIT, total: results.data.total })}</Typography.Text>
                )
              : undefined
          }
        />
      ) : null}
    </Card>
  );
}
