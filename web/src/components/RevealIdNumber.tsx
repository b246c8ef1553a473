// The full resident ID number is a deliberate reveal (查看完整), for the roles whose work needs it;
// the server audits every reveal. Everyone else sees the masked number only.
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { useMe } from '../auth.ts';

const REVEALING_ROLES = new Set(['pharmacist', 'insurance_reviewer', 'system_admin']);

export default function RevealIdNumber({ personId, masked }: { personId: string; masked: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const [full, setFull] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canReveal = !!me.data && REVEALING_ROLES.has(me.data.role) && masked.includes('*');
  const reveal = async () => {
    setBusy(true);
    try {
      setFull((await api<{ idNumber: string }>(`/api/people/${encodeURIComponent(personId)}/id-number`)).idNumber);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <span className="mono" data-testid="patient-card-id-number">
        {full ?? masked}
      </span>
      {canReveal && !full ? (
        <Button type="link" size="small" loading={busy} onClick={() => void reveal()} data-testid="reveal-id-number">
          {t('person.revealIdNumber')}
        </Button>
      ) : null}
    </>
  );
}
