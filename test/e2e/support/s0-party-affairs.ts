/**
 * S0's 党务清单 (seed 000, 杭州市城乡建设委员会): 6 modules, 25 items on their time nodes — 每月主题党日,
 * 每半年先锋指数考评, 每半年分析研判党员思想状况, 领办微心愿不少于2次 … — as an officer enters them in
 * the editor: a preset and its parameters (or one date), who does it, how often at least, points.
 */
export interface S0Item {
  module: string;
  title: string;
  /** A preset id with its parameters, or a single date. */
  preset?: { id: string; day?: number; month?: number; weekday?: string };
  dueDate?: string;
  assignee: "each_member" | "each_secretary" | "each_branch";
  minCount?: number;
  points: number;
  evidence?: boolean;
}

export const S0_MODULES = ["党建工作责任", "政治理论学习", "基层组织建设", "基层党员管理", "基层服务深化", "党建工作基本保障"] as const;

export const S0_ITEMS: S0Item[] = [
  { module: "党建工作责任", title: "专题研究党建工作", preset: { id: "quarter_end" }, assignee: "each_secretary", points: 5 },
  { module: "党建工作责任", title: "书记抓基层党建述职评议", preset: { id: "yearly_date", month: 1, day: 31 }, assignee: "each_secretary", points: 10, evidence: true },
  { module: "党建工作责任", title: "签订党建工作责任书", preset: { id: "yearly_date", month: 3, day: 31 }, assignee: "each_secretary", points: 5 },
  { module: "党建工作责任", title: "半年党建工作总结", preset: { id: "half_year_end" }, assignee: "each_branch", points: 5, evidence: true },
  { module: "政治理论学习", title: "理论学习中心组学习", preset: { id: "month_last_working_day" }, assignee: "each_branch", points: 3 },
  { module: "政治理论学习", title: "党员自学（学习强国）", preset: { id: "monthly_day", day: 28 }, assignee: "each_member", minCount: 4, points: 2 },
  { module: "政治理论学习", title: "书记讲党课", preset: { id: "quarter_last_working_day" }, assignee: "each_secretary", points: 5, evidence: true },
  { module: "政治理论学习", title: "党务知识在线竞技", dueDate: "2026-06-30", assignee: "each_member", points: 5 },
  { module: "基层组织建设", title: "主题党日", preset: { id: "month_end" }, assignee: "each_branch", points: 10, evidence: true },
  { module: "基层组织建设", title: "支部委员会会议", preset: { id: "month_last_working_day" }, assignee: "each_branch", points: 3 },
  { module: "基层组织建设", title: "党员大会", preset: { id: "quarter_end" }, assignee: "each_branch", points: 5 },
  { module: "基层组织建设", title: "党小组会", preset: { id: "monthly_day", day: 20 }, assignee: "each_branch", points: 2 },
  { module: "基层组织建设", title: "组织生活会和民主评议党员", dueDate: "2026-12-20", assignee: "each_branch", points: 10, evidence: true },
  { module: "基层党员管理", title: "先锋指数考评", preset: { id: "half_year_end" }, assignee: "each_branch", points: 10 },
  { module: "基层党员管理", title: "党员思想状况分析研判", preset: { id: "half_year_end" }, assignee: "each_branch", points: 5 },
  { module: "基层党员管理", title: "按月交纳党费", preset: { id: "monthly_day", day: 5 }, assignee: "each_member", points: 1 },
  { module: "基层党员管理", title: "发展党员工作", preset: { id: "yearly_date", month: 11, day: 30 }, assignee: "each_branch", points: 5 },
  { module: "基层服务深化", title: "领办微心愿", preset: { id: "yearly_date", month: 12, day: 31 }, assignee: "each_member", minCount: 2, points: 5, evidence: true },
  { module: "基层服务深化", title: "志愿服务", preset: { id: "quarter_end" }, assignee: "each_member", points: 3 },
  { module: "基层服务深化", title: "与项目党支部联建共建", preset: { id: "quarter_last_working_day" }, assignee: "each_branch", points: 5 },
  { module: "基层服务深化", title: "到社区双报到服务", preset: { id: "half_year_end" }, assignee: "each_member", points: 3 },
  { module: "党建工作基本保障", title: "党务干部集中培训", dueDate: "2026-04-30", assignee: "each_secretary", points: 3 },
  { module: "党建工作基本保障", title: "党建阵地维护", preset: { id: "half_year_end" }, assignee: "each_branch", points: 3 },
  { module: "党建工作基本保障", title: "党费收缴使用公示", preset: { id: "yearly_date", month: 12, day: 25 }, assignee: "each_branch", points: 3 },
  { module: "党建工作基本保障", title: "党建信息报送", preset: { id: "weekly_day", weekday: "FR" }, assignee: "each_branch", points: 1 },
];
