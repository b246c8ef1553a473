// Phone numbers the patient can tap to call: a tel: link (digits and + only in the href).
import { PhoneOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import type { ReactNode } from 'react';

export const telHref = (phone: string): string => `tel:${phone.replace(/[^\d+]/g, '')}`;

export function TelLink({ phone, testId }: { phone: string; testId?: string }) {
  return (
    <a href={telHref(phone)} className="tel-link mono" data-testid={testId}>
      <PhoneOutlined /> {phone}
    </a>
  );
}

/** A button that dials: the one thing to do on a phone when the contract is about to end. */
export function CallButton({ phone, children, block, testId }: { phone: string; children: ReactNode; block?: boolean; testId?: string }) {
  return (
    <Button type="primary" icon={<PhoneOutlined />} href={telHref(phone)} block={block} data-testid={testId}>
      {children}
    </Button>
  );
}
