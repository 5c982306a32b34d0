import type { RollPolicy } from "../../calendar/work-calendar.js";
import type { SchedulePresetChoice } from "../../db/tenant/checklists.js";

/**
 * Schedules as bureaus say them (每月最后一个工作日, 每季度末, 每半年末, 每个工作日), each mapped to a rule.
 * The list is a contract (the console's checklist editor is built on it): ids, parameter names and
 * rules do not change; new presets may be added.
 */
export interface PresetParameter {
  name: string;
  type: "integer" | "weekday";
  min?: number;
  max?: number;
  /** For `weekday`: RFC 5545 day codes. */
  values?: string[];
  label: { "zh-CN": string; en: string };
}

export interface SchedulePreset {
  id: string;
  label: { "zh-CN": string; en: string };
  parameters: PresetParameter[];
  /** The RRULE it stands for, with `{name}` where a parameter goes (`X-WORKDAYS=CN`: China's working days). */
  rule: string;
  /** What suits it when a date falls on a day off: period ends move back into their period. */
  suggestedRollPolicy: RollPolicy;
  note?: { "zh-CN": string; en: string };
}

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const day = (max: number): PresetParameter => ({ name: "day", type: "integer", min: 1, max, label: { "zh-CN": "日", en: "Day of month" } });
const month: PresetParameter = { name: "month", type: "integer", min: 1, max: 12, label: { "zh-CN": "月", en: "Month" } };

export const schedulePresets: SchedulePreset[] = [
  {
    id: "monthly_day",
    label: { "zh-CN": "每月N日", en: "Monthly on day N" },
    parameters: [day(31)],
    rule: "FREQ=MONTHLY;BYMONTHDAY={day}",
    suggestedRollPolicy: "next",
    note: { "zh-CN": "29–31 日在较短的月份取该月最后一天", en: "Days 29–31 fall on the month's last day in shorter months" },
  },
  { id: "month_end", label: { "zh-CN": "每月末", en: "End of each month" }, parameters: [], rule: "FREQ=MONTHLY;BYMONTHDAY=-1", suggestedRollPolicy: "previous" },
  { id: "month_first_working_day", label: { "zh-CN": "每月第一个工作日", en: "First working day of each month" }, parameters: [], rule: "FREQ=MONTHLY;BYSETPOS=1;X-WORKDAYS=CN", suggestedRollPolicy: "next" },
  { id: "month_last_working_day", label: { "zh-CN": "每月最后一个工作日", en: "Last working day of each month" }, parameters: [], rule: "FREQ=MONTHLY;BYSETPOS=-1;X-WORKDAYS=CN", suggestedRollPolicy: "previous" },
  { id: "quarter_end", label: { "zh-CN": "每季度末", en: "End of each quarter" }, parameters: [], rule: "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1", suggestedRollPolicy: "previous" },
  { id: "quarter_last_working_day", label: { "zh-CN": "每季度最后一个工作日", en: "Last working day of each quarter" }, parameters: [], rule: "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYSETPOS=-1;X-WORKDAYS=CN", suggestedRollPolicy: "previous" },
  { id: "half_year_end", label: { "zh-CN": "每半年末（6月30日、12月31日）", en: "End of each half-year (30 June, 31 December)" }, parameters: [], rule: "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=-1", suggestedRollPolicy: "previous" },
  { id: "yearly_date", label: { "zh-CN": "每年M月D日", en: "Yearly on a date" }, parameters: [month, day(31)], rule: "FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}", suggestedRollPolicy: "next" },
  {
    id: "weekly_day",
    label: { "zh-CN": "每周（星期几）", en: "Weekly on a weekday" },
    parameters: [{ name: "weekday", type: "weekday", values: WEEKDAYS, label: { "zh-CN": "星期", en: "Weekday" } }],
    rule: "FREQ=WEEKLY;BYDAY={weekday}",
    suggestedRollPolicy: "next",
  },
  {
    id: "every_working_day",
    label: { "zh-CN": "每个工作日", en: "Every working day" },
    parameters: [],
    rule: "FREQ=DAILY;X-WORKDAYS=CN",
    suggestedRollPolicy: "none",
    note: { "zh-CN": "按中国法定工作日：节假日不安排，调休上班的周末照常安排", en: "China's working days: none on public holidays, and make-up working weekends (调休) included" },
  },
];

export class PresetError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The rule a preset choice stands for; refuses unknown presets and out-of-range parameters ("中文 / English"). */
export function ruleForPreset(choice: SchedulePresetChoice): string {
  const preset = schedulePresets.find((p) => p.id === choice.id);
  if (!preset) throw new PresetError("preset.id", `没有这个日程预设：${choice.id}（见 GET /v1/schedules/presets） / No such schedule preset: ${choice.id} (see GET /v1/schedules/presets)`);
  const extra = Object.keys(choice).filter((k) => k !== "id" && !preset.parameters.some((p) => p.name === k));
  if (extra.length) throw new PresetError(`preset.${extra[0]}`, `该预设没有此参数 / This preset has no such parameter`);
  const values: Record<string, string> = {};
  for (const parameter of preset.parameters) {
    const value = choice[parameter.name];
    if (parameter.type === "weekday") {
      if (typeof value !== "string" || !parameter.values!.includes(value)) throw new PresetError(`preset.${parameter.name}`, `须为 ${parameter.values!.join("、")} 之一 / Must be one of ${parameter.values!.join(", ")}`);
      values[parameter.name] = value;
    } else {
      if (typeof value !== "number" || !Number.isInteger(value) || value < parameter.min! || value > parameter.max!) {
        throw new PresetError(`preset.${parameter.name}`, `须为 ${parameter.min}–${parameter.max} 的整数 / Must be an integer from ${parameter.min} to ${parameter.max}`);
      }
      values[parameter.name] = String(value);
    }
  }
  // 每月N日 past the 28th: the month's last day in shorter months (RRULE would skip those months).
  if (preset.id === "monthly_day" && Number(values.day) > 28) {
    const days = Array.from({ length: Number(values.day) - 27 }, (_, i) => 28 + i).join(",");
    return `FREQ=MONTHLY;BYMONTHDAY=${days};BYSETPOS=-1`;
  }
  return preset.rule.replace(/\{(\w+)\}/g, (_, name: string) => values[name]!);
}
