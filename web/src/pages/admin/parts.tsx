// Pieces the administration screens share: the institution picker and the labels of levels, kinds,
// professions and "3+X" roles.
import { Select, Tag } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AdminInstitution, type Kind, type Level, type MemberRole, type Profession, useInstitution, useInstitutionSearch } from './directory.ts';

const LEVEL_COLOR: Record<Level, string> = { grassroots: 'green', secondary: 'blue', tertiary: 'geekblue', pharmacy: 'purple' };

export function LevelTag({ level }: { level: Level }) {
  const { t } = useTranslation();
  return <Tag color={LEVEL_COLOR[level]}>{t(`directory.level.${level}`)}</Tag>;
}

export function KindText({ kind }: { kind: Kind }) {
  const { t } = useTranslation();
  return <>{t(`directory.kind.${kind}`)}</>;
}

export function ProfessionText({ profession }: { profession: Profession }) {
  const { t } = useTranslation();
  return <>{t(`profession.${profession}`)}</>;
}

const ROLE_COLOR: Record<MemberRole, string> = { gp: 'cyan', nurse: 'magenta', public_health: 'gold', specialist: 'blue' };

export function RoleTag({ role, children }: { role: MemberRole; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Tag color={ROLE_COLOR[role]} className="member-tag">
      {t(`teamRole.${role}`)}
      {children ? <>：{children}</> : null}
    </Tag>
  );
}

/**
 * A searchable institution select (name or code, 30 at a time); the chosen one stays labelled while
 * the search shows others. `level` narrows it (teams work at grassroots institutions).
 */
export function InstitutionPicker({ value, onChange, level, placeholder, allowClear, testId, className, exclude }: {
  value?: string | null;
  onChange?: (id: string | null, institution?: AdminInstitution) => void;
  level?: Level;
  placeholder?: string;
  allowClear?: boolean;
  testId?: string;
  className?: string;
  exclude?: string;
}) {
  const [q, setQ] = useState('');
  const search = useInstitutionSearch(q, { level });
  const chosen = useInstitution(value ?? null);
  const options = [...(search.data?.items ?? [])];
  if (chosen.data && !options.some((o) => o.id === chosen.data.id)) options.unshift(chosen.data);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear={allowClear}
      value={value ?? undefined}
      placeholder={placeholder}
      loading={search.isFetching}
      onChange={(id?: string) => onChange?.(id ?? null, options.find((o) => o.id === id))}
      options={options.filter((o) => o.id !== exclude).map((o) => ({ value: o.id, label: `${o.name}（${o.code}）` }))}
      className={className}
      popupMatchSelectWidth={false}
      data-testid={testId}
    />
  );
}

/** 180000 fen → "1,800" (yuan, decimals only when there are any). */
export function yuanText(fen: number): string {
  return new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(fen / 100);
}

/** 6000 basis points → "60%". */
export const percentText = (bp: number) => `${bp / 100}%`;
