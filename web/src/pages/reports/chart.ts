/**
 * ECharts, loaded when a report first draws (never in the first load): only the bar chart, the grid,
 * the tooltip and the canvas renderer (echarts-setup.ts), so the chunk is a fraction of the full build.
 */
export function loadCharts() {
  return import("./echarts-setup");
}

export interface Bars {
  labels: string[];
  values: (number | null)[];
  colors?: string[];
  unit?: string;
}

/** A horizontal bar chart (names are long Chinese branch names: they read best down the left). */
export function barOption(bars: Bars) {
  return {
    animation: false,
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" as const },
    // Counts are whole: no 0.2 ticks.
    xAxis: { type: "value" as const, max: bars.unit === "%" ? 100 : undefined, minInterval: bars.unit === "%" ? undefined : 1, axisLabel: { formatter: `{value}${bars.unit ?? ""}` } },
    yAxis: { type: "category" as const, data: bars.labels, inverse: true, axisLabel: { width: 110, overflow: "truncate" as const } },
    series: [
      {
        type: "bar" as const,
        data: bars.values.map((value, i) => ({ value, itemStyle: bars.colors ? { color: bars.colors[i] } : undefined })),
        label: { show: true, position: "right" as const, formatter: `{c}${bars.unit ?? ""}` },
      },
    ],
  };
}
