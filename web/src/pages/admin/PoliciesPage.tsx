// 待遇政策 (read only): the benefit policies with their regions and periods, which one applies to a
// region on a date, and a policy's content as `manbing policy show` reads it — deductibles and limits
// in yuan, ratios in %, by institution level, each number with where it comes from (the notice's item
// and words, or the local reason). The policy files give local reasons and drafting notes in English: zh-CN
// shows a Chinese label with the English text in its tooltip; the seeds' quotes are verbatim, labelled as such.
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, DatePicker, Descriptions, Drawer, Empty, Select, Skeleton, Space, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { ISO_DATE, todayIso } from '../../format.ts';
import { useUrlState } from '../../hooks/urlState.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { hasForeignWords } from '../../i18n/problems.ts';
import { type Level, useRegions } from './directory.ts';
import { LevelTag, percentText, yuanText } from './parts.tsx';
import './admin.css';

type Source = { kind: 'cite'; seed: string | null; doc: string | null; item: string | null; quote: string | null } | { kind: 'local'; reason: string } | null;
interface Summary {
  id: string;
  name: string;
  region: { code: string; name: string };
  effective: { from: string; to: string | null };
  inForce: boolean;
  schemes: Array<{ type: 'resident' | 'employee'; name: string }>;
}
interface Benefit {
  kind: 'two_disease' | 'general' | 'specified';
  key: string | null;
  name: string;
  pool: string;
  deductible: { fen: number; source: Source };
  annualLimit: { fen: number | null; source: Source };
  ratios: Array<{ level: Level; bp: number | null; source: Source }>;
  maxDaysSupply: { days: number; source: Source };
  diseases: string[] | null;
  drugList: string;
  chosenInstitutionOnly: boolean;
  category: string | null;
  note: string | null;
  grades: Array<{ grade: string; levels: Level[]; diseases: string[]; source: Source }>;
  extendedPrescription: { drugList: string; levels: Level[]; source: Source } | null;
}
type SchemeDetail =
  | { type: 'resident' | 'employee'; defined: false }
  | {
      type: 'resident' | 'employee';
      defined: true;
      name: string;
      note: string | null;
      linkage: { outOfScope: 'general_outpatient' | 'refuse'; selfPaid: 'counts_toward_critical_illness' | 'none'; source: Source };
      benefits: Benefit[];
      pools: Array<{ pool: string; limitFen: number | null; generalAtMostFen: number | null }>;
    };
interface Detail extends Summary {
  note: string | null;
  registration: { oneStopLevels: Level[]; source: Source } | null;
  pricing: { items: Array<{ kind: 'drugs' | 'services'; level: Level; bp: number; source: Source }>; note: string | null };
  schemeDetails: SchemeDetail[];
  diseaseNames: Array<{ code: string; nameZh: string; nameEn: string }>;
  drugLists: Array<{ id: string; nameZh: string; nameEn: string }>;
}
interface Listing {
  date: string;
  regionCode: string | null;
  applies: string | null;
  items: Summary[];
}

/** A text of the policy file that zh-CN shows as it is: no English words in it (en-US shows every text). */
const readable = (text: string) => currentLanguage() === 'en-US' || !hasForeignWords(text);

/** A document's name without the English asides of the policy file, e.g. "医保发〔2019〕54号 (brief DOMAIN.md §4)". */
const docName = (doc: string) => (currentLanguage() === 'en-US' ? doc : doc.replace(/\s*[(（][^()（）]*[)）]/g, (aside) => (hasForeignWords(aside) ? '' : aside)));

function SourceLine({ source }: { source: Source }) {
  const { t } = useTranslation();
  if (!source) return null;
  if (source.kind === 'local') {
    if (readable(source.reason)) return <span className="policy-source">{t('directory.policies.source.local', { reason: source.reason })}</span>;
    return (
      <Tooltip title={t('directory.policies.source.localHint', { reason: source.reason })}>
        <Tag className="policy-source-tag" style={{ marginInlineStart: 8 }} data-testid="policy-source-local">{t('directory.policies.source.localTag')}</Tag>
      </Tooltip>
    );
  }
  const where = [
    source.seed ? t('directory.policies.source.seed', { seed: source.seed }) : source.doc ? docName(source.doc) : null,
    source.item ? t('directory.policies.source.item', { item: source.item }) : null,
  ].filter(Boolean).join(' ');
  return (
    <span className="policy-source">
      {t('directory.policies.source.cite', { where })}
      {source.quote ? t('directory.policies.source.quote', { quote: source.quote }) : ''}
    </span>
  );
}

