// Evidence attached to a filing: the list as the reviewer (and the doctor) reads it — images inline,
// a PDF as a link that opens it in a new tab with its own content type — and the picker the doctor
// adds files with when filing or fixing. The picker is a Form.List named `attachments`, so the
// server's errors (body.attachments.N.name, …contentBase64, body.attachments) land on the file they name.
import { DeleteOutlined, FileImageOutlined, FilePdfOutlined, PaperClipOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Empty, Form, Select, Space, Tag, Typography, Upload } from 'antd';
import type React from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format.ts';
import { ATTACHMENT_KINDS, type AttachmentKind, type FilingAttachment } from '../../types.ts';

const styles: Record<string, React.CSSProperties> = {
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))', gap: 12 },
  listCompact: { display: 'flex', flexDirection: 'column', gap: 4, marginBottom: 8 },
  item: { margin: 0, padding: 8, border: '1px solid #e5e9ee', borderRadius: 6, minWidth: 0, display: 'flex', flexDirection: 'column', gap: 8 },
  itemCompact: { margin: 0, minWidth: 0 },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 4, minWidth: 0 },
  name: { minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', maxWidth: '100%' },
  meta: { fontSize: 12, width: '100%' },
  preview: { display: 'block', background: '#f5f7fa', borderRadius: 4, textAlign: 'center' },
  image: { maxWidth: '100%', maxHeight: 360, objectFit: 'contain', display: 'inline-block' },
  picker: { display: 'flex', flexDirection: 'column', gap: 8 },
  pending: { display: 'flex', alignItems: 'flex-start', gap: 8, minWidth: 0 },
};

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 3;
const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

export const formatSize = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** The kinds, in the reader's language, joined. */
export function useKindNames() {
  const { t } = useTranslation();
  return (kinds: AttachmentKind[]) => kinds.map((k) => t(`evidence.kinds.${k}`)).join('、');
}

export function AttachmentList({ attachments, compact = false }: { attachments: FilingAttachment[]; compact?: boolean }) {
  const { t } = useTranslation();
  if (!attachments.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('evidence.none')} />;
  return (
    <div style={compact ? styles.listCompact : styles.grid} data-testid="attachment-list">
      {attachments.map((a) => {
        const image = a.mediaType.startsWith('image/');
        return (
          <figure key={a.id} style={compact ? styles.itemCompact : styles.item} data-testid="attachment" data-kind={a.kind} data-media-type={a.mediaType}>
            <figcaption style={styles.head}>
              <Tag color="blue">{t(`evidence.kinds.${a.kind}`)}</Tag>
              <Typography.Link href={a.url} target="_blank" rel="noopener noreferrer" style={styles.name} title={a.name} data-testid="attachment-open">
                {image ? <FileImageOutlined /> : <FilePdfOutlined />} {a.name}
              </Typography.Link>
              <Typography.Text type="secondary" style={styles.meta}>
                {formatSize(a.sizeBytes)} · {t('evidence.uploaded', { by: a.uploadedBy ?? '—', at: formatDateTime(a.uploadedAt) })}
              </Typography.Text>
            </figcaption>
            {image && !compact ? (
              <a href={a.url} target="_blank" rel="noopener noreferrer" style={styles.preview}>
                <img src={a.url} alt={a.name} style={styles.image} data-testid="attachment-image" />
              </a>
            ) : null}
            {!image && !compact ? (
              <Button href={a.url} target="_blank" rel="noopener noreferrer" icon={<FilePdfOutlined />} size="small" data-testid="attachment-pdf">
                {t('evidence.open')}
              </Button>
            ) : null}
          </figure>
        );
      })}
    </div>
  );
}

export interface PendingAttachment {
  kind: AttachmentKind;
  name: string;
  contentBase64: string;
  size: number;
}

const readBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

/** Shows the file's name (the value) where its server errors land. */
function NameText({ value, size }: { value?: string; size: number }) {
  return (
    <Typography.Text style={{ maxWidth: '100%' }} ellipsis={{ tooltip: value }}>
      <PaperClipOutlined /> {value} <Typography.Text type="secondary">({formatSize(size)})</Typography.Text>
    </Typography.Text>
  );
}
/** Holds the content; shows nothing but its errors. */
const Hidden = (_: { value?: string }) => null;

/**
 * The files to upload with this filing. `requested`: kinds the reviewer asked for and not yet attached
 * since the return; the list refuses to submit without them.
 */
export function AttachmentPicker({ requested = [] }: { requested?: AttachmentKind[] }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const kindNames = useKindNames();
  const form = Form.useFormInstance();
  const pending: PendingAttachment[] | undefined = Form.useWatch('attachments', form);
  return (
    <Form.List
      name="attachments"
      rules={[
        {
          validator: async (_, value: PendingAttachment[] | undefined) => {
            const missing = requested.filter((k) => !(value ?? []).some((a) => a.kind === k));
            if (missing.length) throw new Error(t('evidence.requestedMissing', { kinds: kindNames(missing) }));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <div style={styles.picker} data-testid="attachment-picker">
          {fields.map((f) => {
            const item = pending?.[f.name];
            return (
              <div key={f.key} style={styles.pending} data-testid="attachment-pending">
                <Form.Item name={[f.name, 'kind']} style={{ width: 160, marginBottom: 0 }}>
                  <Select options={ATTACHMENT_KINDS.map((k) => ({ value: k, label: t(`evidence.kinds.${k}`) }))} aria-label={t('evidence.kind')} data-testid="attachment-kind" />
                </Form.Item>
                <Form.Item name={[f.name, 'name']} style={{ flex: 1, minWidth: 0, marginBottom: 0 }}>
                  <NameText size={item?.size ?? 0} />
                </Form.Item>
                <Form.Item name={[f.name, 'contentBase64']} style={{ marginBottom: 0 }}>
                  <Hidden />
                </Form.Item>
                <Form.Item name={[f.name, 'size']} hidden>
                  <Hidden />
                </Form.Item>
                <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('evidence.remove')} />
              </div>
            );
          })}
          <Space size={12} wrap>
            <Upload
              accept={ACCEPT}
              multiple
              showUploadList={false}
              beforeUpload={(file) => {
                void (async () => {
                  const current: PendingAttachment[] = form.getFieldValue('attachments') ?? [];
                  if (current.length >= MAX_ATTACHMENTS) return void message.error(t('evidence.tooMany'));
                  if (file.size > MAX_ATTACHMENT_BYTES) return void message.error(t('evidence.tooLarge', { name: file.name }));
                  if (file.type && !['application/pdf', 'image/jpeg', 'image/png'].includes(file.type)) return void message.error(t('evidence.wrongType', { name: file.name }));
                  const missing = requested.find((k) => !current.some((a) => a.kind === k));
                  add({ kind: missing ?? (current.length ? 'other' : 'diagnosis_certificate'), name: file.name, contentBase64: await readBase64(file), size: file.size } satisfies PendingAttachment);
                  void form.validateFields([['attachments']]).catch(() => undefined);
                })();
                return false;
              }}
            >
              <Button icon={<PaperClipOutlined />} disabled={fields.length >= MAX_ATTACHMENTS} data-testid="attachment-add">
                {t('evidence.add')}
              </Button>
            </Upload>
            <Typography.Text type="secondary">{t('evidence.hint')}</Typography.Text>
          </Space>
          <Form.ErrorList errors={errors} />
        </div>
      )}
    </Form.List>
  );
}
