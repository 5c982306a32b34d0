export const zhCN = {
  login: {
    title: "登录",
    heading: "清单工作台",
    subheading: "党务清单 · 路长制 · 承诺践诺",
    tenant: "单位标识",
    tenantPlaceholder: "如 jtj（由管理员告知）",
    email: "邮箱",
    password: "密码",
    submit: "登录",
    forgot: "忘记密码？",
    required: "请填写{field}",
  },
};

export const en: typeof zhCN = {
  login: {
    title: "Log in",
    heading: "Qingdan",
    subheading: "Checklists · Road chiefs · Pledges",
    tenant: "Bureau",
    tenantPlaceholder: "e.g. jtj (ask your administrator)",
    email: "Email",
    password: "Password",
    submit: "Log in",
    forgot: "Forgot password?",
    required: "Please enter {field}",
  },
};
