// The scope fields of a user form, following the chosen role: a family doctor's team and the doctor
// of that team; a pharmacist's or an institution administrator's institution (and the pharmacist's own
// practitioner record, optional); a reviewer's county or an analyst's city; a patient's insured person.
// The lists load when a picker opens: teams, practitioners and regions from the directory
// (/api/admin/teams, /api/admin/practitioners, /api/admin/regions); where it does not answer, the
// picker says so (a region is then typed as its code).
import { useQuery } from '@tanstack/react-query';
import { Alert, Form, type FormInstance, Input, Select, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../../api.ts';
import { currentLanguage } from '../../../i18n/index.ts';
import type { Institution, PersonSummary, Role } from '../../../types.ts';
import type { AdminUser, Named } from './types.ts';
import { useAdminProviders } from '../../../components/delivery/api.ts';
import { type Region, regionOption } from '../../../components/regionOptions.ts';

/** A team as the directory lists it; read tolerantly, only id, name, institution and members are used. */
interface DirectoryTeam {
  id: string;
  name: string;
  institution?: Named | null;
  institutionId?: string;
  institutionName?: string;
  members?: Array<{ id?: string; practitionerId?: string; name: string; profession?: string; role?: string }>;
}

interface DirectoryPractitioner {
  id: string;
  name: string;
  profession?: string;
  institution?: Named | null;
  institutionName?: string;
}

const MINUTE = 60_000;

async function listOf<T>(url: string, query: Record<string, string | number | undefined>, signal: AbortSignal): Promise<T[]> {
  const answer = await api<T[] | { items?: T[] }>(url, { query, signal });
  return Array.isArray(answer) ? answer : (answer.items ?? []);
}

/** What a picker shows when its list did not load: the directory missing (404) or another failure. */
function PickerProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const missing = error instanceof ApiError && (error.status === 404 || error.status === 405);
  return (
    <Typography.Text type="secondary" data-testid="picker-problem">
      {missing ? t('accounts.pickers.unavailable') : t('accounts.pickers.loadFailed')}
    </Typography.Text>
  );
}

const pickerContent = (loading: boolean, error: unknown, empty: string) =>
  loading ? <Spin size="small" /> : error ? <PickerProblem error={error} /> : <Typography.Text type="secondary">{empty}</Typography.Text>;

/** Keeps a typed search from asking the server on every key. */
function useDebounced(value: string, ms = 300) {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function useInstitutions(enabled: boolean) {
  return useQuery({
    queryKey: ['institutions', 'all'],
    queryFn: ({ signal }) => api<Institution[]>('/api/institutions', { signal }),
    staleTime: 10 * MINUTE,
    enabled,
    meta: { silent: true },
  });
}

/** `hospitals`: only secondary and tertiary hospitals (a hospital doctor's, who receives referrals). */
function InstitutionSelect({ value, onChange, initial, hospitals = false }: { value?: string; onChange?: (v: string | undefined) => void; initial: Named | null; hospitals?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const list = useInstitutions(open || !!value);
  const options = useMemo(() => {
    const rows = (list.data ?? []).filter((i) => !hospitals || i.level === 'secondary' || i.level === 'tertiary').map((i) => ({ value: i.id, label: i.name }));
    if (initial && !rows.some((o) => o.value === initial.id)) rows.unshift({ value: initial.id, label: initial.name });
    return rows;
  }, [list.data, initial, hospitals]);
  return (
    <Select
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      value={value}
      onChange={onChange}
      onOpenChange={setOpen}
      options={options}
      placeholder={t('accounts.placeholders.institution')}
      notFoundContent={pickerContent(list.isFetching, list.error, t('accounts.pickers.none'))}
      data-testid="user-institution"
    />
  );
}

const teamInstitution = (team: DirectoryTeam): Named | null =>
  team.institution ?? (team.institutionId ? { id: team.institutionId, name: team.institutionName ?? '' } : null);

function TeamSelect({
  value,
  onChange,
  institutionId,
  initial,
  onTeams,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  institutionId: string | undefined;
  initial: Named | null;
  onTeams: (teams: DirectoryTeam[]) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const q = useDebounced(text.trim());
  const list = useQuery({
    queryKey: ['admin', 'teams', 'picker', institutionId ?? null, q],
    queryFn: ({ signal }) => listOf<DirectoryTeam>('/api/admin/teams', { institutionId, q: q || undefined, limit: 50 }, signal),
    enabled: open,
    staleTime: MINUTE,
    meta: { silent: true },
  });
  useEffect(() => {
    if (list.data) onTeams(list.data);
  }, [list.data, onTeams]);
  const options = useMemo(() => {
    const rows = (list.data ?? []).map((team) => {
      const inst = teamInstitution(team);
      return { value: team.id, label: inst?.name ? `${team.name} · ${inst.name}` : team.name };
    });
    if (initial && !rows.some((o) => o.value === initial.id)) rows.unshift({ value: initial.id, label: initial.name });
    return rows;
  }, [list.data, initial]);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setText }}
      allowClear
      value={value}
      onChange={onChange}
      onOpenChange={setOpen}
      options={options}
      placeholder={t('accounts.placeholders.team')}
      notFoundContent={pickerContent(list.isFetching, list.error, t('accounts.pickers.none'))}
      data-testid="user-team"
    />
  );
}

