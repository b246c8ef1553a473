// Reminders sent to the patient (随访提醒): due soon or overdue, by which channel, and when.
import { Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format.ts';
import type { Reminder } from './types.ts';

export default function ReminderList({ reminders, limit }: { reminders: Reminder[]; limit?: number }) {
  const { t } = useTranslation();
  if (reminders.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followup.reminders.none')} />;
  return (
    <List
      size="small"
      className="fu-reminders"
      dataSource={limit ? reminders.slice(0, limit) : reminders}
      renderItem={(r) => (
        <List.Item data-testid="reminder" data-kind={r.kind} data-due-date={r.dueDate}>
          <div className="fu-reminder">
            <Space size={6} wrap>
              <Tag color={r.kind === 'overdue' ? 'red' : 'blue'}>{t(`followup.reminders.kind.${r.kind}`)}</Tag>
              <Tag variant="outlined">{t(`followup.reminders.channel.${r.channel}`, { defaultValue: r.channel })}</Tag>
              {r.status === 'failed' ? <Tag color="error">{t('followup.reminders.failed')}</Tag> : null}
              <Typography.Text type="secondary" className="mono">
                {formatDateTime(r.createdAt)}
              </Typography.Text>
            </Space>
            <div className="fu-reminder__text">{t(`followup.reminders.text.${r.kind}`, { message: r.message, date: r.dueDate })}</div>
          </div>
        </List.Item>
      )}
    />
  );
}
