// Why a filing came back: the reviewer's preset reason in the reader's language, the words beside it,
// and the evidence asked for.
import { Alert, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AttachmentKind, ReturnReasonCode } from '../../types.ts';

/** The reason as one line: "缺少诊断证明：…" (the label, the words, or both). */
export function useReturnReasonText() {
  const { t } = useTranslation();
  return (code: ReturnReasonCode | null, text: string | null) =>
    [code ? t(`returnReasons.${code}`) : null, text].filter(Boolean).join(t('counter.colon'));
}

export function RequestedTags({ kinds }: { kinds: AttachmentKind[] }) {
  const { t } = useTranslation();
  if (!kinds.length) return null;
  return (
    <Space size={[4, 4]} wrap data-testid="requested-attachments">
      {kinds.map((k) => (
        <Tag key={k} color="orange">
          {t(`evidence.kinds.${k}`)}
        </Tag>
      ))}
    </Space>
  );
}

export function ReturnReason({ filing }: { filing: { decisionReason: string | null; decisionReasonCode: ReturnReasonCode | null; requestedAttachments: AttachmentKind[] } }) {
  const { t } = useTranslation();
  const text = useReturnReasonText()(filing.decisionReasonCode, filing.decisionReason);
  if (!text && !filing.requestedAttachments.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      className="form-alert"
      title={t('filing.returnedBecause')}
      description={
        <div>
          <div data-testid="returned-reason-text">{text}</div>
          {filing.requestedAttachments.length ? (
            <div style={{ marginTop: 4, display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 4 }}>
              <Typography.Text strong>{t('evidence.requestAttachments')}：</Typography.Text>
              <RequestedTags kinds={filing.requestedAttachments} />
            </div>
          ) : null}
        </div>
      }
      data-testid="returned-reason"
    />
  );
}
