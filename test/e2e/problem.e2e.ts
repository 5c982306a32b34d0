import { describe, expect, it } from "vitest";
import { checkPage, watch } from "./support/browser.js";
import { journey } from "./support/journey.js";
import { bureau, signIn } from "./support/people.js";

const j = journey();

describe("吹哨报到 across three people", () => {
  it("the road chief blows the whistle on site, the handler acknowledges and resolves, the supervisor verifies and closes", async () => {
    const b = await bureau(j.app, "jw-whistle", "某市城乡建设局");
    const chief = await b.member("赵路长", "zhao@jw.example.cn", "secretary");
    const handler = await b.member("钱承办", "qian@jw.example.cn");
    const supervisor = await b.member("孙督办", "sun@jw.example.cn");
    const project = await b.call("POST", "/v1/projects", { name: "地铁3号线配套道路", kind: "metro_road", status: "under_construction", roadChiefId: chief.id, roadSection: "建设大道—解放路" }, b.admin);

    // 1. The road chief, on site: 项目 → the project → 吹哨, with the phone's position.
    const a = await signIn(j.browser, j.app.url, b.slug, chief.email, "/projects");
    await a.context.grantPermissions(["geolocation"]);
    await a.context.setGeolocation({ latitude: 30.5928, longitude: 114.3055, accuracy: 12 });
    const a$ = watch(a.page);
    await a.page.getByText("地铁3号线配套道路").tap();
    await a.page.waitForURL(`**/projects/${project.id}`);
    await a.page.getByText("赵路长").waitFor();
    await checkPage(a.page, "project");
    await a.page.locator(".project-buttons").getByRole("button", { name: "吹哨" }).tap();
    await a.page.waitForURL(`**/projects/${project.id}/problems/new`);
    await a.page.getByLabel("问题").fill("电信人孔井需抬升");
    await a.page.getByLabel("详细情况").fill("建设大道与解放路口东侧，人孔井低于路面约5厘米，雨天积水。");
    await a.page.getByLabel("责任单位").fill("市政公司、电信公司");
    await a.page.getByRole("button", { name: /承办人/ }).tap();
    await a.page.getByPlaceholder("姓名或拼音首字母").fill("qcb");
    await a.page.getByText("钱承办").tap();
    await a.page.getByRole("button", { name: /督办人/ }).tap();
    await a.page.getByPlaceholder("姓名或拼音首字母").fill("孙");
    await a.page.getByRole("dialog").getByText("孙督办").tap();
    await a.page.getByLabel("位置").fill("建设大道与解放路口东侧");
    await a.page.getByRole("button", { name: "获取当前位置" }).tap();
    await a.page.getByText("30.5928, 114.3055").waitFor();
    await checkPage(a.page, "problem-raise");
    await a.page.locator(".form-submit").getByRole("button").tap();
    await a.page.waitForURL(/\/problems\/iss_/);
    const problemId = new URL(a.page.url()).pathname.split("/").pop()!;
    await a.page.getByText("待签收").first().waitFor();
    await a.page.getByText(/剩 \d/).first().waitFor(); // the acknowledge clock counts down
    await checkPage(a.page, "problem-raised");

    // The position went into an inspection entry of the append-only log, which the problem names.
    const logs = await b.call("GET", `/v1/projects/${project.id}/logs`, undefined, chief.token);
    expect(logs.data[0]).toMatchObject({ kind: "inspection", location: { address: "建设大道与解放路口东侧", lat: 30.5928, lng: 114.3055 } });
    expect(logs.data[0].issueIds).toEqual([problemId]);

    // 2. The handler: 吹哨 tab → my problems → acknowledge, start, report resolved.
    const h = await signIn(j.browser, j.app.url, b.slug, handler.email, "/problems");
    const h$ = watch(h.page);
    await h.page.getByRole("tab", { name: "我承办" }).tap();
    await h.page.getByText("电信人孔井需抬升").waitFor();
    await checkPage(h.page, "problems");
    await h.page.getByText("电信人孔井需抬升").tap();
    await h.page.waitForURL(`**/problems/${problemId}`);
    for (const [button, status] of [["签收", "已签收"], ["开始办理", "办理中"]] as const) {
      await h.page.getByRole("button", { name: button, exact: true }).tap();
      await h.page.getByRole("dialog").getByRole("button", { name: "确定" }).tap();
      await h.page.locator(".problem-head").getByText(status).waitFor();
    }
    await h.page.getByRole("button", { name: "办结反馈" }).tap();
    await h.page.getByRole("dialog").getByLabel("怎么解决的").fill("已协调市政公司将人孔井抬升至路面齐平，并恢复沥青面层。");
    // A photo of the finished work, from the album (compressed on the phone, uploaded through /v1/files).
    const after = await h.page.screenshot({ type: "jpeg", quality: 80 });
    await h.page.getByRole("dialog").locator("input[type=file]").setInputFiles({ name: "IMG_0002.jpg", mimeType: "image/jpeg", buffer: after });
    await h.page.getByRole("dialog").locator(".photo-field img").first().waitFor();
    await checkPage(h.page, "problem-resolve");
    await h.page.getByRole("dialog").getByRole("button", { name: "确定" }).tap();
    await h.page.locator(".problem-head").getByText("待核验").waitFor();
    const resolvedPhoto = h.page.locator(".problem-history img").first();
    await resolvedPhoto.waitFor();
    await expect.poll(() => resolvedPhoto.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await expect.poll(() => h.page.getByRole("button", { name: "核验通过" }).count()).toBe(0); // not the handler's step
    await checkPage(h.page, "problem-resolved");

    // 3. The supervisor verifies and closes; the road chief's comment is there for all.
    await a.page.reload();
    await a.page.getByPlaceholder("写留言…").fill("辛苦了，雨后再看一次。");
    await a.page.getByRole("button", { name: "发送" }).tap();
    await a.page.getByText("辛苦了，雨后再看一次。").waitFor();

    const s = await signIn(j.browser, j.app.url, b.slug, supervisor.email, `/problems/${problemId}`);
    const s$ = watch(s.page);
    await s.page.getByText("辛苦了，雨后再看一次。").waitFor();
    await s.page.getByRole("button", { name: "核验通过" }).tap();
    await s.page.getByRole("dialog").getByRole("button", { name: "确定" }).tap();
    await s.page.locator(".problem-head").getByText("已核验").waitFor();
    await s.page.getByRole("button", { name: "办结归档" }).tap();
    await s.page.getByRole("dialog").getByRole("button", { name: "确定" }).tap();
    await s.page.locator(".problem-head").getByText("已办结").waitFor();
    await checkPage(s.page, "problem-closed");

    const closed = await b.call("GET", `/v1/issues/${problemId}`, undefined, b.admin);
    expect(closed.status).toBe("closed");
    expect(closed.history.map((e: { action: string; actorName: string }) => `${e.action} ${e.actorName}`)).toEqual(["raised 赵路长", "acknowledged 钱承办", "started 钱承办", "resolved 钱承办", "verified 孙督办", "closed 孙督办"]);
    expect(closed.history.map((e: { files: unknown[] }) => e.files.length)).toEqual([0, 0, 0, 1, 0, 0]);
    for (const w of [a$, h$, s$]) w.assertClean();
    for (const c of [a.context, h.context, s.context]) await c.close();
  }, 240_000);

  it("a service log with a photo and the phone's position; a correction keeps the first entry, marked", async () => {
    const b = await bureau(j.app, "jw-log", "某市城乡建设局");
    const chief = await b.member("赵路长", "zhao@jwlog.example.cn", "secretary");
    const project = await b.call("POST", "/v1/projects", { name: "东湖路快速化改造", kind: "expressway", status: "under_construction", roadChiefId: chief.id }, b.admin);
    const a = await signIn(j.browser, j.app.url, b.slug, chief.email, `/projects/${project.id}`);
    await a.context.grantPermissions(["geolocation"]);
    await a.context.setGeolocation({ latitude: 30.5531, longitude: 114.3712, accuracy: 8 });
    const a$ = watch(a.page);
    // A real JPEG, as a phone camera would hand over (the page compresses it before upload).
    const photo = await a.page.screenshot({ type: "jpeg", quality: 80 });

    await a.page.locator(".project-buttons").getByRole("button", { name: "写记录" }).tap();
    await a.page.waitForURL(`**/projects/${project.id}/logs/new`);
    await a.page.getByRole("radio", { name: "协调会" }).tap();
    await a.page.getByLabel("情况").fill("与施工单位、交管部门协调东湖路夜间施工时段，确定22点后停止高噪声作业。");
    await a.page.getByLabel("其他参加人员").fill("中铁某局项目部张经理、交管大队李队长");
    await a.page.getByRole("button", { name: "获取当前位置" }).tap();
    await a.page.getByText("30.5531, 114.3712").waitFor();
    await a.page.locator("input[type=file]").setInputFiles({ name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: photo });
    await a.page.locator(".photo-field img").first().waitFor();
    await checkPage(a.page, "log-form");
    await a.page.getByRole("button", { name: "保存记录" }).tap();
    await a.page.waitForURL(`**/projects/${project.id}`);
    await a.page.getByText("确定22点后停止高噪声作业").waitFor();
    // The photo was uploaded through /v1/files, attached to the entry, and shown by its signed URL.
    const img = a.page.locator(".log-entry img").first();
    await img.waitFor();
    await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);

    await a.page.getByRole("button", { name: "更正这条" }).tap();
    await a.page.waitForURL(/logs\/new\?corrects=log_/);
    await expect.poll(() => a.page.getByLabel("情况").inputValue()).toContain("22点后");
    await a.page.getByLabel("情况").fill("与施工单位、交管部门协调东湖路夜间施工时段，确定22点30分后停止高噪声作业。");
    await a.page.getByLabel("更正原因").fill("时间记错了");
    await a.page.getByRole("button", { name: "保存记录" }).tap();
    await a.page.waitForURL(`**/projects/${project.id}`);
    await a.page.getByText("22点30分后").waitFor();
    await a.page.getByText("已更正").waitFor();
    await checkPage(a.page, "project-log");

    const logs = await b.call("GET", `/v1/projects/${project.id}/logs`, undefined, chief.token);
    expect(logs.data.map((l: { current: boolean; correctionReason: string | null }) => [l.current, l.correctionReason])).toEqual([
      [true, "时间记错了"],
      [false, null],
    ]);
    expect(logs.data[1]).toMatchObject({ kind: "coordination_meeting", otherParticipants: ["中铁某局项目部张经理", "交管大队李队长"], location: { lat: 30.5531, lng: 114.3712 } });
    expect(logs.data[1].files).toHaveLength(1);
    expect(logs.data[1].files[0].size).toBeLessThan(photo.length * 2);

    // On site the signal drops mid-save: the server wrote the entry but its answer never reached the
    // phone. The log waits on the phone, listed on the project page; back online it is sent again
    // with the same Idempotency-Key, and the history holds it once.
    await a.page.locator(".project-buttons").getByRole("button", { name: "写记录" }).tap();
    await a.page.getByLabel("情况").fill("雨后复查东湖路人行道积水，排水口已疏通。");
    let posts = 0;
    await a.page.route(`**/v1/projects/${project.id}/logs`, async (route) => {
      if (route.request().method() !== "POST" || posts++ > 0) return route.continue();
      await route.fetch(); // reaches the server…
      await a.context.setOffline(true);
      await route.abort("internetdisconnected"); // …and the answer is lost
    });
    await a.page.getByRole("button", { name: "保存记录" }).tap();
    await a.page.waitForURL(`**/projects/${project.id}`);
    await a.page.locator(".waiting-write", { hasText: "雨后复查" }).getByText("等待发送").waitFor();
    await a.page.getByText("1 条记录等待网络").waitFor();
    await checkPage(a.page, "project-log-offline");
    await a.context.setOffline(false);
    await a.page.locator(".log-entry", { hasText: "排水口已疏通" }).waitFor();
    await expect.poll(() => a.page.locator(".waiting-write").count()).toBe(0);
    expect(posts).toBe(2);
    const after = await b.call("GET", `/v1/projects/${project.id}/logs`, undefined, chief.token);
    expect(after.data.filter((l: { summary: string }) => l.summary.includes("排水口已疏通"))).toHaveLength(1);
    a$.assertClean();
    await a.context.close();
  }, 180_000);
});
