// A light English stemmer, written for theme discovery: it folds plurals and verb endings so that
// "charge", "charges", "charged" and "charging" count as one term. Stems need not be words: labels
// show each stem's most frequent spelling in the comments ("charged", not "charg").

const IRREGULAR: ReadonlyMap<string, string> = new Map([
  ['children', 'child'],
  ['men', 'man'],
  ['women', 'woman'],
  ['feet', 'foot'],
  ['teeth', 'tooth'],
  ['mice', 'mouse'],
  ['people', 'person'],
  ['went', 'go'],
  ['gone', 'go'],
  ['goes', 'go'],
  ['paid', 'pay'],
  ['bought', 'buy'],
  ['sent', 'send'],
  ['took', 'take'],
  ['taken', 'take'],
  ['made', 'make'],
  ['gave', 'give'],
  ['given', 'give'],
  ['told', 'tell'],
  ['said', 'say'],
  ['lost', 'lose'],
  ['left', 'leave'],
  ['kept', 'keep'],
  ['thought', 'think'],
  ['brought', 'bring'],
  ['found', 'find'],
  ['came', 'come'],
  ['saw', 'see'],
  ['seen', 'see'],
  ['was', 'be'],
  ['were', 'be'],
  ['is', 'be'],
  ['are', 'be'],
  ['been', 'be'],
  ['has', 'have'],
  ['had', 'have'],
  ['did', 'do'],
  ['done', 'do'],
  ['does', 'do'],
  ['stolen', 'steal'],
  ['stole', 'steal'],
  ['withdrew', 'withdraw'],
  ['withdrawn', 'withdraw'],
  ['got', 'get'],
  ['gotten', 'get'],
  ['wrote', 'write'],
  ['written', 'write'],
  ['broke', 'break'],
  ['broken', 'break'],
  ['froze', 'freeze'],
  ['frozen', 'freeze'],
]);

// Words whose final "s" is not a plural ending.
const KEEP_S = /(?:ss|us|is|ous|ies?s)$/;
const VOWEL = /[aeiouy]/;

function hasVowel(stem: string): boolean {
  return VOWEL.test(stem);
}

function undouble(stem: string): string {
  // "stopp" → "stop", "transferr" → "transfer", but "fall", "pass" and "buzz" keep theirs.
  const last = stem.at(-1);
  if (stem.length > 3 && last === stem.at(-2) && last !== undefined && !'lsz'.includes(last)) {
    return stem.slice(0, -1);
  }
  return stem;
}

/** The stem of one lower-case word. */
export function stem(word: string): string {
  const irregular = IRREGULAR.get(word);
  if (irregular !== undefined) return irregular;
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(?:ches|shes|xes|zes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !KEEP_S.test(w)) w = w.slice(0, -1);

  if (w.endsWith('ing') && w.length > 5 && hasVowel(w.slice(0, -3))) {
    w = undouble(w.slice(0, -3));
  } else if (w.endsWith('ied') && w.length > 4) {
    w = w.slice(0, -3) + 'y';
  } else if (w.endsWith('ed') && w.length > 4 && hasVowel(w.slice(0, -2))) {
    w = undouble(w.slice(0, -2));
  }
  // "charge" and "charg(ed)" meet at "charg"; "free" and "fee" keep their e.
  if (w.endsWith('e') && w.length > 4 && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}
