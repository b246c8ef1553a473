// 一次性密码: shown once, after an account is created or its password reset, with a copy button and
// the reminder that the user must choose their own at first sign-in. Closing it forgets the password.
import { CopyOutlined, KeyOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Descriptions, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export interface OneTimePassword {
  username: string;
  displayName: string;
  password: string;
  /** created: a new account; reset: an existing account's new password. */
  reason: 'created' | 'reset';
}

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back to a selection
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

export default function OneTimePasswordModal({ value, onClose }: { value: OneTimePassword | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const copy = async () => {
    if (!value) return;
    if (await copyText(value.password)) void message.success(t('accounts.oneTime.copied'));
    else void message.warning(t('accounts.oneTime.copyFailed'));
  };
  return (
    <Modal
      open={value !== null}
      title={
        <Space>
          <KeyOutlined />
          {t('accounts.oneTime.title')}
        </Space>
      }
      onCancel={onClose}
      maskClosable={false}
      keyboard={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="one-time-password-close">
          {t('accounts.oneTime.close')}
        </Button>
      }
      data-testid="one-time-password-modal"
    >
      {value ? (
        <>
          <Typography.Paragraph>
            {t(value.reason === 'created' ? 'accounts.oneTime.introCreated' : 'accounts.oneTime.introReset', { name: value.displayName })}
          </Typography.Paragraph>
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              { key: 'username', label: t('accounts.fields.username'), children: <span className="mono">{value.username}</span> },
              {
                key: 'password',
                label: t('accounts.oneTime.password'),
                children: (
                  <Space size={12} wrap>
                    <Typography.Text strong className="mono" style={{ fontSize: 18 }} data-testid="one-time-password">
                      {value.password}
                    </Typography.Text>
                    <Button size="small" icon={<CopyOutlined />} onClick={() => void copy()} data-testid="one-time-password-copy">
                      {t('accounts.oneTime.copy')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
          <Alert type="warning" showIcon style={{ marginTop: 16 }} title={t('accounts.oneTime.note')} data-testid="one-time-password-note" />
        </>
      ) : null}
    </Modal>
  );
}
