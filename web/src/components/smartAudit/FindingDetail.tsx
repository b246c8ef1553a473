// One finding as the reviewer weighs it: what was flagged (person, institution, doctor, the amount at
// stake), the rule in force when it was found — its description, its parameters, the national rule it
// stands for — the evidence fact by fact, the claim or prescription it is about, the decision if any,
// and its history (found, confirmed, dismissed, reopened; by whom, when, why).
import { Alert, Card, Descriptions, Table, Tag, Timeline, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, yuan } from '../../format.ts';
import Evidence, { FactList, useNames } from './Evidence.tsx';
import { type FindingDetail as Detail, type FindingEvent, ruleDescription, ruleTitle } from './api.ts';
import { FindingStatusTag } from './labels.tsx';

function RuleCard({ finding }: { finding: Detail }) {
  const { t } = useTranslation();
  const rule = finding.rule;
  return (
    <Card size="small" title={t('smartAudit.detail.rule')} data-testid="finding-rule" data-code={finding.ruleCode}>
      <Typography.Paragraph className="sa-rule-title">
        <Typography.Text strong>{ruleTitle(rule, finding.ruleCode)}</Typography.Text>{' '}
        <Tag className="mono">
          {finding.ruleCode} · v{finding.ruleVersion}
        </Tag>
      </Typography.Paragraph>
      <Typography.Paragraph data-testid="finding-rule-description">{ruleDescription(rule)}</Typography.Paragraph>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('smartAudit.rules.params')}>
          <FactList facts={rule.params} nested testId="finding-rule-params" />
        </Descriptions.Item>
        <Descriptions.Item label={t('smartAudit.rules.nationalRule')}>{rule.nationalRule ?? t('smartAudit.rules.noNationalRule')}</Descriptions.Item>
        <Descriptions.Item label={t('smartAudit.rules.points')}>{t('smartAudit.rules.pointsValue', { points: rule.points })}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function SubjectCard({ finding }: { finding: Detail }) {
  const { t } = useTranslation();
  const names = useNames();
  // the catalogue's name in the screen's language; the server's (Chinese) name for a drug it does not list
  const drug = (l: { drugCode: string; drugName: string }) => {
    const named = names.drug(l.drugCode);
    return named === l.drugCode ? l.drugName || l.drugCode : named;
  };
  if (finding.claim) {
    const c = finding.claim;
    return (
      <Card size="small" title={t('smartAudit.detail.claim')} data-testid="finding-claim">
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t('smartAudit.detail.claimNo')}>
            <span className="mono">{c.settlementNo ?? t('common.none')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('smartAudit.detail.serviceDate')}>
            <span className="mono">{c.serviceDate}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('smartAudit.detail.claimStatus')}>{t(`smartAudit.claimStatus.${c.status}`, { defaultValue: c.status })}</Descriptions.Item>
          <Descriptions.Item label={t('smartAudit.detail.total')}>¥{yuan(c.amountFen)}</Descriptions.Item>
          <Descriptions.Item label={t('smartAudit.detail.fund')}>¥{yuan(c.fundPayFen)}</Descriptions.Item>
          <Descriptions.Item label={t('smartAudit.detail.self')}>¥{yuan(c.amountFen - c.fundPayFen)}</Descriptions.Item>
        </Descriptions>
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={c.lines}
          onRow={(l) => ({ 'data-testid': 'finding-claim-line', 'data-line': l.lineNo }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('smartAudit.detail.drug'), key: 'drug', render: (_, l) => drug(l) },
            { title: t('smartAudit.detail.quantity'), dataIndex: 'quantity', align: 'right' },
            { title: t('smartAudit.detail.daysSupply'), key: 'days', align: 'right', render: (_, l) => (l.daysSupply ? t('smartAudit.daysValue', { days: l.daysSupply }) : t('common.none')) },
            { title: t('smartAudit.detail.amount'), key: 'amount', align: 'right', render: (_, l) => `¥${yuan(l.amountFen)}` },
            { title: t('smartAudit.detail.fund'), key: 'fund', align: 'right', render: (_, l) => `¥${yuan(l.fundPayFen)}` },
          ]}
        />
      </Card>
    );
  }
  if (finding.prescription) {
    const p = finding.prescription;
    return (
      <Card size="small" title={t('smartAudit.detail.prescription')} data-testid="finding-prescription">
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t('smartAudit.detail.prescriptionNo')}>
            <span className="mono">{p.prescriptionNo}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('smartAudit.detail.writtenOn')}>
            <span className="mono">{p.writtenOn}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('smartAudit.detail.daysSupply')}>{t('smartAudit.daysValue', { days: p.daysSupply })}</Descriptions.Item>
          <Descriptions.Item label={t('smartAudit.detail.prescriptionStatus')}>{t(`pharmacy.status.${p.status}`, { defaultValue: p.status })}</Descriptions.Item>
        </Descriptions>
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={p.lines}
          columns={[
            { title: t('smartAudit.detail.drug'), key: 'drug', render: (_, l) => drug(l) },
            { title: t('smartAudit.detail.dose'), key: 'dose', render: (_, l) => `${l.dose} · ${t(`frequency.${l.frequency}`, { defaultValue: l.frequency })}` },
            { title: t('smartAudit.detail.daysSupply'), key: 'days', align: 'right', render: (_, l) => t('smartAudit.daysValue', { days: l.daysSupply }) },
            { title: t('smartAudit.detail.packs'), dataIndex: 'quantity', align: 'right' },
          ]}
        />
      </Card>
    );
  }
  return null;
}

