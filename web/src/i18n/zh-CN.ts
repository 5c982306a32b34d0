/** The shell's own words; each area brings its own messages under its key (see web/README.md). */
export const zhCN = {
  app: { name: "清单工作台", offline: "当前无网络", backOnline: "网络已恢复" },
  tabs: { tasks: "待办", review: "审核", me: "我的" },
  common: {
    save: "保存",
    submit: "提交",
    cancel: "取消",
    confirm: "确定",
    back: "返回",
    loading: "加载中…",
    empty: "暂无内容",
    retry: "重试",
    failed: "操作失败",
    saved: "已保存",
    more: "更多",
    noMore: "没有更多了",
    pullToRefresh: "下拉刷新",
    forbidden: "没有权限打开该页面",
    notFound: "页面不存在",
    home: "回到首页",
  },
};
