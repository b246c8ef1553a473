// 药品目录 (read only): the drug catalogue with the lists each drug is on (慢性病常用药, 国家医保目录,
// 三级医院专科用药), its diseases, volume-based procurement (集采) and catalogue price; filter by list,
// disease, VBP and name or code.
import { useQuery } from '@tanstack/react-query';
import { Card, Segmented, Select, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import FilterBar from '../../components/FilterBar.tsx';
import { api } from '../../api.ts';
import { useUrlState } from '../../hooks/urlState.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { yuan } from '../../format.ts';
import './admin.css';

interface Named {
  code: string;
  nameZh: string;
  nameEn: string;
}
interface DrugRow {
  code: string;
  genericNameZh: string;
  genericNameEn: string;
  form: string;
  strength: string;
  packSize: number;
  unit: string;
  atc: string;
  diseases: string[];
  vbp: boolean;
  priceFen: number;
  lists: string[];
}
interface Catalogue {
  lists: Array<{ id: string; nameZh: string; nameEn: string }>;
  diseases: Named[];
  items: DrugRow[];
}

const LIST_COLOR: Record<string, string> = { 'chronic-common': 'green', nrdl: 'blue', tertiary: 'purple' };

export default function DrugsPage() {
  const { t } = useTranslation();
  const en = currentLanguage() === 'en-US';
  const [params, update] = useUrlState();
  const list = params.get('list') ?? undefined;
  const disease = params.get('disease') ?? undefined;
  const vbp = params.get('vbp') ?? 'all';
  const q = params.get('q') ?? '';
  const catalogue = useQuery({
    queryKey: ['admin', 'drugs', list, disease, vbp, q],
    queryFn: ({ signal }) => api<Catalogue>('/api/admin/drugs', { query: { list, disease, vbp: vbp === 'all' ? undefined : vbp, q: q || undefined }, signal }),
    placeholderData: (prev) => prev,
  });
  const lists = catalogue.data?.lists ?? [];
  const listName = (id: string) => {
    const l = lists.find((x) => x.id === id);
    return l ? (en ? l.nameEn : l.nameZh) : id;
  };
  const diseaseName = (code: string) => {
    const d = catalogue.data?.diseases.find((x) => x.code === code);
    return t(`diseases.${code}`, { defaultValue: d ? (en ? d.nameEn : d.nameZh) : code });
  };

  const columns: TableColumnsType<DrugRow> = [
    { title: t('directory.drugs.columns.code'), dataIndex: 'code', render: (v: string) => <span className="mono">{v}</span> },
    {
      title: t('directory.drugs.columns.name'),
      key: 'name',
      render: (_, d) => (
        <div>
          <Typography.Text strong>{en ? d.genericNameEn : d.genericNameZh}</Typography.Text>
          <div className="cell-sub">{en ? d.genericNameZh : d.genericNameEn}</div>
        </div>
      ),
    },
    { title: t('directory.drugs.columns.form'), key: 'form', render: (_, d) => (<div>{d.form} {d.strength}<div className="cell-sub">{t('directory.drugs.pack', { n: d.packSize, unit: d.unit })}</div></div>) },
    { title: t('directory.drugs.columns.atc'), dataIndex: 'atc', render: (v: string) => <span className="mono">{v}</span> },
    { title: t('directory.drugs.columns.price'), dataIndex: 'priceFen', align: 'right', render: (fen: number) => t('directory.common.yuan', { amount: yuan(fen) }) },
    {
      title: t('directory.drugs.columns.diseases'),
      key: 'diseases',
      render: (_, d) => (d.diseases.length ? d.diseases.map((c) => <Tag key={c}>{diseaseName(c)}</Tag>) : <Typography.Text type="secondary">{t('directory.drugs.generalOutpatient')}</Typography.Text>),
    },
    { title: t('directory.drugs.columns.vbp'), dataIndex: 'vbp', render: (v: boolean) => (v ? <Tag color="orange">{t('directory.drugs.vbp')}</Tag> : null) },
    {
      title: t('directory.drugs.columns.lists'),
      key: 'lists',
      render: (_, d) =>
        d.lists.length ? (
          <span data-testid="drug-lists">
            {d.lists.map((l) => (
              <Tooltip key={l} title={listName(l)}>
                <Tag color={LIST_COLOR[l] ?? 'default'}>{t(`directory.drugs.listShort.${l}`, { defaultValue: listName(l) })}</Tag>
              </Tooltip>
            ))}
          </span>
        ) : (
          <Tag data-testid="drug-lists">{t('directory.drugs.selfPaid')}</Tag>
        ),
    },
  ];

  return (
    <div className="page-stack" data-testid="drugs-page">
      <Card title={t('directory.drugs.title')}>
        <Typography.Paragraph type="secondary">{t('directory.drugs.hint')}</Typography.Paragraph>
        <FilterBar searchKey="q" query={q} onQuery={(v) => update({ q: v })} total={catalogue.data?.items.length} placeholder={t('directory.drugs.searchPlaceholder')} testId="drug-filter">
          <Select
            allowClear
            placeholder={t('directory.drugs.filters.list')}
            value={list}
            onChange={(v?: string) => update({ list: v })}
            options={[...lists.map((l) => ({ value: l.id, label: en ? l.nameEn : l.nameZh })), { value: 'none', label: t('directory.drugs.selfPaid') }]}
            className="filter-select"
            popupMatchSelectWidth={false}
            data-testid="drug-filter-list"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('directory.drugs.filters.disease')}
            value={disease}
            onChange={(v?: string) => update({ disease: v })}
            options={(catalogue.data?.diseases ?? []).map((d) => ({ value: d.code, label: diseaseName(d.code) }))}
            className="filter-select"
            popupMatchSelectWidth={false}
            data-testid="drug-filter-disease"
          />
          <Segmented
            value={vbp}
            onChange={(v) => update({ vbp: v === 'all' ? null : String(v) })}
            options={[{ value: 'all', label: t('directory.drugs.filters.all') }, { value: 'true', label: t('directory.drugs.vbp') }, { value: 'false', label: t('directory.drugs.filters.nonVbp') }]}
            data-testid="drug-filter-vbp"
          />
        </FilterBar>
        <Table<DrugRow>
          rowKey="code"
          size="small"
          columns={columns}
          dataSource={catalogue.data?.items ?? []}
          loading={catalogue.isFetching}
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 20, showSizeChanger: false, size: 'small' }}
          onRow={(d) => ({ 'data-testid': 'drug-row', 'data-code': d.code }) as React.HTMLAttributes<HTMLElement>}
        />
      </Card>
    </div>
  );
}
