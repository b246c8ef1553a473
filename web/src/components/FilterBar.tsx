// The filter row above a list: the screen's own selects (children), then a name search that applies on
// Enter or the button and clears at once, and the list's total.
import { SearchOutlined } from '@ant-design/icons';
import { Button, Input, Select, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TWO_DISEASES, useDiseaseName } from '../format.ts';

interface Props {
  /** The search text in force (from the URL). */
  query: string;
  onQuery: (query: string | null) => void;
  total: number | undefined;
  /** Prefix of the test ids: `<prefix>-<searchKey>`, `<prefix>-submit`, `<prefix>-total`. */
  testId: string;
  /** What the search box says it finds (default: a name). */
  placeholder?: string;
  /** The search box's test-id suffix (default 'name'). */
  searchKey?: string;
  children?: ReactNode;
}

export default function FilterBar({ query, onQuery, total, testId, placeholder, searchKey = 'name', children }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState(query);
  useEffect(() => setText(query), [query]);
  return (
    <form
      className="filter-bar"
      onSubmit={(e) => {
        e.preventDefault();
        onQuery(text.trim());
      }}
    >
      {children}
      <Input
        allowClear
        prefix={<SearchOutlined />}
        placeholder={placeholder ?? t('filters.name')}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value) onQuery(null);
        }}
        className="filter-search"
        data-testid={`${testId}-${searchKey}`}
      />
      <Button htmlType="submit" type="primary" data-testid={`${testId}-submit`}>
        {t('common.search')}
      </Button>
      <Typography.Text type="secondary" className="filter-total" data-testid={`${testId}-total`}>
        {total !== undefined ? t('common.total', { total }) : null}
      </Typography.Text>
    </form>
  );
}

/** The two-disease filter most lists offer. */
export function DiseaseFilter({ value, onChange, testId }: { value: string | undefined; onChange: (disease: string | undefined) => void; testId?: string }) {
  const { t } = useTranslation();
  const diseaseName = useDiseaseName();
  return (
    <Select
      allowClear
      placeholder={t('filters.disease')}
      value={value}
      onChange={onChange}
      options={TWO_DISEASES.map((d) => ({ value: d, label: diseaseName(d) }))}
      className="filter-select"
      data-testid={testId}
    />
  );
}

