// Server-paged lists and the per-tab counts above them (the team's patients, filings, the review queue).
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { api, type ApiOptions } from '../api.ts';
import type { Page } from '../types.ts';

type Query = NonNullable<ApiOptions['query']>;

/** One page of `url`'s list; the previous page stays on screen while the next loads. */
export function usePagedList<T>(url: string, key: readonly unknown[], query: Query, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...key, query, page],
    queryFn: ({ signal }) => api<Page<T>>(url, { query: { ...query, limit: pageSize, offset: (page - 1) * pageSize }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** How many items each tab holds: `param` set to each of `values`, one row fetched for its total. */
export function useTabCounts(url: string, key: readonly unknown[], param: string, values: readonly string[], enabled = true): Array<number | undefined> {
  const counts = useQueries({
    queries: values.map((value) => ({
      queryKey: [...key, 'count', value],
      queryFn: ({ signal }: { signal: AbortSignal }) => api<Page<unknown>>(url, { query: { [param]: value, limit: 1 }, signal }),
      meta: { silent: true },
      enabled,
    })),
  });
  return counts.map((c) => c.data?.total);
}