function eventText(t: (k: string, o?: Record<string, unknown>) => string, e: FindingEvent): string {
  const d = (e.detail ?? {}) as { deductionFen?: number; against?: string };
  if (e.action === 'confirmed' && typeof d.deductionFen === 'number')
    return t('smartAudit.history.confirmedWith', { amount: yuan(d.deductionFen), against: t(`smartAudit.against.${d.against ?? 'institution'}`) });
  return t(`smartAudit.history.${e.action}`);
}

export function FindingHistory({ events }: { events: FindingEvent[] }) {
  const { t } = useTranslation();
  return (
    <Timeline
      className="compact-timeline"
      data-testid="finding-history"
      items={events.map((e) => ({
        color: e.action === 'confirmed' ? 'red' : e.action === 'dismissed' ? 'green' : e.action === 'reopened' ? 'orange' : 'blue',
        content: (
          <div data-testid="finding-history-entry" data-action={e.action}>
            <Typography.Text strong>{eventText(t, e)}</Typography.Text>
            <div className="cell-sub">
              {formatDateTime(e.at)} · {e.by ?? t('smartAudit.history.system')}
            </div>
            {e.reason ? <div data-testid="finding-history-reason">{e.reason}</div> : null}
          </div>
        ),
      }))}
    />
  );
}

export default function FindingDetail({ finding }: { finding: Detail }) {
  const { t } = useTranslation();
  return (
    <div className="page-stack" data-testid="finding-detail" data-status={finding.status} data-id={finding.id}>
      <Descriptions size="small" bordered column={3}>
        <Descriptions.Item label={t('smartAudit.fields.person')}>
          {finding.person ? (
            <>
              <span data-testid="finding-person">{finding.person.name}</span> <span className="mono cell-sub">{finding.person.idNumber}</span>
            </>
          ) : (
            t('smartAudit.fields.noPerson')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('smartAudit.fields.institution')}>{finding.institution.name}</Descriptions.Item>
        <Descriptions.Item label={t('smartAudit.fields.doctor')}>{finding.doctor?.name ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('smartAudit.fields.serviceDate')}>
          <span className="mono">{finding.serviceDate}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('smartAudit.fields.amount')}>
          <Typography.Text strong data-testid="finding-amount">
            ¥{yuan(finding.amountFen)}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('smartAudit.fields.status')}>
          <FindingStatusTag status={finding.status} />
        </Descriptions.Item>
      </Descriptions>
      {finding.status === 'confirmed' && finding.deductionFen !== null ? (
        <Alert
          type="warning"
          showIcon
          data-testid="finding-decision"
          title={t('smartAudit.detail.confirmedLine', { amount: yuan(finding.deductionFen), against: t(`smartAudit.against.${finding.deductionAgainst ?? 'institution'}`) })}
          description={finding.decisionReason ?? undefined}
        />
      ) : finding.status === 'dismissed' ? (
        <Alert type="success" showIcon data-testid="finding-decision" title={t('smartAudit.detail.dismissedLine')} description={finding.decisionReason ?? undefined} />
      ) : null}
      <RuleCard finding={finding} />
      <Card size="small" title={t('smartAudit.detail.evidence')}>
        <Evidence evidence={finding.evidence} />
      </Card>
      <SubjectCard finding={finding} />
      <Card size="small" title={t('smartAudit.detail.history')}>
        <FindingHistory events={finding.history} />
      </Card>
    </div>
  );
}
