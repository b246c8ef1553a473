// The patient's follow-up visits, latest first: date, mode, readings, the final classification (an
// asterisk when the doctor overrode the rules) and the next date; a row opens the whole form.
import { Descriptions, Empty, Space, Table, type TableColumnsType, Tag } from 'antd';
import type { HTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useDiseaseName } from '../../format.ts';
import { ActionTag, ClassificationTag } from './labels.tsx';
import { symptomLabel } from './symptoms.ts';
import type { Visit } from './types.ts';
import { bpText, tenthsText } from './units.ts';
import { reasonText, urgentSignLabel } from './urgentSigns.ts';

function VisitDetail({ visit, action }: { visit: Visit; action?: ReactNode }) {
  const { t } = useTranslation();
  const none = t('common.none');
  const l = visit.lifestyle;
  const r = visit.readings;
  const opt = (v: string | number | null, suffix = '') => (v === null || v === undefined ? none : `${v}${suffix}`);
  return (
    <div className="fu-visit-detail" data-testid="visit-detail">
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 4 }}
        items={[
          { key: 'symptoms', label: t('followup.fields.symptoms'), span: 'filled', children: visit.symptoms.length ? visit.symptoms.map((s) => symptomLabel(t, s)).join('、') : t('followup.form.noSymptoms') },
          { key: 'hr', label: t('followup.fields.heartRate'), children: opt(r.heartRate) },
          { key: 'weight', label: t('followup.fields.weight'), children: r.weightTenthsKg === null ? none : `${tenthsText(r.weightTenthsKg)} kg` },
          { key: 'bmi', label: t('followup.fields.bmi'), children: tenthsText(r.bmiTenths) },
          { key: 'hba1c', label: t('followup.fields.hba1c'), children: r.hba1cTenths === null ? none : `${tenthsText(r.hba1cTenths)} %` },
          { key: 'smoking', label: t('followup.fields.smokingPerDay'), children: opt(l.smokingPerDay) },
          { key: 'drinking', label: t('followup.fields.drinkingMlPerDay'), children: opt(l.drinkingMlPerDay, ' ml') },
          { key: 'exercise', label: t('followup.fields.exercisePerWeek'), children: opt(l.exercisePerWeek) },
          { key: 'salt', label: t('followup.fields.saltIntake'), children: l.saltIntake ? t(`followup.salt.${l.saltIntake}`) : none },
          { key: 'mental', label: t('followup.fields.mentalState'), children: l.mentalState ? t(`followup.mental.${l.mentalState}`) : none },
          { key: 'adherence', label: t('followup.fields.adherence'), children: l.adherence ? t(`followup.adherence.${l.adherence}`) : none },
          {
            key: 'adverse',
            label: t('followup.fields.adverseReaction'),
            children: `${t(`followup.adverse.${visit.adverseReaction}`, { defaultValue: visit.adverseReaction })}${visit.adverseReactionNote ? `（${visit.adverseReactionNote}）` : ''}`,
          },
          { key: 'complication', label: t('followup.fields.complication'), children: t(`followup.complication.${visit.complication}`, { defaultValue: visit.complication }) },
          {
            key: 'urgentSigns',
            label: t('followup.fields.urgentSigns'),
            span: 'filled',
            children: visit.urgentSigns.length ? visit.urgentSigns.map((s) => urgentSignLabel(t, s)).join(t('followup.listSeparator')) : none,
          },
          {
            key: 'drugs',
            label: t('followup.fields.drugs'),
            span: 'filled',
            children: visit.drugs.length
              ? visit.drugs.map((d) => [d.name, d.dose, d.frequency ? t(`frequency.${d.frequency}`, { defaultValue: d.frequency }) : null].filter(Boolean).join(' ')).join('；')
              : none,
          },
          {
            key: 'reasons',
            label: t('followup.result.reasons'),
            span: 'filled',
            children: visit.rules.reasons.map((x) => reasonText(t, visit, x)).join('；'),
          },
          ...(visit.override
            ? [
                {
                  key: 'override',
                  label: t('followup.result.overridden'),
                  span: 'filled' as const,
                  children: `${t('followup.result.rulesSaid', { classification: t(`followup.classification.${visit.rules.classification}`), date: visit.rules.nextVisitDate })}；${t('followup.result.reason')}：${visit.override.reason}`,
                },
              ]
            : []),
          ...(visit.referralAdvice ? [{ key: 'referral', label: t('followup.fields.referralAdvice'), span: 'filled' as const, children: visit.referralAdvice }] : []),
          ...(visit.note ? [{ key: 'note', label: t('followup.fields.note'), span: 'filled' as const, children: visit.note }] : []),
        ]}
      />
      {action ? <div className="visit-detail-action">{action}</div> : null}
    </div>
  );
}

/** `visitAction`: what a visit's detail offers (the chart's 转为转诊 for a visit with referral advice). */
export default function VisitTable({ visits, highlightId, visitAction }: { visits: Visit[]; highlightId?: string | null; visitAction?: (v: Visit) => ReactNode }) {
  const { t } = useTranslation();
  const diseaseName = useDiseaseName();
  const columns: TableColumnsType<Visit> = [
    { title: t('followup.fields.visitDate'), dataIndex: 'visitDate', width: 110, render: (d: string) => <span className="mono">{d}</span> },
    {
      title: t('followup.fields.diseases'),
      key: 'diseases',
      render: (_, v) => (
        <Space size={[2, 2]} wrap>
          {v.diseases.map((d) => (
            <Tag key={d} variant="outlined">
              {diseaseName(d)}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('followup.fields.mode'), dataIndex: 'mode', render: (m: string) => t(`followup.mode.${m}`) },
    {
      title: t('followup.fields.bp'),
      key: 'bp',
      align: 'right',
      render: (_, v) => (
        <span className="mono" data-testid="visit-bp">
          {bpText(v.readings.systolic, v.readings.diastolic)}
        </span>
      ),
    },
    {
      title: t('followup.fields.fastingGlucose'),
      key: 'glucose',
      align: 'right',
      render: (_, v) => <span className="mono">{tenthsText(v.readings.fastingGlucoseTenths)}</span>,
    },
    {
      title: t('followup.fields.classification'),
      key: 'classification',
      render: (_, v) => <ClassificationTag value={v.classification} overridden={!!v.override?.classification} />,
    },
    { title: t('followup.fields.action'), key: 'action', render: (_, v) => <ActionTag value={v.action} /> },
    {
      title: t('followup.fields.nextVisitDate'),
      key: 'next',
      render: (_, v) => (
        <span className="mono">
          {v.nextVisitDate}
          {v.override?.nextVisitDate ? <span className="fu-tag-mark">*</span> : null}
        </span>
      ),
    },
  ];
  return (
    <Table<Visit>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={visits}
      pagination={visits.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
      expandable={{ expandedRowRender: (v) => <VisitDetail visit={v} action={visitAction?.(v)} />, expandRowByClick: true }}
      rowClassName={(v) => (v.id === highlightId ? 'fu-row-new' : 'row-clickable')}
      onRow={(v) => ({ 'data-testid': 'visit-row', 'data-visit-id': v.id, 'data-visit-date': v.visitDate }) as HTMLAttributes<HTMLElement>}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followup.chart.noVisits')} /> }}
    />
  );
}
