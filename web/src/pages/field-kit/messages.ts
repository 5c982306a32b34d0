import type { Messages } from "../../area";

/** Words shared by the field areas (problems, projects, pledges): clocks, photos, people. */
export const zhCN: Messages = {
  span: { dh: "{d} 天 {h} 小时", hm: "{h} 小时 {m} 分", m: "{m} 分钟" },
  leftIn: "剩 {span}",
  overdueBy: "超时 {span}",
  doneInTime: "按时",
  doneLate: "超时完成",
  photos: { label: "照片", add: "拍照/相册", shrinking: "压缩中", tooBig: "照片太大", open: "查看第 {n} 张照片" },
  people: { search: "姓名或拼音首字母", none: "没有找到" },
  location: { label: "位置", get: "获取当前位置", getting: "定位中…", failed: "无法获取位置，请检查定位权限", accuracy: "精度约 {m} 米", address: "地点说明" },
  sending: "提交中…",
  queued: "暂无网络，已保存在手机上，恢复网络后自动提交",
  sent: "已提交",
  required: "请填写",
};

export const en: Messages = {
  span: { dh: "{d} d {h} h", hm: "{h} h {m} min", m: "{m} min" },
  leftIn: "{span} left",
  overdueBy: "{span} overdue",
  doneInTime: "on time",
  doneLate: "done late",
  photos: { label: "Photos", add: "Camera / album", shrinking: "Shrinking", tooBig: "Photo too large", open: "Open photo {n}" },
  people: { search: "Name or pinyin initials", none: "Nobody found" },
  location: { label: "Location", get: "Use my location", getting: "Locating…", failed: "No location: check the location permission", accuracy: "within about {m} m", address: "Place" },
  sending: "Sending…",
  queued: "No signal: saved on this phone, sent when back online",
  sent: "Sent",
  required: "Required",
};
