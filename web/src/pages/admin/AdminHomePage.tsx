// 系统管理: the administrators' home, a card for each administration section the role may open (the
// route table decides, so a section another issue has not built yet, or one the role may not use, is
// not shown).
import {
  ApartmentOutlined,
  AuditOutlined,
  CloudUploadOutlined,
  GiftOutlined,
  MedicineBoxOutlined,
  ReadOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserSwitchOutlined,
  CarOutlined,
  InteractionOutlined,
} from '@ant-design/icons';
import { Card, Col, Row, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useMe } from '../../auth.ts';
import { routesFor } from '../../routes.tsx';
import './admin.css';

interface Section {
  key: string;
  path: string;
  icon: ReactNode;
  /** Where the card's title and desc are, when not under directory.home.cards.<key> (a section with its own messages). */
  messages?: string;
}

/** In reading order: who works here, where and in which team, then what they settle under, then the records. */
const SECTIONS: Section[] = [
  { key: 'users', path: '/admin/users', icon: <UserSwitchOutlined /> },
  { key: 'institutions', path: '/admin/institutions', icon: <ApartmentOutlined /> },
  { key: 'teams', path: '/admin/teams', icon: <TeamOutlined /> },
  { key: 'practitioners', path: '/admin/practitioners', icon: <SolutionOutlined /> },
  { key: 'drugs', path: '/admin/drugs', icon: <MedicineBoxOutlined /> },
  { key: 'policies', path: '/admin/policies', icon: <ReadOutlined /> },
  { key: 'servicePackages', path: '/admin/service-packages', icon: <GiftOutlined /> },
  { key: 'audit', path: '/admin/audit', icon: <AuditOutlined /> },
  { key: 'import', path: '/admin/import', icon: <CloudUploadOutlined /> },
  { key: 'fhir', path: '/admin/fhir', icon: <InteractionOutlined />, messages: 'fhir.card' },
  { key: 'deliveryProviders', path: '/admin/delivery-providers', icon: <CarOutlined /> },
];

export default function AdminHomePage() {
  const { t } = useTranslation();
  const me = useMe();
  if (!me.data) return null;
  const open = new Set(routesFor(me.data.role).map((r) => r.path));
  const sections = SECTIONS.filter((s) => open.has(s.path));
  return (
    <div className="page-stack" data-testid="admin-home">
      <div>
        <Typography.Title level={3} className="page-title">
          {t('directory.home.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t(`directory.home.subtitle.${me.data.role === 'system_admin' ? 'system' : 'institution'}`, { name: me.data.scope.name })}</Typography.Text>
      </div>
      <Row gutter={[16, 16]}>
        {sections.map((s) => (
          <Col key={s.key} xs={24} md={12} xl={8}>
            <Link to={s.path} data-testid={`admin-card-${s.key}`} className="admin-card-link">
              <Card hoverable className="admin-card">
                <div className="admin-card__icon">{s.icon}</div>
                <div className="admin-card__body">
                  <Typography.Text strong className="admin-card__title">
                    {t(`${s.messages ?? `directory.home.cards.${s.key}`}.title`)}
                  </Typography.Text>
                  <Typography.Paragraph type="secondary" className="admin-card__desc">
                    {t(`${s.messages ?? `directory.home.cards.${s.key}`}.desc`)}
                  </Typography.Paragraph>
                </div>
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </div>
  );
}
