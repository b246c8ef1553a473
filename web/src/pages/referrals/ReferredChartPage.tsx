// 患者档案 for the hospital doctor: the referred patient's chart, read-only, while a referral with this
// hospital is in force (the server's referred_here rule answers 403 otherwise, which the page shows).
import FollowUpChartPage from '../FollowUpChartPage.tsx';

export default function ReferredChartPage() {
  return <FollowUpChartPage back={{ path: '/referrals/incoming', labelKey: 'referral.menu.backToIncoming' }} />;
}
