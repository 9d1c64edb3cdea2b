// People's names in comment text, for redaction. A shipped list of given names and surnames (the US
// Census Bureau's 1990 lists, see names/ and the README) says which words can be names; capitals
// and context say which are used as names, so that ordinary words that are also names ("I will come
// in May", "a rose bush", "long waits") stay:
//
// 1. after a title (Mr, Mrs, Ms, Miss, Mx, Dr, Doctor, Nurse, Sister, Matron, Prof, Sir, Dame,
//    Councillor, Cllr, Father, Rev): the next one or two capitalised words, whatever they are, or
//    listed names in lower case ("dr patel");
// 2. after a relation (my son, our daughter, her husband, my mum, a neighbour …): the next
//    capitalised word, or a listed given name in lower case that is not an ordinary word
//    ("my daughter sarah"); then a surname beside it;
// 3. after "called", "named" or "name is": the next capitalised word;
// 4. a listed given name followed by a listed surname: "John Smith", and in lower case "john smith"
//    when the given name is not an ordinary word;
// 5. a capitalised listed given name that is not an ordinary word, anywhere ("thank Sarah"), with
//    a capitalised word after it that is not a place word ("Sarah Okonkwo", but "Victoria Road"
//    stays whole: a given name before a place word is a place).
// Surnames alone ("Smith was rude") are not removed: too many are ordinary words (Brown, Green,
// Hill, Long). See the README for what this misses.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { STOP_WORDS } from './stopwords.ts';

let lists: { given: Set<string>; surnames: Set<string> } | undefined;

function readList(file: string): Set<string> {
  const text = readFileSync(fileURLToPath(new URL(`./names/${file}`, import.meta.url)), 'utf8');
  return new Set(text.split('\n').filter((line) => line.length > 0));
}

/** The shipped lists, lower case, read once. */
export function nameLists(): { given: ReadonlySet<string>; surnames: ReadonlySet<string> } {
  lists ??= { given: readList('given-names.txt'), surnames: readList('surnames.txt') };
  return lists;
}

/**
 * Given names that are also ordinary English words, months, places or virtues: removed only with
 * a title, a relation, "called", or a surname beside them in capitals, never on their own.
 */
const ORDINARY = new Set(
  (
    'will may rose hope bill grant mark joy faith grace april june august dawn summer autumn winter ' +
    'spring amber ruby pearl iris holly ivy daisy lily violet jasmine crystal destiny angel penny ' +
    'sandy rusty bob jack frank earl guy art ray gene don dean drew chase lance pat sue carol rich ' +
    'wade miles sterling page robin buck chip hunter major royal prince king queen young long lane ' +
    'forest brook brooks star sunny sunshine honey candy cherry ginger olive fern sage love liberty ' +
    'mercy patience charity harmony precious trinity glory echo sparkle velvet diamond emerald ' +
    'jewel coral garnet golden lady miss man son ma pa nan nana dot in an so my see many un era ' +
    'meta alpha omega delta china india paris german numbers manual brain angle lean temple moon ' +
    'bee ta ka na ha hang song sun chin ping bell marine fairy genesis season tiny cherish desire ' +
    'dimple blossom bunny kitty missy lacy chance noble walker porter parker carter foster tanner ' +
    'fletcher cole reed ward clay cliff rod rob bud herb chuck nick dusty mercedes tory buster ' +
    'eve al ed tom sonny junior chance free freeman young ivory lindy clement christian jesus ' +
    'victoria florence georgia jordan chelsea kent devon lincoln austin charlotte savannah sydney ' +
    'carolina virginia dakota phoenix houston dallas camden salisbury sherwood stirling ' +
    'sharon trust brandy misty candy rocky lucky sky skye rain storm windy stormy sparkle tuesday ' +
    'doctor nurse sister father mother baby babe honey sugar darling mate ace dee jean sol roman ' +
    'case mack willow maple hazel heather juniper poppy primrose saffron clementine precious'
  ).split(/\s+/),
);

