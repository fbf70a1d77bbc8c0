/** The demo's cast and what fans write, in English and Arabic. Deterministic on purpose. */

export const DEMO_PASSWORD = 'demo-password-2026';

export interface DemoCreator {
  email: string;
  displayName: string;
  handle: string;
  price: { minor: number; currency: string };
  responseWindowHours: number;
}

export const DEMO_CREATORS: readonly DemoCreator[] = [
  {
    email: 'creator@demo.creatorinbox.test',
    displayName: 'Layla Haddad',
    handle: 'layla',
    price: { minor: 2_500, currency: 'USD' },
    responseWindowHours: 72,
  },
  {
    email: 'kenji@demo.creatorinbox.test',
    displayName: 'Kenji Sato',
    handle: 'kenji',
    price: { minor: 3_000, currency: 'JPY' },
    responseWindowHours: 48,
  },
  {
    email: 'omar@demo.creatorinbox.test',
    displayName: 'عمر الفارسي',
    handle: 'omar',
    price: { minor: 5_000, currency: 'KWD' },
    responseWindowHours: 24,
  },
  {
    email: 'elena@demo.creatorinbox.test',
    displayName: 'Elena Rossi',
    handle: 'elena',
    price: { minor: 1_500, currency: 'EUR' },
    responseWindowHours: 168,
  },
];

export const DEMO_MANAGER = { email: 'manager@demo.creatorinbox.test', displayName: 'Sam Rivera' };

export const DEMO_FANS: readonly string[] = [
  'Maya Chen',
  'نور الهدى',
  'Jordan Blake',
  'أحمد منصور',
  'Priya Nair',
  'Lucas Martin',
  'فاطمة الزهراء',
  'Hannah Schmidt',
  'Diego Alvarez',
  'يوسف كريم',
  'Aisha Bello',
  'Tom Walker',
];

export const FAN_MESSAGES: readonly string[] = [
  'Hi! Could you record a 30-second birthday message for my sister Sara? She has watched every video of yours.',
  'مرحباً! هل يمكنك أن تنصحني كيف أبدأ قناتي الخاصة؟ أنا متردد منذ سنة.',
  'Your last video got me through a rough week. Any advice for staying consistent when motivation is gone?',
  'ما هو أفضل كتاب قرأته هذا العام؟ أبحث عن شيء يغير طريقة تفكيري.',
  'I am proposing next month and would love a quick good-luck message. Her name is Emma!',
  'What camera and microphone do you use for the studio videos? I am saving up and want to buy once.',
  'هل ستزور الرياض في جولتك القادمة؟ سأحضر مع كل أصدقائي!',
  'Can you review my portfolio link? Just one thing you would change, that is all I ask.',
  'أختي مريضة في المستشفى وهي من أكبر معجبيك. رسالة قصيرة منك ستسعدها كثيراً.',
  'How do you handle negative comments? I just started posting and it is harder than I thought.',
  'Quick question: is the course you mentioned still open for enrolment?',
  'شكراً على كل المحتوى الرائع. سؤالي: كيف تنظم وقتك بين العمل والتصوير؟',
  'My band covered your song — would you listen to 40 seconds of it and tell us honestly what you think?',
  'I teach a class of 25 ten-year-olds who love you. Could you say hi to Room 4B?',
  'هل يمكن أن تشاركنا وصفة الطبق الذي ظهر في الفيديو الأخير؟',
  'Which of your early projects would you redo if you could, and why?',
];

export const CREATOR_REPLIES: readonly string[] = [
  'Thank you so much for writing! Recorded and sent — tell her happy birthday from me.',
  'شكراً لرسالتك! ابدأ اليوم بفيديو واحد فقط، والباقي سيأتي مع الوقت.',
  'Consistency beats intensity. Pick a tiny daily habit and protect it.',
  'Great question — I answered it in detail below. Good luck!',
];