/** A drafting note of the policy file: as it is when readable, else a labelled tag with the note in its tooltip. */
function Note({ note }: { note: string }) {
  const { t } = useTranslation();
  if (readable(note)) return <>{note}</>;
  return (
    <Tooltip title={t('directory.policies.source.noteHint', { note })}>
      <Tag className="policy-source-tag" data-testid="policy-note-foreign">{t('directory.policies.source.noteTag')}</Tag>
    </Tooltip>
  );
}

function Amount({ children }: { children: ReactNode }) {
  return <span className="policy-amount">{children}</span>;
}

function BenefitCard({ b, names }: { b: Benefit; names: { disease: (c: string) => string; list: (id: string) => string; levels: (l: Level[]) => string } }) {
  const { t } = useTranslation();
  const yuan = (fen: number) => t('directory.common.yuan', { amount: yuanText(fen) });
  return (
    <Card
      size="small"
      className="policy-section"
      title={
        <Space size={8} wrap>
          <span>{b.name}</span>
          <Tag>{t(`directory.policies.benefitKind.${b.kind}`)}</Tag>
          {b.category ? <Tag>{b.category}</Tag> : null}
        </Space>
      }
      data-testid={`benefit-${b.kind}${b.key ? `-${b.key}` : ''}`}
    >
      <Descriptions size="small" column={1} bordered styles={{ label: { width: 200 } }}>
        <Descriptions.Item label={t('directory.policies.fields.deductible')}>
          <Amount>{b.deductible.fen === 0 ? t('directory.policies.noDeductible') : yuan(b.deductible.fen)}</Amount>
          <SourceLine source={b.deductible.source} />
        </Descriptions.Item>
        <Descriptions.Item label={t('directory.policies.fields.annualLimit')}>
          <Amount>{b.annualLimit.fen === null ? t('directory.policies.noLimit') : t('directory.policies.limitPerYear', { amount: yuan(b.annualLimit.fen) })}</Amount>
          <SourceLine source={b.annualLimit.source} />
        </Descriptions.Item>
        {b.ratios.map((r) => (
          <Descriptions.Item key={r.level} label={t('directory.policies.fields.ratioAt', { level: t(`directory.level.${r.level}`) })}>
            {r.bp === null ? (
              <Typography.Text type="secondary">{t('directory.policies.notCovered')}</Typography.Text>
            ) : (
              <>
                <Amount>{t('directory.policies.fundPays', { pct: percentText(r.bp) })}</Amount>
                <SourceLine source={r.source} />
              </>
            )}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t('directory.policies.fields.maxDays')}>
          <Amount>{t('directory.policies.days', { days: b.maxDaysSupply.days })}</Amount>
          <SourceLine source={b.maxDaysSupply.source} />
        </Descriptions.Item>
        <Descriptions.Item label={t('directory.policies.fields.diseases')}>
          {b.diseases ? b.diseases.map((d) => <Tag key={d}>{names.disease(d)}</Tag>) : t('directory.policies.anyDisease')}
        </Descriptions.Item>
        <Descriptions.Item label={t('directory.policies.fields.drugList')}>{names.list(b.drugList)}</Descriptions.Item>
        <Descriptions.Item label={t('directory.policies.fields.pool')}>{t(`directory.policies.pools.${b.pool}`, { defaultValue: b.pool })}</Descriptions.Item>
        {b.chosenInstitutionOnly ? <Descriptions.Item label={t('directory.policies.fields.where')}>{t('directory.policies.chosenOnly')}</Descriptions.Item> : null}
        {b.grades.map((g) => (
          <Descriptions.Item key={g.grade} label={t('directory.policies.fields.grade', { grade: g.grade })}>
            {t('directory.policies.gradeText', { diseases: g.diseases.map(names.disease).join('、'), levels: names.levels(g.levels) })}
            <SourceLine source={g.source} />
          </Descriptions.Item>
        ))}
        {b.extendedPrescription ? (
          <Descriptions.Item label={t('directory.policies.fields.extended')}>
            {t('directory.policies.extendedText', { levels: names.levels(b.extendedPrescription.levels), list: names.list(b.extendedPrescription.drugList) })}
            <SourceLine source={b.extendedPrescription.source} />
          </Descriptions.Item>
        ) : null}
        {b.note ? <Descriptions.Item label={t('directory.policies.fields.note')}><Note note={b.note} /></Descriptions.Item> : null}
      </Descriptions>
    </Card>
  );
}

function PolicyDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const en = currentLanguage() === 'en-US';
  const detail = useQuery({ queryKey: ['admin', 'policies', id], queryFn: ({ signal }) => api<Detail>(`/api/admin/policies/${encodeURIComponent(id)}`, { signal }) });
  if (detail.isPending) return <Skeleton active />;
  if (!detail.data) return <Empty />;
  const p = detail.data;
  const names = {
    disease: (c: string) => {
      const d = p.diseaseNames.find((x) => x.code === c);
      return t(`diseases.${c}`, { defaultValue: d ? (en ? d.nameEn : d.nameZh) : c });
    },
    list: (lid: string) => {
      const l = p.drugLists.find((x) => x.id === lid);
      return l ? (en ? l.nameEn : l.nameZh) : lid;
    },
    levels: (levels: Level[]) => levels.map((l) => t(`directory.level.${l}`)).join('、'),
  };
  const yuan = (fen: number) => t('directory.common.yuan', { amount: yuanText(fen) });
  return (
    <div data-testid="policy-detail">
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('directory.policies.fields.region')}>{p.region.name}</Descriptions.Item>
        <Descriptions.Item label={t('directory.policies.fields.period')}>
          {p.effective.from} ~ {p.effective.to ?? t('directory.policies.open')}
          {p.inForce ? <Tag color="green" className="cell-tag">{t('directory.policies.inForce')}</Tag> : null}
        </Descriptions.Item>
        {p.registration ? (
          <Descriptions.Item label={t('directory.policies.fields.registration')} span={2}>
            {t('directory.policies.oneStop', { levels: names.levels(p.registration.oneStopLevels) })}
            <SourceLine source={p.registration.source} />
          </Descriptions.Item>
        ) : (
          <Descriptions.Item label={t('directory.policies.fields.registration')} span={2}>{t('directory.policies.agencyReviews')}</Descriptions.Item>
        )}
        {p.pricing.items.map((r) => (
          <Descriptions.Item key={`${r.kind}-${r.level}`} label={t(`directory.policies.pricing.${r.kind}`)} span={2}>
            {t('directory.policies.priceAt', { level: t(`directory.level.${r.level}`), pct: percentText(r.bp) })}
            <SourceLine source={r.source} />
          </Descriptions.Item>
        ))}
        {p.note ? <Descriptions.Item label={t('directory.policies.fields.note')} span={2}><Note note={p.note} /></Descriptions.Item> : null}
      </Descriptions>
      {p.schemeDetails.map((s) =>
        s.defined ? (
          <Card key={s.type} className="policy-scheme" title={`${t(`directory.policies.scheme.${s.type}`)} · ${s.name}`} data-testid={`scheme-${s.type}`}>
            <Typography.Paragraph className="policy-line">
              {t(`directory.policies.linkage.outOfScope.${s.linkage.outOfScope}`)}；{t(`directory.policies.linkage.selfPaid.${s.linkage.selfPaid}`)}
              <SourceLine source={s.linkage.source} />
            </Typography.Paragraph>
            {s.pools.map((pool) => (
              <Typography.Paragraph key={pool.pool} className="policy-line">
                {pool.limitFen === null
                  ? t('directory.policies.poolNoLimit', { pool: t(`directory.policies.pools.${pool.pool}`, { defaultValue: pool.pool }) })
                  : t('directory.policies.poolLimit', { pool: t(`directory.policies.pools.${pool.pool}`, { defaultValue: pool.pool }), amount: yuan(pool.limitFen) })}
                {pool.generalAtMostFen !== null ? ` ${t('directory.policies.generalAtMost', { amount: yuan(pool.generalAtMostFen) })}` : ''}
              </Typography.Paragraph>
            ))}
            {s.note ? <Typography.Paragraph type="secondary"><Note note={s.note} /></Typography.Paragraph> : null}
            {s.benefits.map((b) => (
              <BenefitCard key={`${b.kind}-${b.key ?? ''}`} b={b} names={names} />
            ))}
          </Card>
        ) : (
          <Alert key={s.type} className="policy-scheme" type="info" showIcon title={t('directory.policies.noScheme', { scheme: t(`directory.policies.scheme.${s.type}`) })} />
        ),
      )}
    </div>
  );
}

