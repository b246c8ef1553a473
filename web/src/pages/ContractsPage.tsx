// 签约管理 (family doctor): the team card, then the team's patients in four lists — contracted,
// to sign (diagnosed but not contracted), expiring within 30 days, needing attention (returned
// filings) — with filters and the next step on each row: sign, renew, terminate, register, change.
import { DownOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Badge, Button, Card, Dropdown, Empty, Select, Space, Spin, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import PersonHistoryDrawer from '../components/PersonHistoryDrawer.tsx';
import SignContractModal, { type SignTarget } from '../components/contract/SignContractModal.tsx';
import TeamCard from '../components/contract/TeamCard.tsx';
import TerminateContractModal, { type TerminateTarget } from '../components/contract/TerminateContractModal.tsx';
import FilingFormDrawer, { type FilingTarget } from '../components/filing/FilingFormDrawer.tsx';
import PrescriptionFormDrawer, { type PrescribeTarget } from '../components/prescription/PrescriptionFormDrawer.tsx';
import { DaysToEndTag, RegistrationTag } from '../components/labels.tsx';
import { actionErrorLines } from '../formErrors.ts';
import type { FilingView, RegistrationState, TeamList, TeamPatient } from '../types.ts';
import { pageOf, serverPagination, useUrlState } from '../hooks/urlState.ts';
import FilterBar, { DiseaseFilter } from '../components/FilterBar.tsx';
import { usePagedList, useTabCounts } from '../hooks/lists.ts';
import { useOverlay } from '../hooks/overlay.ts';
import { PersonNameCell, IdPhoneCell } from '../components/PersonCells.tsx';

const PAGE_SIZE = 20;
const LISTS: TeamList[] = ['contracted', 'unsigned', 'expiring', 'attention'];
const STATES: RegistrationState[] = ['none', 'pending', 'returned', 'confirmed'];

type RowAction = 'sign' | 'fix' | 'register' | 'change' | 'revoke' | 'renew' | 'terminate' | 'prescribe';

function rowActions(row: TeamPatient, list: TeamList): { primary: RowAction | null; more: RowAction[] } {
  const contracted = row.contract !== null && row.contract.daysToEnd >= 0 && list !== 'unsigned';
  if (!contracted) return { primary: 'sign', more: [] };
  const states = new Set(row.registrations.map((r) => r.state));
  const actions: RowAction[] = [];
  if (states.has('returned')) actions.push('fix');
  if (states.has('none')) actions.push('register');
  if (states.has('confirmed')) actions.push('change');
  if (row.contract!.daysToEnd <= 30) {
    // in the expiring list renewing is the next step, whatever else is open
    if (list === 'expiring') actions.unshift('renew');
    else actions.push('renew');
  }
  const [primary = null, ...rest] = actions;
  const more: RowAction[] = [...rest];
  if (states.has('confirmed')) more.unshift('prescribe'); // 开方: a registered patient (issue 14)
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

  // Back closes whichever is open and leaves the list as it was
  const sign = useOverlay<SignTarget>('sign-contract');
  const terminate = useOverlay<TerminateTarget>('terminate-contract');
  const filingDrawer = useOverlay<FilingTarget>('filing');
  const history = useOverlay<{ id: string; name: string }>('person-history');
  const prescribe = useOverlay<PrescribeTarget>('prescribe');
  const signTarget = sign.value;
  const terminateTarget = terminate.value;

  const patients = usePagedList<TeamPatient>('/api/team/patients', ['team', 'patients'], { list, disease, registration, q: q || undefined }, page, PAGE_SIZE);
  const counts = useTabCounts('/api/team/patients', ['team', 'patients'], 'list', LISTS);

  const run = async (action: RowAction, row: TeamPatient) => {
    const person = { ...row.person };
    const conditions = row.conditions.map((c) => c.code);
    switch (action) {
      case 'sign':
        return sign.open({ mode: 'sign', person, conditions });
      case 'renew':
        if (row.contract && row.contract.daysToEnd > 30) {
          void message.info(t('contract.renewNotYet', { days: row.contract.daysToEnd - 30 }));
          return;
        }
        return sign.open({ mode: 'renew', person, conditions, contract: { id: row.contract!.id, endDate: row.contract!.endDate } });
      case 'terminate':
        return terminate.open({ person, contract: row.contract! });
      case 'prescribe':
        return prescribe.open({ person: { id: person.id, name: person.name, idNumber: person.idNumber } });
      case 'register':
      case 'change':
      case 'revoke':
        return filingDrawer.open({
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
          filingDrawer.open({ mode: 'fix', person, conditions: row.conditions, registrations: row.registrations, filing });
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
            <Typography.Link strong onClick={() => history.open(r.person)} data-testid="patient-name">
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
                type={primary === 'fix' || primary === 'renew' ? 'primary' : 'default'}
                danger={primary === 'fix'}
                onClick={() => void run(primary, r)}
                data-testid={`action-${primary}`}
              >
                {actionLabel(primary)}
              </Button>
            ) : null}
            <Button size="small" type="link" onClick={() => history.open(r.person)} data-testid="action-history">
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
              {counts[i] === undefined ? (
                <Spin size="small" className="tab-badge tab-badge--loading" aria-label={t('common.loading')} data-testid={`list-count-loading-${l}`} />
              ) : (
                <Badge
                  count={counts[i]}
                  overflowCount={9999}
                  showZero
                  color={l === 'attention' ? 'red' : l === 'expiring' ? 'orange' : l === 'unsigned' ? 'blue' : '#8c9aa5'}
                  className="tab-badge"
                  data-testid={`list-count-${l}`}
                />
              )}
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
        key={`sign-${sign.openings}`}
        target={signTarget}
        onClose={(done) => {
          sign.close();
          if (done) void message.success(t(done.previousContractId && signTarget?.mode === 'renew' ? 'contract.renewed' : 'contract.signed', { name: signTarget?.person.name }));
        }}
      />
      <TerminateContractModal
        key={`terminate-${terminate.openings}`}
        target={terminateTarget}
        onClose={(done) => {
          terminate.close();
          if (done) void message.success(t('contract.terminated', { name: terminateTarget?.person.name }));
        }}
      />
      <FilingFormDrawer key={`filing-${filingDrawer.openings}`} target={filingDrawer.value} onClose={() => filingDrawer.close()} />
      <PersonHistoryDrawer person={history.value} onClose={() => history.close()} />
      <PrescriptionFormDrawer key={`prescribe-${prescribe.openings}`} target={prescribe.value} onClose={() => prescribe.close()} />
    </div>
  );
}
