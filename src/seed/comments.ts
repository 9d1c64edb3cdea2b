// The demo council's resident comments (issue 6, point 6; paper section 2.2.3): a generator of a few
// thousand realistic comments — bins, recycling rules, parking permits, planning applications,
// potholes, council tax, online forms and a few smaller subjects — with dates over sixteen months,
// channels (web, phone, e-mail, letter), wards, typos, a campaign of identical e-mails and some
// personal data (to show redaction). Deterministic for a seed. The seed then analyses them, names the
// theme about confusion over recycling rules and links it to a stage of a household recycling chain.
import { Readable } from 'node:stream';
import { householdRecyclingChainJson, parseChainOrThrow } from '../domain/chain/index.ts';
import { readComments, redactPersonalData } from '../domain/themes/index.ts';
import type { OrgScope } from '../storage/index.ts';
import { mergeThemes, renameTheme, runAnalysis } from '../services/themes/index.ts';

export interface GeneratedComment {
  readonly text: string;
  /** YYYY-MM-DD */
  readonly date: string;
  readonly channel: 'web' | 'phone' | 'email' | 'letter';
  readonly area: string;
  readonly group: 'resident' | 'business' | 'landlord';
  /** What the generator meant it to be about (never stored: the analysis must find it). */
  readonly topic: Topic;
}

export type Topic =
  | 'recycling-rules'
  | 'missed-bins'
  | 'parking-permits'
  | 'planning'
  | 'potholes'
  | 'council-tax'
  | 'online-forms'
  | 'bulky-waste'
  | 'street-lighting'
  | 'thanks';

