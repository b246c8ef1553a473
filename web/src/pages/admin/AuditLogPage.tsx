// 审计日志 (system administrator; an institution's administrator sees only what its own users did): who
// read or changed what, when, from where. Filters — the person (an ID number, or picked from a search),
// the user, the action, the entity, a range of days — live in the URL; the list is newest first and
// pages by the server's cursor; the export downloads the CSV with the same filters. The server audits
// every view and export of this page.
import { DownloadOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Empty,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api.ts';
import { useMe } from '../../auth.ts';
import { actionErrorLines } from '../../formErrors.ts';
import { ISO_DATE, fromIsoDate, toIsoDate } from '../../format.ts';
import { useUrlState } from '../../hooks/urlState.ts';
import { currentLanguage } from '../../i18n/index.ts';
import type { PersonSummary } from '../../types.ts';

const ACTIONS = ['read', 'search', 'create', 'update', 'delete', 'export', 'refused'] as const;
type AuditAction = (typeof ACTIONS)[number];
const ACTION_COLORS: Record<AuditAction, string> = { read: 'blue', search: 'cyan', create: 'green', update: 'orange', delete: 'magenta', export: 'purple', refused: 'red' };
/** The entities the server writes today (free text is allowed too). */
const ENTITIES = [
  'person', 'person.id_number', 'person_condition', 'eligibility', 'contract', 'consent_form', 'team', 'registration_filing', 'claim', 'settlement_quote',
  'followup_chart', 'followup_visit', 'followup_reminder', 'followup_worklist', 'health_check', 'app_user', 'app_user.password',
  'institution', 'medical_community', 'practitioner', 'audit_log',
];
const PAGE_SIZES = [50, 100, 200];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_NUMBER = /^\d{17}[\dXx]$/;

interface AuditItem {
  id: number;
  source: 'person_audit' | 'audit_log';
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  ip: string | null;
  personId: string | null;
  person: { id: string; name: string; idNumber: string } | null;
  detail: Record<string, unknown> | null;
}
interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}
type Filters = Partial<Record<'person' | 'user' | 'action' | 'entity' | 'from' | 'to', string>>;

const FILTER_KEYS = ['person', 'user', 'action', 'entity', 'from', 'to'] as const;

/** i18next keys cannot hold dots: 'person.id_number' → auditLog.entities.person_id_number. */
const entityKey = (entity: string) => `auditLog.entities.${entity.replaceAll('.', '_')}`;

function detailSummary(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('; ');
}

/** Keeps a typed search from asking the server on every key. */
function useDebounced(value: string, ms = 300) {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * The person filter: an ID number (or a person id) typed in, or — for a role that may search persons —
 * a person picked from the search by name, phone or ID number.
 */
function PersonFilter({ value, onChange, canSearch, known }: { value?: string; onChange: (v: string | undefined) => void; canSearch: boolean; known?: { name: string; idNumber: string } }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim());
  const search = useQuery({
    queryKey: ['people', 'audit-picker', q],
    queryFn: ({ signal }) => api<{ items: PersonSummary[] }>('/api/people', { query: { q, limit: 10 }, signal }),
    enabled: canSearch && q.length >= 2,
    meta: { silent: true },
  });
  const typed = text.trim();
  const options = useMemo(() => {
    const rows: Array<{ value: string; label: ReactNode }> = [];
    if (ID_NUMBER.test(typed)) rows.push({ value: typed.toUpperCase(), label: t('auditLog.byIdNumber', { value: typed.toUpperCase() }) });
    else if (UUID.test(typed)) rows.push({ value: typed.toLowerCase(), label: t('auditLog.byPersonId', { value: typed.toLowerCase() }) });
    for (const p of search.data?.items ?? [])
      rows.push({
        value: p.id,
        label: (
          <span>
            {p.name} <Typography.Text type="secondary" className="mono">{p.idNumber}</Typography.Text>
          </span>
        ),
      });
    if (value && !rows.some((o) => o.value === value))
      rows.unshift({ value, label: known ? `${known.name} ${known.idNumber}` : ID_NUMBER.test(value) ? value.replace(/^(\d{6})\d{8}/, '$1********') : value });
    return rows;
  }, [typed, search.data, value, known, t]);
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value}
      onChange={(v) => {
        setText('');
        onChange(v);
      }}
      options={options}
      placeholder={canSearch ? t('auditLog.filters.person') : t('auditLog.filters.personIdNumber')}
      notFoundContent={<Typography.Text type="secondary">{canSearch ? t('auditLog.personHint') : t('auditLog.personIdNumberHint')}</Typography.Text>}
      loading={search.isFetching}
      style={{ width: 260 }}
      data-testid="audit-filter-person"
    />
  );
}