function PractitionerSelect({
  value,
  onChange,
  institutionId,
  profession,
  members,
  initial,
  disabled,
  placeholder,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  institutionId: string | undefined;
  profession: 'doctor' | 'pharmacist';
  /** The team's own members when the directory gave them: a doctor is picked among them. */
  members: DirectoryTeam['members'] | undefined;
  initial: Named | null;
  disabled: boolean;
  placeholder: string;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const list = useQuery({
    queryKey: ['admin', 'practitioners', 'picker', institutionId ?? null, profession],
    queryFn: ({ signal }) => listOf<DirectoryPractitioner>('/api/admin/practitioners', { institutionId, profession, limit: 100 }, signal),
    enabled: open && !members && !!institutionId,
    staleTime: MINUTE,
    meta: { silent: true },
  });
  const options = useMemo(() => {
    const rows = members
      ? members
          .filter((m) => (m.profession ? m.profession === profession : m.role === 'gp' || m.role === 'specialist'))
          .map((m) => ({ value: (m.practitionerId ?? m.id)!, label: m.role ? `${m.name} · ${t(`teamRole.${m.role}`, { defaultValue: m.role })}` : m.name }))
      : (list.data ?? []).filter((p) => !p.profession || p.profession === profession).map((p) => ({ value: p.id, label: p.name }));
    if (initial && !rows.some((o) => o.value === initial.id)) rows.unshift({ value: initial.id, label: initial.name });
    return rows;
  }, [members, list.data, initial, profession, t]);
  return (
    <Select
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      disabled={disabled}
      value={value}
      onChange={onChange}
      onOpenChange={setOpen}
      options={options}
      placeholder={placeholder}
      notFoundContent={pickerContent(list.isFetching, list.error, t('accounts.pickers.none'))}
      data-testid="user-practitioner"
    />
  );
}


/**
 * A county (6 digits) or a city (4) from the region catalogue (/api/admin/regions), by name or code;
 * where the catalogue does not answer, the code is typed.
 */
function RegionSelect({ value, onChange, level }: { value?: string; onChange?: (v: string | undefined) => void; level: 'county' | 'city' }) {
  const { t } = useTranslation();
  const english = currentLanguage() === 'en-US';
  const regions = useQuery({
    queryKey: ['admin', 'regions'],
    queryFn: ({ signal }) => api<Region[]>('/api/admin/regions', { signal }),
    staleTime: 60 * MINUTE,
    meta: { silent: true },
  });
  const options = useMemo(() => {
    const rows = regions.data ?? [];
    const byCode = new Map(rows.map((r) => [r.code, r]));
    return rows.filter((r) => r.level === level).map((r) => regionOption(r, byCode, english));
  }, [regions.data, level, english]);
  const placeholder = t(level === 'county' ? 'accounts.placeholders.county' : 'accounts.placeholders.city');
  if (regions.isError) {
    return (
      <Input
        value={value}
        onChange={(e) => onChange?.(e.target.value.trim() || undefined)}
        inputMode="numeric"
        maxLength={level === 'county' ? 6 : 4}
        placeholder={placeholder}
        className="mono"
        data-testid="user-region"
      />
    );
  }
  return (
    <Select
      showSearch={{ filterOption: (input, option) => (option?.search ?? '').includes(input.trim().toLowerCase()) }}
      allowClear
      value={value}
      onChange={onChange}
      options={options}
      loading={regions.isPending}
      placeholder={placeholder}
      notFoundContent={pickerContent(regions.isFetching, null, t('accounts.pickers.none'))}
      data-testid="user-region"
    />
  );
}

function PersonSelect({ value, onChange, initial }: { value?: string; onChange?: (v: string | undefined) => void; initial: Named | null }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim());
  const list = useQuery({
    queryKey: ['people', 'picker', q],
    queryFn: ({ signal }) => api<{ items: PersonSummary[] }>('/api/people', { query: { q, limit: 20 }, signal }),
    enabled: q.length >= 2,
    meta: { silent: true },
  });
  const options = useMemo(() => {
    const rows = (list.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${p.idNumber} · ${p.region.name}` }));
    if (initial && !rows.some((o) => o.value === initial.id)) rows.unshift({ value: initial.id, label: initial.name });
    return rows;
  }, [list.data, initial]);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setText }}
      allowClear
      value={value}
      onChange={onChange}
      options={options}
      placeholder={t('accounts.placeholders.person')}
      notFoundContent={q.length < 2 ? null : pickerContent(list.isFetching, list.error, t('accounts.pickers.noPeople'))}
      data-testid="user-person"
    />
  );
}

/** A delivery account's provider (配送企业), from the directory's list (GET /api/admin/delivery-providers). */
function ProviderSelect({ value, onChange, initial }: { value?: string; onChange?: (v: string | undefined) => void; initial: Named | null }) {
  const { t } = useTranslation();
  const list = useAdminProviders();
  const options = useMemo(() => {
    const rows = (list.data ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.county.name}）` }));
    if (initial && !rows.some((o) => o.value === initial.id)) rows.unshift({ value: initial.id, label: initial.name });
    return rows;
  }, [list.data, initial]);
  return (
    <Select
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      value={value}
      onChange={onChange}
      options={options}
      placeholder={t('delivery.accounts.providerPlaceholder')}
      notFoundContent={pickerContent(list.isFetching, list.error, t('accounts.pickers.none'))}
      data-testid="user-provider"
    />
  );
}

