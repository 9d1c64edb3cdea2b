// Two waves of synthetic resident comments for the comparison over time (issue 14, point 7): six
// subjects in the first wave; in the second, potholes clearly grow, a library subject appears, and
// the rest move a little at random. Every comment differs (frames × details × streets), so none is
// set aside as a repeat.
const SUBJECTS: Readonly<
  Record<string, { readonly core: string; readonly details: readonly string[] }>
> = {
  bins: {
    core: 'the rubbish bin collection was missed and the wheelie bins were left full',
    details: ['for a week', 'again', 'after the holiday', 'by the crew', 'on collection day'],
  },
  parking: {
    core: 'the residents parking permit costs too much and visitor parking permits are hard to get',
    details: ['this year', 'for carers', 'for my visitors', 'online', 'at weekends'],
  },
  potholes: {
    core: 'a deep pothole in the road surface damaged my car tyre and wheel',
    details: [
      'near the junction',
      'by the bus stop',
      'after the rain',
      'on my commute',
      'last night',
    ],
  },
  tax: {
    core: 'my council tax bill went up and the council tax band seems wrong',
    details: ['this April', 'again', 'for a small flat', 'with no explanation', 'by a lot'],
  },
  noise: {
    core: 'loud music and noise from the neighbours keeps us awake at night',
    details: ['every weekend', 'until 3am', 'after midnight', 'most nights', 'in the summer'],
  },
  lights: {
    core: 'the street lights are broken and the dark pavement feels unsafe walking home',
    details: ['in winter', 'for months', 'near the park', 'by the alley', 'after work'],
  },
  library: {
    core: 'the public library should open longer with more books and quiet study space for reading',
    details: ['on Sundays', 'in the evenings', 'for students', 'for children', 'in the holidays'],
  },
};

const FRAMES = ['Please note', 'Complaint:', 'Again,', 'Honestly', 'Not happy:', 'FYI'];
const STREETS = [
  'Mill Lane',
  'High Street',
  'Station Road',
  'Church Walk',
  'Park Avenue',
  'Bridge Street',
  'Green Lane',
  'Queens Road',
];

/** `count` different comments about `subject`, starting at variant `from`. */
function about(subject: string, count: number, from = 0): string[] {
  const s = SUBJECTS[subject];
  if (!s) throw new Error(subject);
  const out: string[] = [];
  for (let i = from; out.length < count; i++) {
    const frame = FRAMES[i % FRAMES.length] ?? '';
    const detail = s.details[Math.floor(i / FRAMES.length) % s.details.length] ?? '';
    const street = STREETS[Math.floor(i / (FRAMES.length * s.details.length)) % STREETS.length];
    out.push(`${frame} ${s.core} ${detail} on ${street}.`);
  }
  return out;
}

export const WAVE_ONE = { bins: 120, parking: 120, potholes: 60, tax: 120, noise: 90, lights: 90 };
export const WAVE_TWO = {
  bins: 112,
  parking: 118,
  potholes: 150,
  tax: 110,
  noise: 80,
  lights: 84,
  library: 60,
};

/** A wave as one comment per line (a .txt upload), subjects interleaved. */
export function waveText(counts: Readonly<Record<string, number>>, offset = 0): string {
  const lists = Object.entries(counts).map(([s, n]) => about(s, n, offset));
  const lines: string[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++)
    for (const l of lists) if (i < l.length) lines.push(l[i] ?? '');
  return `${lines.join('\n')}\n`;
}
