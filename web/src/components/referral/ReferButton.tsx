// 转诊 for the patient, with its form, on its own (the chart's header, a visit's detail). Given the
// patient's visits it starts from the latest one that asks for a referral (its advice, an urgent
// referral); given one visit, from that visit.
import { SwapOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Visit } from '../followup/types.ts';
import ReferralFormDrawer, { type ReferTarget, visitRefers } from './ReferralFormDrawer.tsx';

export default function ReferButton({ person, visit, visits, size }: { person: ReferTarget['person']; visit?: Visit; visits?: Visit[]; size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<ReferTarget | null>(null);
  const [openings, setOpenings] = useState(0);
  // visits come latest first (the chart's order)
  const from = visit ?? visits?.find(visitRefers);
  // clicks in the button or the form (a portal, but React bubbles through it) stay out of a table row's toggle
  return (
    <span onClick={(e) => e.stopPropagation()}>
      <Button
        size={size}
        icon={<SwapOutlined />}
        danger={from?.action === 'urgent_referral'}
        onClick={() => {
          setOpenings((n) => n + 1);
          setTarget({ person, visit: from });
        }}
        data-testid={visit ? 'visit-refer' : 'chart-refer'}
      >
        {visit ? t('referral.actions.referFromVisit') : t('referral.actions.refer')}
      </Button>
      <ReferralFormDrawer key={`refer-${openings}`} target={target} onClose={() => setTarget(null)} />
    </span>
  );
}
