export type Lang = "zh-CN" | "en";

/** zh-CN unless the client prefers English; bureaus work in Chinese. */
export function pickLang(acceptLanguage: string | undefined | null): Lang {
  if (!acceptLanguage) return "zh-CN";
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith("zh")) return "zh-CN";
    if (tag.startsWith("en")) return "en";
  }
  return "zh-CN";
}

type Catalog = Record<string, { "zh-CN": string; en: string }>;

/** Problem titles by stable code. Details may add specifics; the code never changes. */
export const problemTitles = {
  "validation.failed": { "zh-CN": "请求参数不正确", en: "The request is invalid" },
  "request.malformed_json": { "zh-CN": "请求体不是有效的 JSON", en: "The request body is not valid JSON" },
  "request.too_large": { "zh-CN": "请求体过大", en: "The request body is too large" },
  "request.unsupported_media_type": { "zh-CN": "请求体须为 application/json", en: "The request body must be application/json" },
  "request.cross_site": { "zh-CN": "拒绝来自其他网站的写操作", en: "Writes from another site are refused" },
  "route.not_found": { "zh-CN": "接口不存在", en: "No such route" },
  "route.method_not_allowed": { "zh-CN": "不支持该请求方法", en: "Method not allowed" },
  "auth.unauthenticated": { "zh-CN": "需要登录", en: "Authentication required" },
  "auth.invalid_token": { "zh-CN": "令牌无效或已过期", en: "The token is invalid or expired" },
  "auth.invalid_credentials": { "zh-CN": "单位、账号（邮箱或手机号）或密码不正确", en: "Tenant, email or phone, or password is incorrect" },
  "auth.refresh_reused": { "zh-CN": "刷新令牌已被使用，该会话已注销", en: "The refresh token was already used; the session has been revoked" },
  "auth.reset_invalid": { "zh-CN": "重置链接无效、已使用或已过期", en: "The reset link is invalid, used or expired" },
  "auth.wrong_password": { "zh-CN": "当前密码不正确", en: "The current password is incorrect" },
  "auth.forbidden": { "zh-CN": "没有权限执行该操作", en: "You are not allowed to do this" },
  "auth.member_inactive": { "zh-CN": "该账号已停用", en: "This account is disabled" },
  "issue.handler_cannot_verify": { "zh-CN": "承办人不能验收或关闭自己办理的问题", en: "The handler cannot verify or close a problem they handled" },
  "tenant.confirmation_invalid": { "zh-CN": "确认链接无效、已使用或已过期", en: "The confirmation link is invalid, used or expired" },
  "tenant.already_confirmed": { "zh-CN": "该单位的注册邮箱已确认", en: "This bureau's signup email is already confirmed" },
  "tenant.unconfirmed": { "zh-CN": "请先确认注册邮箱，再邀请成员", en: "Confirm the signup email before inviting anyone" },
  "auth.throttled": { "zh-CN": "尝试次数过多，请稍后再试", en: "Too many attempts; try again later" },
  "auth.busy": { "zh-CN": "登录请求过多，请稍后再试", en: "Too many sign-ins at once; try again shortly" },
  "auth.session_ended": { "zh-CN": "登录状态已失效（账号、角色或密码已变更），请重新登录", en: "The session has ended (the account, role or password changed); log in again" },
  "tenant.slug_taken": { "zh-CN": "该单位标识已被使用", en: "This tenant slug is taken" },
  "tenant.not_found": { "zh-CN": "单位不存在", en: "Tenant not found" },
  "tenant.inactive": { "zh-CN": "该单位当前不可用", en: "This tenant is not active" },
  "tenant.provisioning_failed": { "zh-CN": "单位数据库创建失败，请稍后重试", en: "Creating the tenant database failed; try again later" },
  "member.not_found": { "zh-CN": "成员不存在", en: "Member not found" },
  "member.email_taken": { "zh-CN": "该邮箱已是本单位成员", en: "This email already belongs to a member" },
  "member.phone_taken": { "zh-CN": "该手机号已是本单位成员", en: "This phone number already belongs to a member" },
  "member.last_admin": { "zh-CN": "不能停用或降级最后一位管理员", en: "The last admin cannot be disabled or demoted" },
  "branch.not_found": { "zh-CN": "组织不存在", en: "Branch not found" },
  "branch.not_empty": { "zh-CN": "该组织下仍有下级组织或成员", en: "The branch still has child branches or members" },
  "branch.in_use": { "zh-CN": "该组织仍有清单、任务、项目联建或承诺记录，不能删除", en: "Checklists, tasks, projects or pledges still refer to this branch" },
  "branch.cycle": { "zh-CN": "不能把组织移到其自身或下级之下", en: "A branch cannot move under itself or its descendants" },
  "invitation.invalid": { "zh-CN": "邀请链接无效、已使用或已过期", en: "The invitation is invalid, used or expired" },
  "api_token.not_found": { "zh-CN": "API 令牌不存在", en: "API token not found" },
  "idempotency.key_reused": { "zh-CN": "该幂等键已用于另一请求", en: "This Idempotency-Key was used for a different request" },
  "checklist.not_found": { "zh-CN": "清单不存在", en: "Checklist not found" },
  "checklist_item.not_found": { "zh-CN": "清单事项不存在", en: "Checklist item not found" },
  "checklist.not_draft": { "zh-CN": "清单已发布，不能删除", en: "The checklist is published and cannot be deleted" },
  "checklist.already_published": { "zh-CN": "清单已发布", en: "The checklist is already published" },
  "checklist.archived": { "zh-CN": "清单已归档", en: "The checklist is archived" },
  "checklist.bad_recurrence": { "zh-CN": "重复规则无效", en: "The recurrence rule is invalid" },
  "calendar_day.not_found": { "zh-CN": "本单位没有设置这一天", en: "This bureau has not set its own arrangement for that day" },
  "calendar_feed.not_found": { "zh-CN": "日历订阅地址无效，或已被关闭、更换", en: "No such calendar feed: the link is invalid, turned off or replaced" },
  "task.not_found": { "zh-CN": "任务不存在", en: "Task not found" },
  "task.too_many_records": { "zh-CN": "该任务的记录已达上限", en: "This task has as many records as it may hold" },
  "task.closed": { "zh-CN": "任务已提交或已完成，不能再修改", en: "The task is submitted or done and cannot change" },
  "task.below_minimum": { "zh-CN": "完成次数未达到最低要求", en: "Fewer records than the minimum count" },
  "task.evidence_missing": { "zh-CN": "该任务须上传佐证材料", en: "This task needs evidence (an attachment)" },
  "task.not_submitted": { "zh-CN": "任务未处于待审核状态", en: "The task is not awaiting review" },
  "task.reviewer_is_doer": { "zh-CN": "不能审核自己参与完成的任务", en: "A doer cannot review their own task" },
  "report.bad_period": { "zh-CN": "统计周期格式不正确", en: "The period is invalid" },
  "project.not_found": { "zh-CN": "项目不存在", en: "Project not found" },
  "project.not_empty": { "zh-CN": "项目已有服务日志或问题，不能删除", en: "The project has service logs or problems and cannot be deleted" },
  "log.not_found": { "zh-CN": "服务日志不存在", en: "Service log not found" },
  "log.already_corrected": { "zh-CN": "该日志已被更正，请更正最新的一条", en: "This log entry was already corrected; correct the latest entry" },
  "log.append_only": { "zh-CN": "服务日志只能追加，不能修改或删除；请新增一条更正记录", en: "Service logs are append-only; post a correction that points at the entry" },
  "issue.not_found": { "zh-CN": "问题不存在", en: "Problem not found" },
  "issue.invalid_transition": { "zh-CN": "问题当前状态不允许该操作", en: "The problem's status does not allow this step" },
  "issue.changed": { "zh-CN": "问题已被他人更新，请刷新后重试", en: "Someone else changed the problem; reload and try again" },
  "issue.closed": { "zh-CN": "问题已关闭，不能修改", en: "The problem is closed and cannot change" },
  "pledge.not_found": { "zh-CN": "承诺不存在", en: "Pledge not found" },
  "pledge.under_review": { "zh-CN": "该承诺有版本正在审核，请等待审核或先撤回", en: "A version of this pledge is under review; wait for the review or withdraw it" },
  "pledge.invalid_transition": { "zh-CN": "承诺当前状态不允许该操作", en: "The pledge's status does not allow this step" },
  "pledge.incomplete": { "zh-CN": "提交前请至少设定一个可衡量的目标", en: "Add at least one measurable target before submitting" },
  "pledge.not_approved": { "zh-CN": "承诺尚未审核通过", en: "The pledge has not been approved yet" },
  "pledge.closed": { "zh-CN": "承诺已结项，不能再修改", en: "The pledge is closed and cannot change" },
  "pledge.not_deletable": { "zh-CN": "已审核通过的承诺不能删除", en: "An approved pledge cannot be deleted" },
  "pledge.own_pledge": { "zh-CN": "不能审核或评价自己的承诺", en: "You cannot review or rate your own pledge" },
  "pledge.not_peer": { "zh-CN": "只有同一支部的党员可以互评", en: "Only members of the same branch can give a peer rating" },
  "pledge.already_evaluated": { "zh-CN": "您已评价过该承诺", en: "You have already evaluated this pledge" },
  "pledge.ratings_closed": { "zh-CN": "本单位未开放群众评价", en: "This bureau does not take public ratings" },
  "pledge.rate_limited": { "zh-CN": "评价过于频繁，请稍后再试", en: "Too many ratings; try again later" },
  "public_board.not_found": { "zh-CN": "该单位没有公开的承诺公示栏", en: "This bureau has no public pledge board" },
  "file.not_found": { "zh-CN": "文件不存在", en: "No such file" },
  "file.unsupported_type": { "zh-CN": "仅支持 JPEG、PNG、WebP、HEIC 照片和 PDF、Word、Excel 文档", en: "Only JPEG, PNG, WebP and HEIC photos and PDF, Word and Excel documents are accepted" },
  "file.too_large": { "zh-CN": "文件过大", en: "The file is too large" },
  "file.empty": { "zh-CN": "文件为空", en: "The file is empty" },
  "file.malformed_multipart": { "zh-CN": "multipart 请求体格式不正确", en: "The multipart body is malformed" },
  "file.quota_exceeded": { "zh-CN": "本单位的文件存储空间已满", en: "The bureau's file storage is full" },
  "file.link_expired": { "zh-CN": "文件链接已过期，请刷新页面", en: "The file link has expired; reload the page" },
  "file.link_invalid": { "zh-CN": "文件链接无效", en: "The file link is not valid" },
  "internal": { "zh-CN": "服务器内部错误", en: "Internal server error" },
} satisfies Catalog;

export type ProblemCode = keyof typeof problemTitles;
