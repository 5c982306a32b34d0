import { init, use } from "echarts/core";
import { BarChart } from "echarts/charts";
import { GridComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

// Named imports so the bundler keeps only these: `import("echarts/charts")` would pull every chart in.
use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export { init };