/** Downloads the CSV of the filters in force (the server names the file and audits the export). */
async function downloadCsv(filters: Filters): Promise<{ rows: number; cap: number | null }> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  params.set('lang', currentLanguage() === 'en-US' ? 'en' : 'zh');
  const response = await fetch(`/api/admin/audit.csv?${params}`, { credentials: 'include', headers: { Accept: 'text/csv, application/problem+json' } });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError({ ...problem, status: response.status, title: problem.title ?? response.statusText });
  }
  const blob = await response.blob();
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'audit-log.csv';
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  const cap = response.headers.get('x-row-cap');
  return { rows: Number(response.headers.get('x-row-count') ?? 0), cap: cap ? Number(cap) : null };
}

export default function AuditLogPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useMe();
  const [params, update] = useUrlState();
  // a person id stays in the URL; an ID number typed in does not (the address bar and history never hold one)
  const [personNumber, setPersonNumber] = useState<string>();
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const v = params.get(key);
    if (v) filters[key] = v;
  }
  if (!filters.person && personNumber) filters.person = personNumber;
  const filterKey = JSON.stringify(filters);
  const pageSize = PAGE_SIZES.includes(Number(params.get('size'))) ? Number(params.get('size')) : PAGE_SIZES[0];
  // the cursors of the pages before this one (keyset paging: stable while new rows are written)
  const [cursors, setCursors] = useState<string[]>([]);
  useEffect(() => setCursors([]), [filterKey, pageSize]);
  const cursor = cursors.at(-1);
  const [user, setUser] = useState(filters.user ?? '');
  const [entity, setEntity] = useState(filters.entity ?? '');
  useEffect(() => setUser(filters.user ?? ''), [filters.user]);
  useEffect(() => setEntity(filters.entity ?? ''), [filters.entity]);
  const [exporting, setExporting] = useState(false);

  const list = useQuery({
    queryKey: ['admin', 'audit', filterKey, pageSize, cursor ?? null],
    queryFn: ({ signal }) => api<AuditPage>('/api/admin/audit', { query: { ...filters, limit: pageSize, cursor }, signal }),
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });

  const isInstitutionAdmin = me.data?.role === 'institution_admin';
  const knownPerson = list.data?.items.find((i) => i.person && (i.person.id === filters.person))?.person ?? undefined;

  const roleName = (role: string | null) => (role ? t(`roles.${role}`, { defaultValue: role }) : '');
  const columns: TableColumnsType<AuditItem> = [
    {
      title: t('auditLog.columns.at'),
      key: 'at',
      render: (_, r) => (
        <span className="mono" style={{ whiteSpace: 'nowrap' }}>
          {dayjs(r.at).format('YYYY-MM-DD HH:mm:ss')}
        </span>
      ),
    },
    {
      title: t('auditLog.columns.user'),
      key: 'user',
      render: (_, r) => (
        <div>
          {r.username ? (
            <Typography.Link onClick={() => update({ user: r.username })} data-testid="audit-user-link">
              {r.username}
            </Typography.Link>
          ) : (
            t('common.none')
          )}
          <div className="cell-sub">{roleName(r.role)}</div>
        </div>
      ),
    },
    {
      title: t('auditLog.columns.action'),
      key: 'action',
      render: (_, r) => <Tag color={ACTION_COLORS[r.action as AuditAction]}>{t(`auditLog.actions.${r.action}`, { defaultValue: r.action })}</Tag>,
    },
    {
      title: t('auditLog.columns.entity'),
      key: 'entity',
      render: (_, r) => (
        <div>
          {t(entityKey(r.entity), { defaultValue: r.entity })}
          {r.entityId ? <div className="cell-sub mono">{r.entityId}</div> : null}
        </div>
      ),
    },
    {
      title: t('auditLog.columns.person'),
      key: 'person',
      render: (_, r) =>
        r.person ? (
          <div>
            <Typography.Link onClick={() => update({ person: r.person!.id })} data-testid="audit-person-link">
              {r.person.name}
            </Typography.Link>
            <div className="cell-sub mono">{r.person.idNumber}</div>
          </div>
        ) : (
          t('common.none')
        ),
    },
    { title: t('auditLog.columns.ip'), key: 'ip', render: (_, r) => <span className="mono">{r.ip ?? t('common.none')}</span> },
    {
      title: t('auditLog.columns.detail'),
      key: 'detail',
      render: (_, r) => {
        const text = detailSummary(r.detail);
        return text ? (
          <Typography.Text type="secondary" ellipsis={{ tooltip: text }} style={{ maxWidth: 280 }} className="mono">
            {text}
          </Typography.Text>
        ) : null;
      },
    },
  ];

  const exportCsv = async () => {
    setExporting(true);
    try {
      const { rows, cap } = await downloadCsv(filters);
      if (cap !== null) void message.warning(t('auditLog.exportCapped', { cap: cap.toLocaleString() }));
      else void message.success(t('auditLog.exported', { rows }));
    } catch (error) {
      void message.error(actionErrorLines(error).join('；'));
    } finally {
      setExporting(false);
    }
  };

  const range: [Dayjs | null, Dayjs | null] = [fromIsoDate(filters.from) ?? null, fromIsoDate(filters.to) ?? null];
  const hasFilters = Object.keys(filters).length > 0;

  return (
    <div className="page-stack">
      <Card
        className="list-card"
        title={t('auditLog.title')}
        extra={
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportCsv()} data-testid="audit-export">
            {t('auditLog.export')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">
          {isInstitutionAdmin ? t('auditLog.hintInstitution') : t('auditLog.hint')}
        </Typography.Paragraph>
        <form
          className="filter-bar"
          onSubmit={(e) => {
            e.preventDefault();
            update({ user: user.trim() || null, entity: entity.trim() || null });
          }}
        >
          <PersonFilter
            value={filters.person}
            onChange={(v) => {
              setPersonNumber(v && ID_NUMBER.test(v) ? v : undefined);
              update({ person: v && UUID.test(v) ? v : null });
            }}
            canSearch={!isInstitutionAdmin}
            known={knownPerson}
          />
          <Input
            allowClear
            placeholder={t('auditLog.filters.user')}
            value={user}
            onChange={(e) => {
              setUser(e.target.value);
              if (!e.target.value) update({ user: null });
            }}
            className="filter-select"
            style={{ width: 160 }}
            data-testid="audit-filter-user"
          />
          <Select
            allowClear
            placeholder={t('auditLog.filters.action')}
            value={filters.action}
            onChange={(v) => update({ action: v ?? null })}
            options={ACTIONS.map((a) => ({ value: a, label: t(`auditLog.actions.${a}`) }))}
            className="filter-select"
            data-testid="audit-filter-action"
          />
          <AutoComplete
            allowClear
            placeholder={t('auditLog.filters.entity')}
            value={entity}
            onChange={(v) => {
              setEntity(v ?? '');
              if (!v) update({ entity: null });
            }}
            onSelect={(v: string) => update({ entity: v })}
            options={ENTITIES.filter((e) => !entity || e.includes(entity) || t(entityKey(e)).includes(entity)).map((e) => ({ value: e, label: `${t(entityKey(e))} · ${e}` }))}
            style={{ width: 200 }}
            data-testid="audit-filter-entity"
          />
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            format={ISO_DATE}
            value={range}
            onChange={(v) => update({ from: toIsoDate(v?.[0]) ?? null, to: toIsoDate(v?.[1]) ?? null })}
            placeholder={[t('auditLog.filters.from'), t('auditLog.filters.to')]}
            data-testid="audit-filter-dates"
          />
          <Button htmlType="submit" type="primary" icon={<SearchOutlined />} data-testid="audit-filter-submit">
            {t('common.search')}
          </Button>
          {hasFilters ? (
            <Button
              onClick={() => {
                setPersonNumber(undefined);
                update(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])));
              }}
              data-testid="audit-filter-reset"
            >
              {t('auditLog.reset')}
            </Button>
          ) : null}
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('auditLog.refresh')} />
        </form>
        {list.isError ? <Alert type="error" showIcon className="form-alert" title={actionErrorLines(list.error).join('；')} data-testid="audit-error" /> : null}
        <Table<AuditItem>
          rowKey={(r) => `${r.source}-${r.id}`}
          size="small"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 'max-content' }}
          pagination={false}
          onRow={(r) => ({ 'data-testid': 'audit-row', 'data-action': r.action, 'data-username': r.username ?? '' }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('auditLog.empty')} /> }}
        />
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 12 }}>
          <Space>
            <Button disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="audit-prev">
              {t('auditLog.newer')}
            </Button>
            <Typography.Text type="secondary">{t('auditLog.page', { page: cursors.length + 1 })}</Typography.Text>
            <Button
              disabled={!list.data?.nextCursor}
              onClick={() => {
                const next = list.data?.nextCursor;
                if (next) setCursors((c) => [...c, next]);
              }}
              data-testid="audit-next"
            >
              {t('auditLog.older')}
            </Button>
            <Select
              size="small"
              value={pageSize}
              onChange={(v) => update({ size: v === PAGE_SIZES[0] ? null : String(v) })}
              options={PAGE_SIZES.map((n) => ({ value: n, label: t('auditLog.pageSize', { count: n }) }))}
              data-testid="audit-page-size"
            />
          </Space>
        </div>
      </Card>
    </div>
  );
}