const TITLES = new Set(
  'mr mrs ms miss mx dr doctor nurse sister matron prof professor sir dame councillor cllr father rev reverend'.split(
    ' ',
  ),
);
/** Titles that are also ordinary nouns: a title only in capitals ("Sister Jones", not "my sister"). */
const CAPITAL_TITLES = new Set(['doctor', 'nurse', 'sister', 'matron', 'father']);

const RELATIONS = new Set(
  (
    'son sons daughter daughters husband wife partner mum mom mother dad father brother sister ' +
    'friend neighbour neighbor carer grandson granddaughter grandmother grandfather grandma ' +
    'grandad granddad grandpa nan nanna gran granny child baby boy girl aunt auntie uncle nephew ' +
    'niece cousin boyfriend girlfriend fiance fiancee stepson stepdaughter stepmother stepfather ' +
    'colleague flatmate landlord landlady'
  ).split(' '),
);
const POSSESSIVES = new Set(['my', 'our', 'his', 'her', 'their', 'your', 'a']);
const CALLED = new Set(['called', 'named']);

/** Words after a given name that make it a place, not a person ("Victoria Road"). */
const PLACE_WORDS = new Set(
  (
    'road street lane avenue close drive way crescent court place gardens terrace grove square ' +
    'mews walk row hill park green parade station hospital surgery centre center ward house ' +
    'school college university library hall church chapel bridge estate building wing unit ' +
    'clinic practice medical health line bay'
  ).split(' '),
);

// Letters of Latin scripts (without the slower Unicode property classes).
const WORD = /[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’-]*/g;

/** Months, days and words that open sentences: never names, even after a title or relation. */
const NEVER = new Set(
  (
    'january february march april may june july august september october november december ' +
    'monday tuesday wednesday thursday friday saturday sunday thank thanks please ok okay yes ' +
    'hi hello dear xxx xxxx carry hung'
  ).split(' '),
);

// What each word can be, in one lookup per word.
const GIVEN = 1;
const SURNAME = 2;
const ORDINARY_WORD = 4;
const TITLE = 8;
const CAPITAL_TITLE = 16;
const RELATION = 32;
const POSSESSIVE = 64;
const CALLED_WORD = 128;
const PLACE = 256;
const NOT_NAME = 512;
const IS = 1024;
const NAME_WORD = 2048;

let flagsOf: Map<string, number> | undefined;

function wordFlags(): Map<string, number> {
  if (flagsOf) return flagsOf;
  const { given, surnames } = nameLists();
  const flags = new Map<string, number>();
  const add = (words: Iterable<string>, flag: number): void => {
    for (const w of words) flags.set(w, (flags.get(w) ?? 0) | flag);
  };
  add(given, GIVEN);
  add(surnames, SURNAME);
  add(ORDINARY, ORDINARY_WORD);
  add(TITLES, TITLE);
  add(CAPITAL_TITLES, CAPITAL_TITLE);
  add(RELATIONS, RELATION);
  add(POSSESSIVES, POSSESSIVE);
  add(CALLED, CALLED_WORD);
  add(PLACE_WORDS, PLACE);
  add(NEVER, NOT_NAME);
  // Stop words that are also given names ("will", "may") stay possible names after a title or relation.
  add(
    [...STOP_WORDS].filter((w) => !given.has(w)),
    NOT_NAME,
  );
  add(['is'], IS);
  add(['name'], NAME_WORD);
  add(["name's"], CALLED_WORD);
  flagsOf = flags;
  return flags;
}

/** Whether text[from, to) is one to three spaces (or, with `stop`, also a full stop or comma before them). */
function gapJoins(text: string, from: number, to: number, stop: boolean): boolean {
  let at = from;
  if (stop && at < to) {
    const c = text.charCodeAt(at);
    if (c === 46 || c === 44) {
      at++;
      if (at === to) return c === 46; // "Mr.Smith"
    }
  }
  const length = to - at;
  if (length < 1 || length > 3) return false;
  for (let k = at; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9 && c !== 160) return false;
  }
  return true;
}

