export const zhCN = {
  list: {
    title: "我的待办",
    hello: "{name}，你好",
    groups: { overdue: "已逾期", due_soon: "即将到期", on_track: "按计划", done: "已完成" },
    count: "{done}/{min} 次",
    due: "{date} 截止",
    late: "逾期完成",
    empty: "暂无待办，辛苦了",
    returned: "被退回",
    submitted: "待审核",
  },
  task: {
    title: "任务",
  },
};

export const en: typeof zhCN = {
  list: {
    title: "My tasks",
    hello: "Hello, {name}",
    groups: { overdue: "Overdue", due_soon: "Due soon", on_track: "On track", done: "Done" },
    count: "{done}/{min} times",
    due: "due {date}",
    late: "Finished late",
    empty: "Nothing to do — well done",
    returned: "Returned",
    submitted: "In review",
  },
  task: {
    title: "Task",
  },
};
