// Accessible SVG charts of assessment results, built as strings (no DOM, no JavaScript), each with a
// table of the same figures. On the paper's scale 1 = Outstanding is best, and no chart suggests
// otherwise: positions on a labelled axis, never bars that grow with a worse level.
export {
  heatMapSvg,
  heatMapTable,
  heatMapCells,
  heatMapGroups,
  hiddenText,
  hiddenRule,
} from './heat-map.ts';
export type { HeatMapInput, HeatCell } from './heat-map.ts';
export { profileChartHtml, profileChartSvg, profileTable, levelX } from './profile.ts';
export type { ProfileInput } from './profile.ts';
export { trendChartSvg, trendTable } from './trend.ts';
export {
  escapeXml,
  safeId,
  wrapText,
  contrastRatio,
  relativeLuminance,
  LEVEL_SWATCHES,
  HIDDEN_SWATCH,
  EMPTY_SWATCH,
  MIN_FONT_SIZE,
  FONT_SIZE,
} from '../../charts/svg.ts';
export type { ChartTable, Swatch } from '../../charts/svg.ts';
