// 随访工作台 (family doctor): the team's five follow-up lists — due this week, overdue, referral
// pending, uncontrolled, not seen this quarter — most urgent first, with the due date, the days
// overdue and the last visit's result; CSV export; a row opens the patient's chart or records a visit.
import { DownloadOutlined, FileTextOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Empty, Result, Space, Spin, Table, type TableColumnsType, Tag, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useMe } from '../auth.ts';
import { ActionTag, ClassificationTag, DueTag } from '../components/followup/labels.tsx';
import { chartPath } from '../components/followup/paths.ts';
import { useWorklist, worklistCsvUrl } from '../components/followup/queries.ts';
import {
  type Visit,
  type VisitTarget,
  type WorklistItem,
  type WorklistName,
  WORKLIST_NAMES,
} from '../components/followup/types.ts';
import VisitFormDrawer from '../components/followup/VisitFormDrawer.tsx';
import '../components/followup/followup.css';
import { useDiseaseName } from '../format.ts';
import { useTabCounts } from '../hooks/lists.ts';
import { useOverlay } from '../hooks/overlay.ts';
import { pageOf, serverPagination, useUrlState } from '../hooks/urlState.ts';
import { PersonNameCell, IdPhoneCell } from '../components/PersonCells.tsx';

const PAGE_SIZE = 20;

const BADGE_COLOR: Record<WorklistName, string> = {
  due_this_week: '#1677ff',
  overdue: '#cf1322',
  referral_pending: '#d4380d',
  uncontrolled: '#d48806',
  not_seen_this_quarter: '#8c9aa5',
};

export default function FollowUpWorklistPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const diseaseName = useDiseaseName();
  const [params, update] = useUrlState();
  const list = (WORKLIST_NAMES as string[]).includes(params.get('list') ?? '') ? (params.get('list') as WorklistName) : 'due_this_week';
  const page = pageOf(params);
  const isDoctor = me.data?.role === 'family_doctor';

  const visit = useOverlay<VisitTarget>('visit'); // Back closes the form and leaves the list as it was

  const items = useWorklist(list, page, PAGE_SIZE, isDoctor);
  const counts = useTabCounts('/api/team/worklist', ['followups', 'worklist'], 'list', WORKLIST_NAMES, isDoctor);

  if (me.data && !isDoctor) {
    return (
      <Card>
        <Result status="info" title={t('followup.worklist.doctorsOnly')} subTitle={t('followup.worklist.doctorsOnlyHint')} />
      </Card>
    );
  }

  const setList = (key: string) => update({ list: key });

  const recordVisit = (row: WorklistItem) => {
    visit.open({ person: row.person, diseases: row.diseases });
  };

  const columns: TableColumnsType<WorklistItem> = [
    {
      title: t('person.fields.name'),
      key: 'name',
      fixed: 'left',
      width: 130,
      render: (_, r) => (
        <PersonNameCell
          link={
            <Link to={chartPath(r.person.id)} className="fu-person-link" data-testid="worklist-patient">
              {r.person.name}
            </Link>
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
      title: t('followup.fields.diseases'),
      key: 'diseases',
      render: (_, r) => (
        <Space size={[4, 4]} wrap>
          {r.diseases.map((d) => (
            <Tag key={d} variant="outlined">
              {diseaseName(d)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('followup.worklist.due'),
      key: 'due',
      render: (_, r) => (
        <div className="fu-due">
          <span className="mono" data-testid="due-date">
            {r.dueDate}
          </span>
          <DueTag state={r.dueState} daysOverdue={r.daysOverdue} daysUntilDue={r.daysUntilDue} />
        </div>
      ),
    },
    {
      title: t('followup.worklist.lastVisit'),
      key: 'last',
      render: (_, r) =>
        r.lastVisitDate ? (
          <div className="fu-last-cell" data-testid="last-visit-cell">
            <span className="mono">{r.lastVisitDate}</span>
            <Space size={4} wrap>
              {r.lastClassification ? <ClassificationTag value={r.lastClassification} /> : null}
              {r.lastAction && r.lastAction !== 'routine' ? <ActionTag value={r.lastAction} /> : null}
            </Space>
          </div>
        ) : (
          <Tag color="gold" data-testid="never-seen">
            {t('followup.worklist.neverSeen')}
          </Tag>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 190,
      render: (_, r) => (
        <Space size={4} className="row-actions">
          <Button size="small" type="primary" onClick={() => recordVisit(r)} data-testid="action-record-visit">
            {t('followup.recordVisit')}
          </Button>
          <Button size="small" type="link" icon={<FileTextOutlined />} onClick={() => navigate(chartPath(r.person.id))} data-testid="action-open-chart">
            {t('followup.chartShort')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <div className="page-stack">
      <Card
        className="list-card"
        title={t('followup.worklist.title')}
        extra={
          <Button icon={<DownloadOutlined />} href={worklistCsvUrl(list)} download={`worklist-${list}.csv`} data-testid="worklist-export">
            {t('followup.worklist.export')}
          </Button>
        }
        activeTabKey={list}
        onTabChange={setList}
        tabList={WORKLIST_NAMES.map((l, i) => ({
          key: l,
          label: (
            <span data-testid={`worklist-tab-${l}`}>
              {t(`followup.lists.${l}`)}
              {counts[i] === undefined ? (
                <Spin size="small" className="tab-badge tab-badge--loading" aria-label={t('common.loading')} data-testid={`worklist-count-loading-${l}`} />
              ) : (
                <Badge
                  count={counts[i]}
                  overflowCount={9999}
                  showZero
                  color={BADGE_COLOR[l]}
                  className="tab-badge"
                  data-testid={`worklist-count-${l}`}
                />
              )}
            </span>
          ),
        }))}
      >
        <Typography.Paragraph type="secondary" className="list-hint">
          {t(`followup.listHints.${list}`)}
          {items.data ? (
            <span className="fu-total" data-testid="worklist-total">
              {t('common.total', { total: items.data.total })}
            </span>
          ) : null}
        </Typography.Paragraph>
        <Table<WorklistItem>
          rowKey={(r) => r.person.id}
          size="small"
          columns={columns}
          dataSource={items.data?.items ?? []}
          loading={items.isFetching}
          scroll={{ x: 'max-content' }}
          rowClassName={(r) => (r.dueState === 'overdue' ? 'fu-row-overdue' : '')}
          onRow={(r) =>
            ({
              'data-testid': 'worklist-row',
              'data-person-id': r.person.id,
              'data-days-overdue': r.daysOverdue,
              'data-diseases': r.diseases.join(' '),
            }) as HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`followup.listEmpty.${list}`)} /> }}
          pagination={serverPagination(items.data?.total, page, PAGE_SIZE, update)}
        />
      </Card>

      <VisitFormDrawer
        key={`visit-${visit.openings}`}
        target={visit.value}
        onClose={(_saved?: Visit) => visit.close()}
        onOpenChart={(id) => visit.close(chartPath(id))}
      />
    </div>
  );
}
