// English stop words: words too common to say what a comment is about. They are left out of key
// phrases, labels and the TF-IDF view; the word-vector view down-weights them by frequency instead.

export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before ' +
    'being below between both but by can could did do does doing down during each else ever ' +
    'few for from further get gets got had has have having he her here hers herself him himself ' +
    'his how i if in into is it its itself just let me might more most must my myself no nor not ' +
    'now of off on once only or other ought our ours ourselves out over own please same shall ' +
    'she should so some such than that the their theirs them themselves then there these they ' +
    'this those through to too under until up upon us very was we were what when where which ' +
    'while who whom why will with would yet you your yours yourself yourselves ' +
    'im ive id ill youre dont cant wont isnt doesnt didnt thats theres whats hi hello thanks ' +
    'thank one may much many really still even well need want like know way'
  ).split(/\s+/),
);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
