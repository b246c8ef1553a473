// The teams' and the institutions' tables (contract fee, work equivalents, by institution): a search by team or
// institution name above them, 20 rows a page, back to the first page on a new search or sort. One hook, so the
// tables behave alike.
import { Input, type TableProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

const PAGE_SIZE = 20;

export function useTeamSearch<T extends { name: string; institution_name: string }>(all: T[], testId: string, placeholder?: string) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const needle = q.trim();
  const rows = needle ? all.filter((r) => r.name.includes(needle) || r.institution_name.includes(needle)) : all;
  const search = (
    <Input.Search
      size="small"
      allowClear
      placeholder={placeholder ?? t('payments.contractFee.search')}
      onSearch={(v) => {
        setQ(v);
        setPage(1);
      }}
      onChange={(e) => {
        if (!e.target.value) setQ('');
      }}
      className="pay-search"
      data-testid={testId}
    />
  );
  const table: Pick<TableProps<T>, 'pagination' | 'onChange'> = {
    pagination: rows.length > PAGE_SIZE ? { current: page, pageSize: PAGE_SIZE, showSizeChanger: false, size: 'small', onChange: setPage, showTotal: (n) => t('common.total', { total: n }) } : false,
    onChange: (_p, _f, _s, extra) => {
      if (extra.action === 'sort') setPage(1);
    },
  };
  return { rows, search, table };
}
