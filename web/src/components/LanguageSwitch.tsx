import { GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language, changeLanguage, currentLanguage } from '../i18n/index.ts';

/** zh-CN ⇄ en-US; the choice is stored in localStorage by changeLanguage. */
export default function LanguageSwitch({ light }: { light?: boolean }) {
  const { t } = useTranslation(); // re-renders on language change
  const lang = currentLanguage();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [lang],
        items: LANGUAGES.map((l) => ({ key: l, label: <span data-testid={`lang-option-${l}`}>{t(`lang.${l}`)}</span> })),
        onClick: ({ key }) => void changeLanguage(key as Language),
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} className={light ? 'header-button' : undefined} data-testid="lang-switch" aria-label={t('lang.label')}>
        {t(`lang.${lang}`)}
      </Button>
    </Dropdown>
  );
}
