// The doctor's family-doctor team: "3+X" members with their roles, the team's service phone (what its
// patients call), and the load (contracted patients, doctors, patients per doctor).
import { TeamOutlined } from '@ant-design/icons';
import { Avatar, Card, Skeleton, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMyTeam } from '../../hooks/reference.ts';
import type { TeamRole } from '../../types.ts';

const ROLE_COLOR: Record<TeamRole, string> = { gp: 'green', nurse: 'magenta', public_health: 'gold', specialist: 'geekblue' };
const CORE_ROLES: TeamRole[] = ['gp', 'nurse', 'public_health'];
/** Zhenjiang's staffing reference: one family doctor to 20 managed patients (seed 001). */
const REFERENCE_PATIENTS_PER_DOCTOR = 20;
const ROLE_ORDER: TeamRole[] = [...CORE_ROLES, 'specialist'];

export default function TeamCard() {
  const { t } = useTranslation();
  const team = useMyTeam();
  const data = team.data;
  const missing = data ? CORE_ROLES.filter((r) => !data.members.some((m) => m.role === r)) : [];
  const specialists = data?.members.filter((m) => m.role === 'specialist').length ?? 0;

  return (
    <Card
      size="small"
      className="team-card"
      data-testid="team-card"
      title={
        <Space size={8}>
          <TeamOutlined />
          <span data-testid="team-name">{data?.name ?? t('team.title')}</span>
          {data ? (
            missing.length ? (
              <Tooltip title={t('team.missing', { roles: missing.map((r) => t(`teamRole.${r}`)).join('、') })}>
                <Tag color="orange">{t('team.incomplete')}</Tag>
              </Tooltip>
            ) : (
              <Tag color="green">{t('team.complete', { x: specialists })}</Tag>
            )
          ) : null}
        </Space>
      }
      extra={
        data ? (
          <Typography.Text type="secondary" className="team-card__where">
            {data.institution.name} · {data.region.name}
            {data.phone ? (
              <span className="team-card__phone" data-testid="team-phone">
                {' · '}
                {t('team.servicePhone')} <span className="mono">{data.phone}</span>
              </span>
            ) : null}
          </Typography.Text>
        ) : null
      }
    >
      {!data ? (
        <Skeleton active paragraph={{ rows: 1 }} />
      ) : (
        <div className="team-card__body">
          <div className="team-card__members" data-testid="team-members">
            {[...data.members].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role)).map((m) => (
              <div key={m.id} className="team-member" data-testid="team-member" data-role={m.role}>
                <Avatar size={28} className={`team-member__avatar team-member__avatar--${m.role}`}>
                  {m.name.slice(0, 1)}
                </Avatar>
                <div className="team-member__text">
                  <Typography.Text strong>{m.name}</Typography.Text>
                  <div>
                    <Tag color={ROLE_COLOR[m.role]} className="team-member__role">
                      {t(`teamRole.${m.role}`)}
                    </Tag>
                    <Typography.Text type="secondary" className="team-member__prof">
                      {t(`profession.${m.profession}`)}
                      {m.institution && m.institution !== data.institution.name ? ` · ${m.institution}` : ''}
                    </Typography.Text>
                  </div>
                </div>
              </div>
            ))}
          </div>
          <div className="team-card__load" data-testid="team-load">
            <Statistic title={t('team.contractedPatients')} value={data.contractedPatients} />
            <Statistic title={t('team.doctors')} value={data.doctors} />
            <Tooltip title={t('team.ratioHint', { ratio: REFERENCE_PATIENTS_PER_DOCTOR })}>
              <div>
                <Statistic
                  title={t('team.patientsPerDoctor')}
                  value={data.patientsPerDoctor ?? '—'}
                  prefix={data.patientsPerDoctor != null ? '1 :' : undefined}
                  styles={{
                    content: {
                      color: (data.patientsPerDoctor ?? 0) > REFERENCE_PATIENTS_PER_DOCTOR ? '#d46b08' : undefined,
                    },
                  }}
                />
                <Typography.Text type="secondary" className="team-card__ref">
                  {t('team.ratioReference', { ratio: REFERENCE_PATIENTS_PER_DOCTOR })}
                </Typography.Text>
              </div>
            </Tooltip>
          </div>
        </div>
      )}
    </Card>
  );
}
