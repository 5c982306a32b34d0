import * as v from "valibot";

const bilingual = v.object({ "zh-CN": v.string(), en: v.string() });

export const presetChoice = v.pipe(
  v.objectWithRest({ id: v.pipe(v.string(), v.maxLength(50)) }, v.union([v.pipe(v.number(), v.integer(), v.minValue(-1000), v.maxValue(1000)), v.pipe(v.string(), v.maxLength(10))])),
  v.check((o) => Object.keys(o).length <= 5, "参数过多 / Too many parameters"),
);

export const presetOut = v.object({
  id: v.string(),
  label: bilingual,
  parameters: v.array(v.object({ name: v.string(), type: v.picklist(["integer", "weekday"]), min: v.optional(v.number()), max: v.optional(v.number()), values: v.optional(v.array(v.string())), label: bilingual })),
  rule: v.string(),
  suggestedRollPolicy: v.picklist(["next", "previous", "none"]),
  note: v.optional(bilingual),
});

export const presetListOut = v.object({ data: v.array(presetOut) });
