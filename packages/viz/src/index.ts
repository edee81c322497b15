/**
 * @lrpjs/viz: numbers → pictures. Colormaps, relevance heatmaps, labelled grids, PNG, SVG charts and a
 * self-contained HTML report. Pure functions without tfjs, file system or DOM: the same code runs in Node and in
 * browsers (writing files is the caller's job).
 */
export {
  COLORMAP_NAMES,
  LUT_SIZE,
  SEISMIC_DARK_FACTOR,
  applyColormap,
  colorAt,
  evenColormap,
  getColormap,
  linearColormap,
  lutIndex,
  scaleColormap,
} from './colormap';
export type { ApplyColormapOptions, ColorStop, Colormap, ColormapName, Rgb, Rgba8 } from './colormap';

export { createImage, drawImage, imageToRgba, overlay, scaleNearest } from './image';
export type { Color, ImageToRgbaOptions, OverlayOptions, RgbaImage } from './image';

export { percentile, relevanceBatchToRgba, relevanceLimits, relevanceToRgba, sumChannels } from './relevance';
export type { HeatmapBatch, Limits, RelevanceBatchOptions, RelevanceLimits, RelevanceToRgbaOptions } from './relevance';

export { colorbar, composeGrid, heatmapRow, imageRow } from './grid';
export type { ColorbarOptions, GridOptions, HeatmapRowOptions, ImageRowOptions } from './grid';

export { drawText, fitText, measureText, toAscii } from './text';
export type { DrawTextOptions } from './text';

export { decodePng, encodePng } from './png';
export type { EncodePngOptions } from './png';

export { SERIES_COLORS, barChartSvg, confusionMatrixSvg, lineChartSvg, ticks } from './svg';
export type {
  BarChartOptions,
  BarSeries,
  ConfusionMatrixOptions,
  LineChartOptions,
  LineSeries,
  ValueFormat,
} from './svg';

export { base64Encode, escapeXml, pngDataUri, svgDataUri } from './encoding';

export { renderReportHtml } from './report';
export type { ReportData, ReportFigure, ReportNet, ReportSection, ReportValue } from './report';

export { conceptPanel } from './concepts';
export type { ConceptPanelData, ConceptPanelRow } from './concepts';
