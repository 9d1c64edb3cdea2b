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
import { isStopWord } from './stopwords.ts';

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

interface Word {
  readonly start: number;
  readonly end: number;
  readonly lower: string;
  readonly capital: boolean;
}

/** Spans [start, end) of people's names in `text`, in order, adjacent names joined. */
export function findNames(text: string): [number, number][] {
  const { given, surnames } = nameLists();
  const words: Word[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    let raw = match[0];
    if (raw.endsWith("'s") || raw.endsWith('’s')) raw = raw.slice(0, -2);
    const lower = raw.toLowerCase();
    words.push({
      start: match.index,
      end: match.index + raw.length,
      lower: lower.includes('’') ? lower.replace(/’/g, "'") : lower,
      capital: raw.charCodeAt(0) !== lower.charCodeAt(0),
    });
  }
  const isName = new Uint8Array(words.length);
  /** Only spaces (or, where allowed, a full stop or comma) between words i − 1 and i. */
  const joined = (i: number, punctuation = false): boolean => {
    const previous = words[i - 1];
    const current = words[i];
    if (!previous || !current) return false;
    const gap = text.slice(previous.end, current.start);
    return punctuation ? /^[.,]?\s{1,3}$/.test(gap) || gap === '.' : /^\s{1,3}$/.test(gap);
  };
  const givenAlone = (w: Word): boolean => given.has(w.lower) && !ORDINARY.has(w.lower);
  /** Marks a surname after a name at i − 1: a capitalised word that is not a place word. */
  const surnameAfter = (i: number): void => {
    const w = words[i];
    if (!w || !joined(i) || isName[i] || w.lower.length < 2 || isStopWord(w.lower)) return;
    if ((w.capital && !PLACE_WORDS.has(w.lower)) || (!w.capital && surnames.has(w.lower)))
      isName[i] = 1;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as Word;
    const previous = words[i - 1];
    const listed = given.has(w.lower) || surnames.has(w.lower);
    // 1. After a title.
    if (
      previous &&
      (w.capital || listed) &&
      TITLES.has(previous.lower) &&
      (!CAPITAL_TITLES.has(previous.lower) || previous.capital) &&
      joined(i, true)
    ) {
      isName[i] = 1;
      surnameAfter(i + 1);
      continue;
    }
    // 2. After a relation ("my son Tom", "my husband, John").
    const before = words[i - 2];
    if (
      previous &&
      (w.capital || listed) &&
      RELATIONS.has(previous.lower) &&
      before &&
      POSSESSIVES.has(before.lower) &&
      joined(i, true) &&
      (w.capital ? !PLACE_WORDS.has(w.lower) : givenAlone(w))
    ) {
      isName[i] = 1;
      surnameAfter(i + 1);
      continue;
    }
    // 3. After "called", "named", "name is".
    if (
      w.capital &&
      previous &&
      (CALLED.has(previous.lower) ||
        (previous.lower === 'is' && before?.lower === 'name') ||
        previous.lower === "name's") &&
      joined(i)
    ) {
      isName[i] = 1;
      surnameAfter(i + 1);
      continue;
    }
    if (!given.has(w.lower)) continue;
    const next = words[i + 1];
    const nextJoined = next !== undefined && joined(i + 1);
    // A given name before a place word is a place ("Victoria Road", "James Street").
    if (nextJoined && next.capital && PLACE_WORDS.has(next.lower)) continue;
    // 4. A given name and a surname.
    if (nextJoined && surnames.has(next.lower)) {
      if ((w.capital && next.capital) || (!w.capital && !next.capital && givenAlone(w))) {
        isName[i] = 1;
        isName[i + 1] = 1;
        i++;
        continue;
      }
    }
    // 5. A capitalised given name that is not an ordinary word.
    if (w.capital && givenAlone(w)) {
      isName[i] = 1;
      surnameAfter(i + 1);
    }
  }
  const spans: [number, number][] = [];
  for (let i = 0; i < words.length; i++) {
    if (!isName[i]) continue;
    const w = words[i] as Word;
    const last = spans.at(-1);
    if (last && isName[i - 1] && joined(i)) last[1] = w.end;
    else spans.push([w.start, w.end]);
  }
  return spans;
}