/** Spans [start, end) of people's names in `text`, in order, adjacent names joined. */
export function findNames(text: string): [number, number][] {
  const table = wordFlags();
  const starts: number[] = [];
  const ends: number[] = [];
  const flags: number[] = [];
  const capitals: boolean[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    let raw = match[0];
    if (raw.endsWith("'s") || raw.endsWith('’s')) raw = raw.slice(0, -2);
    let lower = raw.toLowerCase();
    if (lower.includes('’')) lower = lower.replace(/’/g, "'");
    starts.push(match.index);
    ends.push(match.index + raw.length);
    flags.push(table.get(lower) ?? 0);
    // A capital first letter; a single letter ("I", "A") is never a name.
    capitals.push(raw.length > 1 && raw.charCodeAt(0) !== lower.charCodeAt(0));
  }
  const count = starts.length;
  const isName = new Uint8Array(count);
  const joined = (i: number, stop = false): boolean =>
    i > 0 && i < count && gapJoins(text, ends[i - 1] as number, starts[i] as number, stop);
  /** Marks word i as a surname after a name: capitalised and not a place word, or listed. */
  const surnameAfter = (i: number): void => {
    if (i >= count || isName[i] || !joined(i)) return;
    const f = flags[i] as number;
    if (f & NOT_NAME) return;
    if (capitals[i] ? !(f & PLACE) : (f & SURNAME) !== 0) isName[i] = 1;
  };
  for (let i = 0; i < count; i++) {
    const f = flags[i] as number;
    const capital = capitals[i] as boolean;
    if (f & NOT_NAME || (!capital && (f & (GIVEN | SURNAME)) === 0)) continue;
    const p = i > 0 ? (flags[i - 1] as number) : 0;
    const b = i > 1 ? (flags[i - 2] as number) : 0;
    // 1. After a title ("Dr Patel", "Mr. O'Brien", "dr patel"); a title that is also a noun only
    //    in capitals ("Sister Jones", not "my sister").
    if (p & TITLE && (!(p & CAPITAL_TITLE) || capitals[i - 1]) && joined(i, !(p & CAPITAL_TITLE))) {
      isName[i] = 1;
      surnameAfter(i + 1);
      continue;
    }
    // 2. After a relation ("my son Tom", "my husband, John", "my daughter sarah").
    if (
      p & RELATION &&
      b & POSSESSIVE &&
      (capital ? !(f & PLACE) : (f & GIVEN) !== 0 && !(f & ORDINARY_WORD)) &&
      joined(i, true)
    ) {
      isName[i] = 1;
      surnameAfter(i + 1);
      continue;
    }
    // 3. After "called", "named", "name is".
    if (capital && (p & CALLED_WORD || (p & IS && b & NAME_WORD)) && joined(i)) {
      isName[i] = 1;
      surnameAfter(i + 1);
      continue;
    }
    if (!(f & GIVEN)) continue;
    const nextJoined = joined(i + 1);
    const n = nextJoined ? (flags[i + 1] as number) : 0;
    // A given name before a place word is a place ("Victoria Road", "James Street").
    if (nextJoined && capitals[i + 1] && n & PLACE) continue;
    // 4. A given name and a surname: "John Smith", or "john smith" if the given name is not an
    //    ordinary word.
    if (nextJoined && n & SURNAME && !(n & NOT_NAME)) {
      const nextCapital = capitals[i + 1] as boolean;
      if ((capital && nextCapital) || (!capital && !nextCapital && !(f & ORDINARY_WORD))) {
        isName[i] = 1;
        isName[i + 1] = 1;
        i++;
        continue;
      }
    }
    // 5. A capitalised given name that is not an ordinary word.
    if (capital && !(f & ORDINARY_WORD)) {
      isName[i] = 1;
      surnameAfter(i + 1);
    }
  }
  const spans: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    if (!isName[i]) continue;
    const last = spans.at(-1);
    if (last && isName[i - 1] && joined(i)) last[1] = ends[i] as number;
    else spans.push([starts[i] as number, ends[i] as number]);
  }
  return spans;
}