/** Mulberry32: small, fast, and the same numbers on every machine for a seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AREAS = [
  'Northfield',
  'Riverside',
  'Old Town',
  'Hillcrest',
  'Eastgate',
  'Westbrook',
  'Millbrook',
  "St Anne's",
];

/** Months of the demo, oldest first: July 2025 to October 2026. */
const MONTHS = Array.from({ length: 16 }, (_, i) => {
  const d = new Date(Date.UTC(2025, 6 + i, 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() };
});

/** Relative volume per month (index into MONTHS) for each subject: the trends a reader should see. */
const TRENDS: Readonly<Record<Topic, (m: number) => number>> = {
  // New rules from April 2026 (month 9): confusion jumps, then eases a little.
  'recycling-rules': (m) => (m < 9 ? 0.35 : m === 9 ? 3.2 : Math.max(1.2, 3 - 0.35 * (m - 9))),
  // Christmas week disruption.
  'missed-bins': (m) => (m === 5 || m === 6 ? 2 : 1),
  // Renewals moved online in September 2025 (month 2).
  'parking-permits': (m) => (m === 2 || m === 3 ? 2.4 : 1),
  planning: () => 1,
  // Winter frost opens potholes: December to March.
  potholes: (m) => (m >= 5 && m <= 8 ? 2.3 : 0.7),
  // Bills arrive in March.
  'council-tax': (m) => (m === 8 || m === 9 ? 2.6 : 0.8),
  // The new website launched in January 2026 (month 6).
  'online-forms': (m) => (m < 6 ? 0.6 : 1.5),
  'bulky-waste': () => 1,
  'street-lighting': (m) => (m >= 3 && m <= 7 ? 1.6 : 0.6),
  thanks: () => 1,
};

/** Share of all comments per subject. */
const WEIGHTS: Readonly<Record<Topic, number>> = {
  'recycling-rules': 0.2,
  'missed-bins': 0.15,
  'parking-permits': 0.12,
  planning: 0.1,
  potholes: 0.13,
  'council-tax': 0.1,
  'online-forms': 0.1,
  'bulky-waste': 0.04,
  'street-lighting': 0.03,
  thanks: 0.03,
};

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

const BIN = ['blue bin', 'recycling bin', 'blue lidded bin', 'recycling box', 'green box'];
const ITEMS = [
  'pizza boxes',
  'plastic film',
  'yoghurt pots',
  'black plastic trays',
  'tetra pak cartons',
  'crisp packets',
  'glass jars',
  'foil trays',
  'shredded paper',
  'coffee cups',
  'plastic bags',
  'aerosol cans',
];

/** Per subject: the main point (one is chosen) and details that may follow it (up to two). */
const TEMPLATES: Readonly<Record<Topic, { core: readonly string[]; detail: readonly string[] }>> = {
  'recycling-rules': {
    core: [
      'I am confused about which plastics can go in the {bin} now.',
      'Can {item} go in the {bin}?',
      'The new recycling rules are really confusing.',
      'What goes in which bin? I honestly do not know any more.',
      'Please can you explain the recycling rules properly.',
      'Are {item} recyclable or not?',
      'The recycling guide is unclear about {item}.',
      'Why did the rules change on what goes in the {bin}?',
      'Confusing recycling rules: do I rinse {item} or not, and do lids stay on?',
      'My neighbours and I are all confused about the recycling changes.',
      'Is it true {item} can no longer be recycled?',
      'Our {bin} was tagged and left because of "wrong items" in it.',
      'I want to recycle properly but the rules are so confusing.',
      'Unsure which bin {item} go in since the new recycling rules.',
      'Is glass in the {bin} or the separate box now?',
      'Nobody knows what can be recycled here, including the crew.',
    ],
    detail: [
      'The leaflet says one thing and the website says another.',
      'We had no idea {item} were not allowed any more.',
      'I end up putting everything in general waste to be safe.',
      'Nobody told us and now there is a sticker on our bin.',
      'A simple picture on the bin lid would help.',
      'The rules here are different from where I used to live.',
      'Please send a clear list of what can and cannot be recycled.',
      'The leaflet through the door did not mention {item}.',
      'The crew said {item} are fine but the bin was still left.',
      'It would help to have the recycling guide in other languages.',
    ],
  },
  'missed-bins': {
    core: [
      'My bin was missed again this week.',
      'The bin lorry did not come down our road on {day}.',
      'Missed collection on {street}.',
      'Our general waste has not been collected for two weeks.',
      'Bins were not emptied on collection day.',
      'Why was my bin missed?',
      'Collection day changed without warning and now our bins were missed.',
      'Missed bin collection on {day}, second time this month.',
      'The crew left my bin in the middle of the pavement and did not empty it.',
      'Black bins on {street} still full after collection day.',
    ],
    detail: [
      'This is the third time in two months.',
      'I reported it online but nobody came back to me.',
      'It is starting to smell and attracting foxes.',
      'It was out on the kerb by 7am as the website says.',
      'The crew skipped half the street.',
      'I have a young family and the rubbish is piling up.',
      'When will it be collected?',
      'The missed bin report form says it will be collected in 48 hours but it never is.',
    ],
  },
  'parking-permits': {
    core: [
      'I tried to renew my residents parking permit online but the payment page kept failing.',
      'How long does a parking permit take to arrive?',
      'The visitor parking permit scheme is too expensive.',
      'I got a parking ticket outside my own house because my permit renewal had not come through.',
      'Please bring back paper visitor permits.',
      'My parking permit application was rejected.',
      'There are never any spaces in our permit zone in the evening.',
      'What is happening with my residents parking permit?',
      'Parking permit costs have gone up again.',
      'Can I get a parking permit for a second car?',
    ],
    detail: [
      'I applied three weeks ago and have heard nothing.',
      'Carers who visit every day cannot afford it.',
      'The new online parking system is hard for older people.',
      'My proof of address was a bank statement and that was refused.',
      'Too many permits have been issued for the spaces.',
      'We still cannot park near our home.',
      'The website does not say.',
      'The parking enforcement officer would not listen.',
    ],
  },
  planning: {
    core: [
      'My planning application has been waiting for a decision for over three months.',
      'Why does it take so long to get a planning decision?',
      'I objected to the planning application at {street} but heard nothing back.',
      'The planning officer has not replied to my emails for weeks.',
      'Planning permission for the flats on {street} should never have been granted.',
      'Our planning application was marked invalid.',
      'How do I find out if I need planning permission for a garden office?',
      'Validation of our planning application took six weeks.',
      'My neighbour is building without planning permission.',
      'The planning department is far too slow.',
    ],
    detail: [
      'It is only a simple single-storey extension.',
      'Our builder has had to move on to another job.',
      'A form was missing that nobody told us about.',
      'Who do I report this to?',
      'The planning portal would not let me upload my drawings.',
      'We are paying rent while we wait for the decision.',
      'The case officer changed twice.',
    ],
  },
  potholes: {
    core: [
      'There is a huge pothole on {street}.',
      'A pothole outside number {number} {street} damaged my tyre.',
      'The road surface on {street} is breaking up.',
      'I reported a pothole in January and it is still not fixed.',
      'Dangerous pothole by the bus stop on {street}.',
      'The repair to the pothole on {street} has opened up again.',
      'The potholes on the road into town are getting worse every week.',
      'Deep pothole near the junction with {street}.',
      'When will you resurface {street}?',
      'The pavement is cracked and uneven on {street}.',
    ],
    detail: [
      'It has been there for months.',
      'How do I claim for the damage?',
      'Cyclists are swerving into traffic to avoid it.',
      'Patching the potholes is a waste of money.',
      'My mother tripped there last week.',
      'After the frost there are potholes everywhere.',
      'Someone will be seriously hurt.',
    ],
  },
  'council-tax': {
    core: [
      'My council tax bill is wrong.',
      'Why has council tax gone up again when services are getting worse?',
      'I set up a direct debit for council tax but you have sent me a reminder letter.',
      'I have moved out of the property, please close my council tax account.',
      'The council tax bill arrived late.',
      'Can I pay council tax over twelve months instead of ten?',
      'I received a court summons for council tax I had already paid.',
      'I think the council tax band for my new flat is too high.',
      'The council tax reduction form is very long and hard to understand.',
      'How do I get a student exemption on my council tax?',
    ],
    detail: [
      'It does not include the single person discount.',
      'Now I am told I have missed a payment.',
      'I have the bank statement to prove it.',
      'I rang twice and was cut off both times.',
      'Pensioners like me cannot keep paying more.',
      'Please refund the overpayment.',
    ],
  },
  'online-forms': {
    core: [
      'The online form kept timing out before I could submit it.',
      'I could not log in to my council account after the new website launched.',
      'Your website forms do not work on my phone.',
      'I filled in the online form twice and got no confirmation email.',
      'The new website is impossible to navigate.',
      'The password reset link on the council website does not work.',
      'The online form lost everything I had typed.',
      'The online form shows an error message when I press submit.',
      'The online account asks for a reference number I do not have.',
      'Why do I have to create an account just to report something?',
    ],
    detail: [
      'The submit button does nothing.',
      'I could not find the form I needed.',
      'In the end I had to phone and wait forty minutes.',
      'Please send me a paper copy of the form.',
      'The form should be simple.',
      'It happened on my laptop and my phone.',
    ],
  },
  'bulky-waste': {
    core: [
      'How much does a bulky waste collection cost for a sofa?',
      'I booked a bulky waste collection for a fridge but nobody turned up.',
      'The next bulky waste slot is five weeks away.',
      'Someone has fly tipped a mattress on {street}.',
    ],
    detail: ['That is far too long.', 'Please collect it.', 'The price has doubled.'],
  },
  'street-lighting': {
    core: [
      'The street light outside number {number} {street} has been out for weeks.',
      'The street lights on {street} are off.',
      'A street lamp is flickering all night outside my bedroom window.',
    ],
    detail: ['It feels unsafe walking home.', 'I reported it a month ago.'],
  },
  thanks: {
    core: [
      'Thank you to the bin crew who helped my elderly neighbour with her bins.',
      'The new library opening hours are great, thank you.',
      'Thanks for fixing the pothole so quickly on {street}.',
      'A very helpful person on the phone today.',
    ],
    detail: ['Keep up the good work.', 'Much appreciated.'],
  },
};

const STREETS = [
  'Station Road',
  'High Street',
  'Church Lane',
  'Mill Road',
  'Victoria Avenue',
  'Park Crescent',
  'Queens Road',
  'Elm Grove',
  'Chapel Street',
  'Orchard Way',
];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

const OPENERS = ['', '', '', '', 'Hi, ', 'Hello, ', 'Not happy. ', 'Again! '];
const CLOSERS = [
  '',
  '',
  '',
  '',
  ' Please sort it out.',
  ' Thanks.',
  ' Very frustrating.',
  ' Can someone call me back?',
  ' This is not good enough.',
  ' Regards',
];

/** Personal data residents put in comments, so the demo shows it redacted. */
function personalDetail(random: () => number): string {
  const n = () => Math.floor(random() * 10);
  const names = ['j.smith', 'karen.b', 'tom.wilson', 'amina.k', 'dave1972', 'lucy.r'];
  switch (Math.floor(random() * 4)) {
    case 0:
      return ` You can email me at ${pick(random, names)}@example.com.`;
    case 1:
      return ` My number is 07${n()}${n()}${n()} ${n()}${n()}${n()}${n()}${n()}${n()}.`;
    case 2: {
      // Inward codes never use C, I, K, M, O or V.
      const letters = 'ABDEFGHJLNPQRSTUWXYZ'.split('');
      return ` I live at ${10 + Math.floor(random() * 90)} ${pick(random, STREETS)}, AB${1 + Math.floor(random() * 9)} ${n()}${pick(random, letters)}${pick(random, letters)}.`;
    }
    default:
      return ` Call me on 020 7${n()}${n()}${n()} ${n()}${n()}${n()}${n()}.`;
  }
}

/** Slips of the finger: a swapped pair, a dropped letter, or lower case throughout. */
function typo(text: string, random: () => number): string {
  const words = text.split(' ');
  const at = Math.floor(random() * words.length);
  const word = words[at] ?? '';
  if (word.length < 5) return text.toLowerCase();
  const i = 1 + Math.floor(random() * (word.length - 3));
  words[at] =
    random() < 0.5
      ? word.slice(0, i) + (word[i + 1] ?? '') + (word[i] ?? '') + word.slice(i + 2)
      : word.slice(0, i) + word.slice(i + 1);
  return words.join(' ');
}

function chooseTopic(random: () => number, month: number): Topic {
  const entries = Object.entries(WEIGHTS) as [Topic, number][];
  const scored = entries.map(([t, w]) => [t, w * TRENDS[t](month)] as const);
  const total = scored.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [t, w] of scored) {
    r -= w;
    if (r <= 0) return t;
  }
  return 'thanks';
}

