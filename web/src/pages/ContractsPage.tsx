// 签约管理 (family doctor): the team card, then the team's patients in four lists — contracted,
// to sign (diagnosed but not contracted), expiring within 30 days, needing attention (returned
// filings) — with filters and the next step on each row: sign, renew, terminate, register, change.
import { DownOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Badge, Button, Card, Dropdown, Empty, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import PersonHistoryDrawer from '../components/PersonHistoryDrawer.tsx';
import SignContractModal, { type SignTarget } from '../components/contract/SignContractModal.tsx';
import TeamCard from '../components/contract/TeamCard.tsx';
import TerminateContractModal, { type TerminateTarget } from '../components/contract/TerminateContractModal.tsx';
import FilingFormDrawer, { type FilingTarget } from '../components/filing/FilingFormDrawer.tsx';
import { DaysToEndTag, RegistrationTag } from '../components/labels.tsx';
import { actionErrorLines } from '../formErrors.ts';
import type { FilingView, RegistrationState, TeamList, TeamPatient } from '../types.ts';
import { pageOf, serverPagination, useUrlState } from '../hooks/urlState.ts';
import FilterBar, { DiseaseFilter } from '../components/FilterBar.tsx';
import { usePagedList, useTabCounts } from '../hooks/lists.ts';
import { PersonNameCell, IdPhoneCell } from '../components/PersonCells.tsx';

const PAGE_SIZE = 20;
const LISTS: TeamList[] = ['contracted', 'unsigned', 'expiring', 'attention'];
const STATES: RegistrationState[] = ['none', 'pending', 'returned', 'confirmed'];

type RowAction = 'sign' | 'fix' | 'register' | 'change' | 'revoke' | 'renew' | 'terminate';

function rowActions(row: TeamPatient, list: TeamList): { primary: RowAction | null; more: RowAction[] } {
  const contracted = row.contract !== null && row.contract.daysToEnd >= 0 && list !== 'unsigned';
  if (!contracted) return { primary: 'sign', more: [] };
  const states = new Set(row.registrations.map((r) => r.state));
  const actions: RowAction[] = [];
  if (states.has('returned')) actions.push('fix');
  if (states.has('none')) actions.push('register');
  if (states.has('confirmed')) actions.push('change');
  if (row.contract!.daysToEnd <= 30) actions.push('renew');
  const [primary = null, ...rest] = actions;
  const more: RowAction[] = [...rest];
  if (!more.includes('renew') && primary !== 'renew') more.push('renew');
  if (states.has('confirmed')) more.push('revoke');
  more.push('terminate');
  return { primary, more };
}

export default function ContractsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [params, update] = useUrlState();
  const list = (LISTS as string[]).includes(params.get('list') ?? '') ? (params.get('list') as TeamList) : 'contracted';
  const disease = params.get('disease') ?? undefined;
  const registration = (params.get('registration') as RegistrationState | null) ?? undefined;
  const q = (params.get('q') ?? '').trim();
  const page = pageOf(params);

  const [signTarget, setSignTarget] = useState<SignTarget | null>(null);
  const [terminateTarget, setTerminateTarget] = useState<TerminateTarget | null>(null);
  const [filingTarget, setFilingTarget] = useState<FilingTarget | null>(null);
  const [historyPerson, setHistoryPerson] = useState<{ id: string; name: string } | null>(null);
  const [openings, setOpenings] = useState(0); // a fresh form for every opening

  const patients = usePagedList<TeamPatient>('/api/team/patients', ['team', 'patients'], { list, disease, registration, q: q || undefined }, page, PAGE_SIZE);
  const counts = useTabCounts('/api/team/patients', ['team', 'patients'], 'list', LISTS);

  const open = <T,>(set: (v: T) => void, value: T) => {
    setOpenings((n) => n + 1);
    set(value);
  };

  const run = async (action: RowAction, row: TeamPatient) => {
    const person = { ...row.person };
    const conditions = row.conditions.map((c) => c.code);
    switch (action) {
      case 'sign':
        return open(setSignTarget, { mode: 'sign', person, conditions });
      case 'renew':
        if (row.contract && row.contract.daysToEnd > 30) {
          void message.info(t('contract.renewNotYet', { days: row.contract.daysToEnd - 30 }));
          return;
        }
        return open(setSignTarget, { mode: 'renew', person, conditions, contract: { id: row.contract!.id, endDate: row.contract!.endDate } });
      case 'terminate':
        return open(setTerminateTarget, { person, contract: row.contract! });
      case 'register':
      case 'change':
      case 'revoke':
        return open(setFilingTarget, {
          mode: action === 'register' ? 'initial' : action === 'change' ? 'change' : 'revocation',
          person,
          conditions: row.conditions,
          registrations: row.registrations,
        });
      case 'fix': {
        const returned = row.registrations.find((r) => r.state === 'returned' && r.filingId);
        if (!returned) return;
        try {
          const filing = await client.fetchQuery({
            queryKey: ['filings', 'detail', returned.filingId],
            queryFn: () => api<FilingView>(`/api/filings/${returned.filingId}`),
          });
          open(setFilingTarget, { mode: 'fix', person, conditions: row.conditions, registrations: row.registrations, filing });
        } catch (error) {
          void message.error(actionErrorLines(error).join('；'));
        }
      }
    }
  };

  const actionLabel = (a: RowAction) => t(`contract.rowActions.${a}`);

  const columns: TableColumnsType<TeamPatient> = [
    {
      title: t('person.fields.name'),
      key: 'name',
      fixed: 'left',
      width: 120,
      render: (_, r) => (
        <PersonNameCell
          link={
            <Typography.Link strong onClick={() => setHistoryPerson(r.person)} data-testid="patient-name">
              {r.person.name}
            </Typography.Link>
          }
          sex={r.person.sex}
          age={r.person.age}
        />
      ),
    },
    {
      title: t('person.fields.idNumber'),
      key: 'id',
      render: (_, r) => <IdPhoneCell idNumber={r.person.idNumber} phone={r.person.phone} />,
    },
    {
      title: t('contract.registrations'),
      key: 'registrations',
      render: (_, r) =>
        r.registrations.length ? (
          <Space size={[4, 4]} wrap>
            {r.registrations.map((g) => (
              <RegistrationTag key={g.disease} disease={g.disease} name={g.name} state={g.state} />
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('person.noDiseases')}</Typography.Text>
        ),
    },
    {
      title: t('contract.period'),
      key: 'contract',
      render: (_, r) =>
        r.contract ? (
          <div>
            <span className="mono">
              {r.contract.startDate} ~ {r.contract.endDate}
            </span>
            <div>
              <DaysToEndTag days={r.contract.daysToEnd} />
            </div>
          </div>
        ) : (
          <Tag variant="filled">{t('person.notContracted')}</Tag>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 230,
      render: (_, r) => {
        const { primary, more } = rowActions(r, list);
        return (
          <Space size={4} className="row-actions">
            {primary ? (
              <Button
                size="small"
                type={primary === 'fix' ? 'primary' : 'default'}
                danger={primary === 'fix'}
                onClick={() => void run(primary, r)}
                data-testid={`action-${primary}`}
              >
                {actionLabel(primary)}
              </Button>
            ) : null}
            <Button size="small" type="link" onClick={() => setHistoryPerson(r.person)} data-testid="action-history">
              {t('contract.rowActions.history')}
            </Button>
            {more.length ? (
              <Dropdown
                trigger={['click']}
                menu={{
                  items: more.map((a) => ({
                    key: a,
                    danger: a === 'terminate' || a === 'revoke',
                    disabled: a === 'renew' && (r.contract?.daysToEnd ?? 0) > 30,
                    label: <span data-testid={`action-${a}`}>{actionLabel(a)}</span>,
                  })),
                  onClick: ({ key }) => void run(key as RowAction, r),
                }}
              >
                <Button size="small" type="text" data-testid="action-more">
                  {t('common.more')} <DownOutlined />
                </Button>
              </Dropdown>
            ) : null}
          </Space>
        );
      },
    },
  ];

  return (
    <div className="page-stack">
      <TeamCard />
      <Card
        className="list-card"
        activeTabKey={list}
        onTabChange={(key) => update({ list: key, registration: null })}
        tabList={LISTS.map((l, i) => ({
          key: l,
          label: (
            <span data-testid={`list-${l}`}>
              {t(`contract.lists.${l}`)}
              <Badge
                count={counts[i] ?? 0}
                overflowCount={9999}
                showZero
                color={l === 'attention' ? 'red' : l === 'expiring' ? 'orange' : l === 'unsigned' ? 'blue' : '#8c9aa5'}
                className="tab-badge"
              />
            </span>
          ),
        }))}
      >
        <Typography.Paragraph type="secondary" className="list-hint">
          {t(`contract.listHints.${list}`)}
        </Typography.Paragraph>
        <FilterBar query={q} onQuery={(query) => update({ q: query })} total={patients.data?.total} testId="filter">
          <DiseaseFilter value={disease} onChange={(v) => update({ disease: v })} testId="filter-disease" />
          <Select
            allowClear
            placeholder={t('filters.registration')}
            value={registration}
            onChange={(v) => update({ registration: v })}
            options={STATES.map((s) => ({ value: s, label: t(`registrationState.${s}`) }))}
            className="filter-select"
            data-testid="filter-registration"
          />
        </FilterBar>
        <Table<TeamPatient>
          rowKey={(r) => r.person.id}
          size="small"
          columns={columns}
          dataSource={patients.data?.items ?? []}
          loading={patients.isFetching}
          scroll={{ x: 'max-content' }}
          onRow={(r) => ({ 'data-testid': 'team-patient-row', 'data-person-id': r.person.id }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`contract.empty.${list}`)} /> }}
          pagination={serverPagination(patients.data?.total, page, PAGE_SIZE, update)}
        />
      </Card>

      <SignContractModal
        key={`sign-${openings}`}
        target={signTarget}
        onClose={(done) => {
          setSignTarget(null);
          if (done) void message.success(t(done.previousContractId && signTarget?.mode === 'renew' ? 'contract.renewed' : 'contract.signed', { name: signTarget?.person.name }));
        }}
      />
      <TerminateContractModal
        key={`terminate-${openings}`}
        target={terminateTarget}
        onClose={(done) => {
          setTerminateTarget(null);
          if (done) void message.success(t('contract.terminated', { name: terminateTarget?.person.name }));
        }}
      />
      <FilingFormDrawer key={`filing-${openings}`} target={filingTarget} onClose={() => setFilingTarget(null)} />
      <PersonHistoryDrawer person={historyPerson} onClose={() => setHistoryPerson(null)} />
    </div>
  );
}
