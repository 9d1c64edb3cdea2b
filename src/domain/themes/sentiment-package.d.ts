// Types for the `sentiment` package (AFINN-165 word list with negation), which ships none.
declare module 'sentiment' {
  interface AnalysisResult {
    readonly score: number;
    readonly comparative: number;
    readonly positive: readonly string[];
    readonly negative: readonly string[];
    readonly tokens: readonly string[];
    /** Each rated word with its rating, negation applied: [{ good: -3 }, …]. */
    readonly calculation: readonly Readonly<Record<string, number>>[];
  }
  interface AnalyseOptions {
    readonly extras?: Readonly<Record<string, number>>;
  }
  class Sentiment {
    analyze(phrase: string, options?: AnalyseOptions): AnalysisResult;
  }
  export default Sentiment;
}