function chooseMonth(random: () => number): number {
  // Volume grows gently over the period (more people use the online forms).
  const weights = MONTHS.map((_, m) => 1 + m * 0.04);
  const total = weights.reduce((s, w) => s + w, 0);
  let r = random() * total;
  for (let m = 0; m < weights.length; m++) {
    r -= weights[m] ?? 0;
    if (r <= 0) return m;
  }
  return MONTHS.length - 1;
}

function fill(template: string, random: () => number): string {
  return template
    .replaceAll('{bin}', () => pick(random, BIN))
    .replaceAll('{item}', () => pick(random, ITEMS))
    .replaceAll('{street}', () => pick(random, STREETS))
    .replaceAll('{day}', () => pick(random, DAYS))
    .replaceAll('{number}', () => String(1 + Math.floor(random() * 120)));
}

/** `count` resident comments, the same for the same seed, in date order. */
export function generateComments(count = 3000, seed = 2025): GeneratedComment[] {
  const random = generator(seed);
  const out: GeneratedComment[] = [];
  for (let i = 0; i < count; i++) {
    const m = chooseMonth(random);
    const { year, month } = MONTHS[m] ?? { year: 2026, month: 0 };
    const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const day = 1 + Math.floor(random() * days);
    const date = `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const topic = chooseTopic(random, m);
    const channelRoll = random();
    const channel =
      channelRoll < 0.45
        ? 'web'
        : channelRoll < 0.7
          ? 'email'
          : channelRoll < 0.9
            ? 'phone'
            : 'letter';
    const template = TEMPLATES[topic];
    const parts = [pick(random, template.core)];
    const extra = random();
    if (extra < 0.75) parts.push(pick(random, template.detail));
    if (extra < 0.25) parts.push(pick(random, template.detail));
    let text = fill([...new Set(parts)].join(' '), random);
    // Phone calls are noted by an adviser; letters and e-mails sometimes start formally.
    if (channel === 'phone' && random() < 0.3)
      text = `Caller says ${text[0]?.toLowerCase()}${text.slice(1)}`;
    else text = `${pick(random, OPENERS)}${text}${pick(random, CLOSERS)}`;
    if (random() < 0.08) text += personalDetail(random);
    if (random() < 0.12) text = typo(text, random);
    const groupRoll = random();
    out.push({
      text,
      date,
      channel,
      area: pick(random, AREAS),
      group: groupRoll < 0.88 ? 'resident' : groupRoll < 0.95 ? 'business' : 'landlord',
      topic,
    });
  }
  // A campaign: forty identical e-mails, set aside as repeats rather than counted as a theme.
  for (let i = 0; i < 40; i++) {
    out.push({
      text: 'Please reverse the decision to charge for garden waste collection. It is unfair on residents who already pay council tax.',
      date: `2026-05-${String(1 + (i % 20)).padStart(2, '0')}`,
      channel: 'email',
      area: pick(random, AREAS),
      group: 'resident',
      topic: 'council-tax',
    });
  }
  // A few empty submissions, as every real export has.
  for (let i = 0; i < 6; i++)
    out.push({
      text: i % 2 ? ' ' : '-',
      date: '2026-02-14',
      channel: 'web',
      area: pick(random, AREAS),
      group: 'resident',
      topic: 'thanks',
    });
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

const csvField = (value: string): string =>
  /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/** The comments as the CSV a council's case system would export. */
export function commentsCsv(comments: readonly GeneratedComment[]): string {
  const lines = ['submitted,channel,ward,respondent,comment'];
  for (const c of comments)
    lines.push([c.date, c.channel, c.area, c.group, c.text].map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

/** The themes whose comments are mostly (four in five or more) of `topic`, largest first. */
async function themesAbout(
  scope: OrgScope,
  analysisId: string,
  topicOf: ReadonlyMap<string, Topic>,
  topic: Topic,
): Promise<string[]> {
  const found: { key: string; hits: number }[] = [];
  for (const theme of await scope.themes.themes(analysisId)) {
    const { comments } = await scope.themes.commentsOf(analysisId, theme.key, {
      offset: 0,
      limit: 100_000,
    });
    const hits = comments.filter((c) => topicOf.get(c.text) === topic).length;
    if (hits >= 0.8 * comments.length) found.push({ key: theme.key, hits });
  }
  return found.sort((a, b) => b.hits - a.hits).map((f) => f.key);
}

/**
 * Stores the generated comments in the organisation, analyses them at once (about a second for a
 * few thousand), names the recycling-rules theme and links it to the recycling chain's first stage.
 */
export async function seedDemoComments(
  scope: OrgScope,
  options: { count?: number; seed?: number } = {},
): Promise<{ setId: string; analysisId: string }> {
  const generated = generateComments(options.count, options.seed);
  const read = await readComments(Readable.from([commentsCsv(generated)]), {
    format: 'csv',
    columns: {
      text: 'comment',
      date: 'submitted',
      channel: 'channel',
      area: 'ward',
      group: 'respondent',
    },
  });
  const themes = scope.themes;
  const setId = await themes.createSet({
    name: 'Resident comments, July 2025 to October 2026',
    fileName: 'resident-comments.csv',
    format: 'csv',
    columns: ['submitted', 'channel', 'ward', 'respondent', 'comment'],
    mapping: {
      text: 'comment',
      date: 'submitted',
      channel: 'channel',
      area: 'ward',
      group: 'respondent',
    },
    read,
  });
  // Twelve themes read best for this set; the automatic choice splits subjects more finely.
  const analysisId = await themes.createAnalysis(setId, { seed: 1, themes: 12 });
  if (analysisId === undefined) throw new Error('The demo comments were not stored');
  await runAnalysis(scope, analysisId);

  // Find the recycling themes through the redacted text shown on pages, then do what a lead
  // would: join them under a plain name and link the result to where it bites in the chain.
  const topicOf = new Map(generated.map((c) => [redactPersonalData(c.text.trim()), c.topic]));
  const recycling = await themesAbout(scope, analysisId, topicOf, 'recycling-rules');
  const label = 'Confusion about recycling rules';
  let key = recycling[0];
  if (recycling.length >= 2)
    key = await mergeThemes(scope, analysisId, recycling.slice(0, 2), label);
  else if (key !== undefined) await renameTheme(scope, analysisId, key, label);
  if (key !== undefined) {
    const chainId = await scope.chains.create(
      parseChainOrThrow(householdRecyclingChainJson),
      'seeded',
    );
    await themes.addLink(analysisId, key, {
      kind: 'stage',
      chainId,
      stageId: 'kerbside-collection',
      note: 'Household recycling collection — Kerbside collection and bin checks',
    });
  }
  return { setId, analysisId };
}
