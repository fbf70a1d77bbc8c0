/**
 * The few words the main process shows itself (menus, tray, notifications, dialogs), in
 * the app's two languages. Everything else is the renderer's, through react-intl.
 */
export type MainLocale = 'en' | 'ar';

export function pickMainLocale(preferred: readonly string[]): MainLocale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (base === 'ar' || base === 'en') return base;
  }
  return 'en';
}

export interface MainStrings {
  appName: string;
  menuFile: string;
  menuEdit: string;
  menuView: string;
  menuWindow: string;
  menuHelp: string;
  helpLearnMore: string;
  helpReportIssue: string;
  trayOpen: string;
  trayQuit: string;
  trayTooltip(pending: number): string;
  newPaidTitle: string;
  newPaidBody(count: number): string;
  expiringTitle: string;
  expiringBody(amounts: string): string;
  openLinkTitle: string;
  openLinkMessage: string;
  openLinkDetail(url: string): string;
  openLinkOpen: string;
  cancel: string;
  noKeyringTitle: string;
  noKeyringBody: string;
  startupFailedTitle: string;
  startupFailedBody(reason: string): string;
}

const plural = (locale: MainLocale, count: number) => new Intl.PluralRules(locale).select(count);

const en: MainStrings = {
  appName: 'Creator Inbox',
  menuFile: 'File',
  menuEdit: 'Edit',
  menuView: 'View',
  menuWindow: 'Window',
  menuHelp: 'Help',
  helpLearnMore: 'Learn More',
  helpReportIssue: 'Report an Issue',
  trayOpen: 'Open Creator Inbox',
  trayQuit: 'Quit',
  trayTooltip: (pending) =>
    pending === 0
      ? 'Creator Inbox'
      : `Creator Inbox — ${pending} paid ${pending === 1 ? 'message' : 'messages'} waiting`,
  newPaidTitle: 'New paid message',
  newPaidBody: (count) => (count === 1 ? 'A fan sent you a paid message.' : `Fans sent you ${count} paid messages.`),
  expiringTitle: 'Money about to be refunded',
  expiringBody: (amounts) => `${amounts} will be refunded to fans within 24 hours unless you answer.`,
  openLinkTitle: 'Open link',
  openLinkMessage: 'Open this link in your browser?',
  openLinkDetail: (url) => url,
  openLinkOpen: 'Open',
  cancel: 'Cancel',
  noKeyringTitle: 'Sign-in will not be remembered',
  noKeyringBody:
    'No system keyring was found, so your sign-in is kept in memory only and you will sign in again next time.',
  startupFailedTitle: 'Creator Inbox could not start',
  startupFailedBody: (reason) => `Something went wrong while opening your inbox:\n\n${reason}`,
};

const arabicCount: Record<string, (n: number) => string> = {
  zero: () => 'لا رسائل مدفوعة',
  one: () => 'رسالة مدفوعة واحدة',
  two: () => 'رسالتان مدفوعتان',
  few: (n) => `${n} رسائل مدفوعة`,
  many: (n) => `${n} رسالة مدفوعة`,
  other: (n) => `${n} رسالة مدفوعة`,
};
const arabicMessages = (count: number) => (arabicCount[plural('ar', count)] ?? arabicCount.other)?.(count) ?? '';

const ar: MainStrings = {
  appName: 'صندوق المبدع',
  menuFile: 'ملف',
  menuEdit: 'تحرير',
  menuView: 'عرض',
  menuWindow: 'نافذة',
  menuHelp: 'مساعدة',
  helpLearnMore: 'معرفة المزيد',
  helpReportIssue: 'الإبلاغ عن مشكلة',
  trayOpen: 'فتح صندوق المبدع',
  trayQuit: 'إنهاء',
  trayTooltip: (pending) => (pending === 0 ? 'صندوق المبدع' : `صندوق المبدع — ${arabicMessages(pending)} بانتظارك`),
  newPaidTitle: 'رسالة مدفوعة جديدة',
  newPaidBody: (count) =>
    count === 1 ? 'أرسل إليك معجب رسالة مدفوعة.' : `أرسل إليك المعجبون ${arabicMessages(count)}.`,
  expiringTitle: 'أموال على وشك الاسترداد',
  expiringBody: (amounts) => `سيُعاد ${amounts} إلى المعجبين خلال 24 ساعة ما لم ترد.`,
  openLinkTitle: 'فتح رابط',
  openLinkMessage: 'هل تريد فتح هذا الرابط في متصفحك؟',
  openLinkDetail: (url) => url,
  openLinkOpen: 'فتح',
  cancel: 'إلغاء',
  noKeyringTitle: 'لن يُحفظ تسجيل الدخول',
  noKeyringBody:
    'لم يُعثر على حافظة مفاتيح للنظام، لذا يبقى تسجيل دخولك في الذاكرة فقط وستسجل الدخول مجددًا في المرة القادمة.',
  startupFailedTitle: 'تعذّر تشغيل صندوق المبدع',
  startupFailedBody: (reason) => `حدث خطأ أثناء فتح صندوق الوارد:\n\n${reason}`,
};

export const MAIN_STRINGS: Record<MainLocale, MainStrings> = { en, ar };