interface Props {
  form: FormInstance;
  role: Role | undefined;
  /** The institution an institution administrator is bound to: shown, not chosen. */
  fixedInstitution: Named | null;
  /** The account being edited: its current team, practitioner … are offered before any list loads. */
  editing: AdminUser | null;
}

export default function ScopeFields({ form, role, fixedInstitution, editing }: Props) {
  const { t } = useTranslation();
  const [teams, setTeams] = useState<Map<string, DirectoryTeam>>(new Map());
  const rememberTeams = useMemo(
    () => (rows: DirectoryTeam[]) =>
      setTeams((old) => {
        const next = new Map(old);
        for (const r of rows) next.set(r.id, r);
        return next;
      }),
    [],
  );
  const teamId = Form.useWatch('teamId', form) as string | undefined;
  const institutionId = (Form.useWatch('institutionId', form) as string | undefined) ?? fixedInstitution?.id;
  // a team not in a loaded list (the edited account's) is read on its own, for its members
  const oneTeam = useQuery({
    queryKey: ['admin', 'teams', 'one', teamId],
    queryFn: ({ signal }) => api<DirectoryTeam>(`/api/admin/teams/${encodeURIComponent(teamId!)}`, { signal }),
    enabled: role === 'family_doctor' && !!teamId && !teams.has(teamId),
    staleTime: MINUTE,
    meta: { silent: true },
  });
  const team = teamId ? (teams.get(teamId) ?? (oneTeam.data?.id === teamId ? oneTeam.data : undefined)) : undefined;
  // the doctor is found among the team's members, else among the doctors of the team's institution
  const teamInst = team ? teamInstitution(team)?.id : teamId && teamId === editing?.team?.id ? editing?.institution?.id : undefined;

  const required = (key: string) => [{ required: true, message: t(`accounts.validation.${key}`) }];
  const initialOf = (field: 'team' | 'practitioner' | 'institution'): Named | null => (editing && editing.role === role ? editing[field] : null);

  if (!role) return null;
  switch (role) {
    case 'family_doctor':
      return (
        <>
          <Form.Item name="teamId" label={t('accounts.fields.team')} rules={required('teamRequired')}>
            <TeamSelect
              institutionId={fixedInstitution?.id}
              initial={initialOf('team')}
              onTeams={rememberTeams}
              onChange={() => form.setFieldValue('practitionerId', undefined)}
            />
          </Form.Item>
          <Form.Item name="practitionerId" label={t('accounts.fields.doctor')} rules={required('doctorRequired')} extra={t('accounts.help.doctor')}>
            <PractitionerSelect
              institutionId={teamInst}
              profession="doctor"
              members={team?.members}
              initial={initialOf('practitioner')}
              disabled={!teamId}
              placeholder={t('accounts.placeholders.doctor')}
            />
          </Form.Item>
        </>
      );
    case 'pharmacist':
    case 'institution_admin':
    case 'specialist':
      return (
        <>
          {fixedInstitution ? (
            <Form.Item label={t('accounts.fields.institution')}>
              <Input value={fixedInstitution.name} disabled data-testid="user-institution-fixed" />
            </Form.Item>
          ) : (
            <Form.Item name="institutionId" label={t('accounts.fields.institution')} rules={required('institutionRequired')}>
              <InstitutionSelect initial={initialOf('institution')} hospitals={role === 'specialist'} onChange={() => form.setFieldValue('practitionerId', undefined)} />
            </Form.Item>
          )}
          {role === 'pharmacist' ? (
            <Form.Item name="practitionerId" label={t('accounts.fields.pharmacist')} extra={t('accounts.help.pharmacist')}>
              <PractitionerSelect
                institutionId={institutionId}
                profession="pharmacist"
                members={undefined}
                initial={initialOf('practitioner')}
                disabled={!institutionId}
                placeholder={t('accounts.placeholders.pharmacist')}
              />
            </Form.Item>
          ) : null}
          {role === 'specialist' ? (
            <Form.Item name="practitionerId" label={t('accounts.fields.doctor')}>
              <PractitionerSelect
                institutionId={institutionId}
                profession="doctor"
                members={undefined}
                initial={initialOf('practitioner')}
                disabled={!institutionId}
                placeholder={t('accounts.placeholders.doctor')}
              />
            </Form.Item>
          ) : null}
        </>
      );
    case 'insurance_reviewer':
    case 'analyst': {
      const level = role === 'insurance_reviewer' ? 'county' : 'city';
      const digits = level === 'county' ? 6 : 4;
      return (
        <Form.Item
          name="regionCode"
          label={t(`accounts.fields.${level}`)}
          extra={t(`accounts.help.${level}`)}
          rules={[
            { required: true, message: t(`accounts.validation.${level}`) },
            { pattern: new RegExp(`^[0-9]{${digits}}$`), message: t(`accounts.validation.${level}`) },
          ]}
        >
          <RegionSelect level={level} />
        </Form.Item>
      );
    }
    case 'patient':
      return (
        <Form.Item name="personId" label={t('accounts.fields.person')} rules={required('personRequired')}>
          <PersonSelect initial={editing?.personId && editing.role === 'patient' ? { id: editing.personId, name: editing.displayName } : null} />
        </Form.Item>
      );
    case 'system_admin':
      return <Alert type="info" showIcon title={t('accounts.scope.systemAdmin')} className="form-alert" />;
    case 'delivery':
      return (
        <Form.Item name="deliveryProviderId" label={t('delivery.accounts.provider')} extra={t('delivery.accounts.providerHelp')} rules={[{ required: true, message: t('delivery.accounts.providerRequired') }]}>
          <ProviderSelect initial={editing?.role === 'delivery' ? (editing.deliveryProvider ?? null) : null} />
        </Form.Item>
      );
  }
}
