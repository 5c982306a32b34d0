export const zhCN = {
  title: "我的",
  roles: { admin: "管理员", secretary: "书记", member: "党员" },
  language: "语言",
  logout: "退出登录",
  logoutConfirm: "确定退出登录？",
};

export const en: typeof zhCN = {
  title: "Me",
  roles: { admin: "Administrator", secretary: "Secretary", member: "Member" },
  language: "Language",
  logout: "Log out",
  logoutConfirm: "Log out now?",
};