export default function PoliciesPage() {
  const { t } = useTranslation();
  const [params, update] = useUrlState();
  const regionCode = params.get('region') ?? undefined;
  const date = params.get('date') ?? todayIso();
  const openId = params.get('policy');
  const regions = useRegions();
  const listing = useQuery({
    queryKey: ['admin', 'policies', 'list', regionCode, date],
    queryFn: ({ signal }) => api<Listing>('/api/admin/policies', { query: { regionCode, date }, signal }),
    placeholderData: (prev) => prev,
  });
  const places = (regions.data ?? []).filter((r) => r.level === 'city' || r.level === 'county');
  const applying = listing.data?.items.find((p) => p.id === listing.data?.applies);
  const opened = listing.data?.items.find((p) => p.id === openId);

  const columns: TableColumnsType<Summary> = [
    {
      title: t('directory.policies.fields.name'),
      key: 'name',
      render: (_, p) => (
        <Typography.Link strong onClick={() => update({ policy: p.id })} data-testid="policy-open">
          {p.name}
        </Typography.Link>
      ),
    },
    { title: t('directory.policies.fields.region'), key: 'region', render: (_, p) => p.region.name },
    { title: t('directory.policies.fields.period'), key: 'period', render: (_, p) => <span className="mono">{p.effective.from} ~ {p.effective.to ?? t('directory.policies.open')}</span> },
    { title: t('directory.policies.fields.schemes'), key: 'schemes', render: (_, p) => p.schemes.map((s) => <Tag key={s.type}>{t(`directory.policies.scheme.${s.type}`)}</Tag>) },
    {
      title: t('directory.policies.fields.status'),
      key: 'status',
      render: (_, p) => (
        <Space size={4}>
          {p.inForce ? <Tag color="green">{t('directory.policies.inForce')}</Tag> : <Tag>{t('directory.policies.notInForce')}</Tag>}
          {p.id === listing.data?.applies ? <Tag color="cyan">{t('directory.policies.appliesHere')}</Tag> : null}
        </Space>
      ),
    },
  ];

  return (
    <div className="page-stack" data-testid="policies-page">
      <Card title={t('directory.policies.title')}>
        <Typography.Paragraph type="secondary">{t('directory.policies.hint')}</Typography.Paragraph>
        <div className="policy-finder filter-bar">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('directory.policies.pickRegion')}
            value={regionCode}
            onChange={(v?: string) => update({ region: v })}
            options={places.map((r) => ({ value: r.code, label: r.level === 'city' ? r.name : `${places.find((c) => c.code === r.code.slice(0, 4))?.name ?? ''} ${r.name}` }))}
            className="filter-select"
            popupMatchSelectWidth={false}
            data-testid="policy-region"
          />
          <DatePicker value={dayjs(date)} format={ISO_DATE} allowClear={false} onChange={(d) => update({ date: d ? d.format(ISO_DATE) : null })} data-testid="policy-date" />
          {regionCode ? (
            <Typography.Text data-testid="policy-applies">
              {applying ? t('directory.policies.applies', { name: applying.name }) : t('directory.policies.noneApplies')}
            </Typography.Text>
          ) : null}
        </div>
        <Table<Summary>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={listing.data?.items ?? []}
          loading={listing.isFetching}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(p) => ({ 'data-testid': 'policy-row', 'data-policy-id': p.id }) as React.HTMLAttributes<HTMLElement>}
        />
      </Card>
      <Drawer open={openId !== null} size={920} onClose={() => update({ policy: null })} title={opened?.name ?? openId ?? ''} destroyOnHidden data-testid="policy-drawer">
        {openId ? <PolicyDetail id={openId} /> : null}
      </Drawer>
    </div>
  );
}
