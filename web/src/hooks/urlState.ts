// List screens keep their state (tab, filters, page, open record) in the URL, so a reload, the back
// button or a shared link shows the same screen.
import type { TablePaginationConfig } from 'antd';
import { useSearchParams } from 'react-router-dom';

export type UrlChanges = Record<string, string | null | undefined>;

/** The URL's query and a setter: empty values remove a key; changing anything but `page` goes back to page 1. */
export function useUrlState() {
  const [params, setParams] = useSearchParams();
  const update = (changes: UrlChanges) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === undefined || value === '') next.delete(key);
      else next.set(key, value);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };
  return [params, update] as const;
}

/** The page number in the URL (1 when absent or nonsense). */
export const pageOf = (params: URLSearchParams) => Math.max(1, Number(params.get('page')) || 1);

/** Server-side paging for an antd Table: hidden while everything fits on one page. */
export function serverPagination(total: number | undefined, page: number, pageSize: number, update: (changes: UrlChanges) => void): TablePaginationConfig | false {
  if (total === undefined || total <= pageSize) return false;
  return { current: page, pageSize, total, showSizeChanger: false, size: 'small', onChange: (p) => update({ page: p === 1 ? null : String(p) }) };
}
