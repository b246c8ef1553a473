// The big search box that finds a person by name, phone or ID number (person search, the counter).
import { SearchOutlined } from '@ant-design/icons';
import { Button, Input, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  /** The search in force (from the URL). */
  query: string;
  /** Called with the trimmed text on Enter or the button, and with '' when cleared. */
  onSearch: (query: string) => void;
  searching: boolean;
  /** Test ids: `<testId>-input`, `<testId>-button`. */
  testId: string;
}

export default function PersonSearchBox({ query, onSearch, searching, testId }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState(query);
  useEffect(() => setText(query), [query]);
  return (
    <form
      className="person-search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text.trim());
      }}
    >
      <Space.Compact block size="large">
        <Input
          allowClear
          autoFocus
          prefix={<SearchOutlined className="person-search__icon" />}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onClear={() => onSearch('')}
          placeholder={t('person.searchPlaceholder')}
          aria-label={t('person.searchPlaceholder')}
          data-testid={`${testId}-input`}
        />
        <Button type="primary" htmlType="submit" loading={searching} data-testid={`${testId}-button`}>
          {t('common.search')}
        </Button>
      </Space.Compact>
    </form>
  );
}
