/**
 * Seeded, lazily generated DingTalk approval instances (备用金申请 / 费用报销).
 *
 * Why this exists: the 钉钉 → 金蝶 example needs realistic approvals — applicants and
 * departments that exist in the Kingdee sandbox, a TableField detail whose value is a JSON
 * string, a mix of statuses/results — generated from (seed, anchor, count, i) without storage.
 * Instance i belongs to template i mod T and starts at a time non-decreasing in i within the 90
 * days before the anchor, so listids windows map to index ranges.
 */
import type { LazyDataset } from "../common/lazy";
import { hash32, hexOf, intIn, pickOf, unit } from "../common/prng";
import { SANDBOX_DEPARTMENTS, SANDBOX_EMPLOYEES } from "../common/org";
import { compactCst, formatCst, formatCstDate } from "../common/time";

const DAY = 86_400_000;
export const SEED_SPAN_MS = 90 * DAY;

export interface ProcessTemplate {
  process_code: string;
  name: string;
  kind: "petty-cash" | "reimbursement";
}

export const PROCESS_TEMPLATES: readonly ProcessTemplate[] = [
  { process_code: "PROC-SQ-BYJ-7F3A2C1D-5B6E-4D8A-9C0F-2E4A6B8D0C1E", name: "备用金申请", kind: "petty-cash" },
  { process_code: "PROC-SQ-FYBX-3C5D7E9F-1A2B-4C6D-8E0F-9A7B5C3D1E2F", name: "费用报销", kind: "reimbursement" },
];

export interface GenParams {
  seed: number;
  anchorMs: number;
  size: number;
}

export function startTime(p: GenParams, i: number): number {
  const startSec = Math.floor((p.anchorMs - SEED_SPAN_MS) / 1000);
  return (startSec + Math.floor((i * (SEED_SPAN_MS / 1000)) / Math.max(1, p.size))) * 1000;
}

// CHOICE: process_instance_id is uuid-shaped (8-4-4-4-12 hex) and encodes the record index.
/** uuid-shaped id that encodes i in its last group (so get() needs no index). */
export function instanceId(seed: number, i: number): string {
  const h = hexOf(seed, i, 91, 20);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(12, 15)}-a${h.slice(15, 18)}-${i.toString(16).padStart(12, "0")}`;
}

export function indexOfInstanceId(seed: number, id: string): number {
  const m = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-([0-9a-f]{12})$/.exec(id);
  if (!m) return -1;
  const i = parseInt(m[1], 16);
  return instanceId(seed, i) === id ? i : -1;
}

const PETTY_REASONS = ["出差备用金", "展会现场备用金", "门店零星采购备用金", "客户接待备用金", "项目现场备用金", "办公用品采购备用金"];
const PETTY_ITEMS = ["差旅费", "交通费", "招待费", "办公费", "采购费", "会务费"];
const REIMB_REASONS = ["客户拜访差旅报销", "季度团建费用报销", "办公耗材报销", "培训费用报销"];

function amountText(cents: number): string {
  return (cents / 100).toFixed(2);
}

export type Instance = Record<string, unknown> & { create_time: string; originator_userid: string };

export interface Outcome {
  status: "COMPLETED" | "RUNNING" | "TERMINATED" | "CANCELED";
  result: "agree" | "refuse" | "";
}

export function outcomeOf(seed: number, i: number): Outcome {
  const u = unit(seed, i, 92);
  // CHOICE: ~75 % COMPLETED+agree, ~12 % COMPLETED+refuse, ~8 % RUNNING, ~3 % TERMINATED,
  // ~2 % CANCELED; result is "" unless COMPLETED.
  if (u < 0.75) return { status: "COMPLETED", result: "agree" };
  if (u < 0.87) return { status: "COMPLETED", result: "refuse" };
  if (u < 0.95) return { status: "RUNNING", result: "" };
  if (u < 0.98) return { status: "TERMINATED", result: "" };
  return { status: "CANCELED", result: "" };
}

export function approvalDataset(p: () => GenParams): LazyDataset<Instance> {
  return {
    size: () => p().size,
    gen(i) {
      const g = p();
      const t = startTime(g, i);
      const tpl = PROCESS_TEMPLATES[i % PROCESS_TEMPLATES.length];
      const emp = pickOf(SANDBOX_EMPLOYEES, g.seed, i, 93);
      const dept = SANDBOX_DEPARTMENTS[emp.dept];
      const approver = SANDBOX_EMPLOYEES[(emp.dept + 8) % SANDBOX_EMPLOYEES.length];
      const finance = SANDBOX_EMPLOYEES[0];
      const { status, result } = outcomeOf(g.seed, i);
      const finished = status !== "RUNNING";
      const finishAt = Math.min(t + intIn(g.seed, i, 94, 600, 48 * 3600) * 1000, g.anchorMs - 1000);
      const petty = tpl.kind === "petty-cash";
      const lines = intIn(g.seed, i, 95, 1, 3);
      const rows = [];
      let totalCents = 0;
      for (let l = 0; l < lines; l++) {
        const cents = intIn(g.seed, i, 96 + l, 5, 300) * 1000; // 50.00 … 3000.00, whole tens
        totalCents += cents;
        rows.push({
          rowValue: [
            { label: "费用类型", value: pickOf(PETTY_ITEMS, g.seed, i, 100 + l), key: "DDSelectField-K5FY01" },
            { label: "金额（元）", value: amountText(cents), key: "MoneyField-K5JE02" },
            { label: "说明", value: `${pickOf(PETTY_ITEMS, g.seed, i, 100 + l)}预估`, key: "TextField-K5SM03" },
          ],
        });
      }
      const reason = petty ? pickOf(PETTY_REASONS, g.seed, i, 104) : pickOf(REIMB_REASONS, g.seed, i, 104);
      const taskResult = result === "refuse" ? "REFUSE" : "AGREE";
      const operation_records: Record<string, unknown>[] = [
        { userid: emp.userid, date: formatCst(t), operation_type: "START_PROCESS_INSTANCE", operation_result: "NONE", remark: "", attachments: [] },
      ];
      const tasks: Record<string, unknown>[] = [];
      const taskid = 60_000_000_000 + i;
      if (finished && status === "COMPLETED") {
        operation_records.push({ userid: approver.userid, date: formatCst(finishAt), operation_type: "EXECUTE_TASK_NORMAL", operation_result: taskResult, remark: result === "refuse" ? "金额超出标准，请调整" : "同意", attachments: [] });
        tasks.push({ userid: approver.userid, task_status: "COMPLETED", task_result: taskResult, create_time: formatCst(t), finish_time: formatCst(finishAt), taskid: String(taskid), url: `https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?taskid=${taskid}` });
      } else if (status === "RUNNING") {
        tasks.push({ userid: approver.userid, task_status: "RUNNING", task_result: "NONE", create_time: formatCst(t), taskid: String(taskid), url: `https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?taskid=${taskid}` });
      } else {
        operation_records.push({ userid: emp.userid, date: formatCst(finishAt), operation_type: status === "TERMINATED" ? "TERMINATE_PROCESS_INSTANCE" : "CANCEL_PROCESS_INSTANCE", operation_result: "NONE", remark: "", attachments: [] });
        tasks.push({ userid: approver.userid, task_status: "CANCELED", task_result: "NONE", create_time: formatCst(t), finish_time: formatCst(finishAt), taskid: String(taskid), url: "" });
      }
      const repayDate = formatCstDate(t + intIn(g.seed, i, 105, 15, 60) * DAY);
      const form_component_values = [
        { name: "申请人", value: emp.name, ext_value: JSON.stringify([{ emplId: emp.userid, name: emp.name, avatar: "" }]), id: "InnerContactField-K5SQR0", component_type: "InnerContactField" },
        { name: "所属部门", value: dept.name, ext_value: JSON.stringify([{ id: dept.dingtalkDeptId, name: dept.name }]), id: "DepartmentField-K5BM01", component_type: "DepartmentField" },
        { name: petty ? "备用金金额" : "报销金额", value: amountText(totalCents), ext_value: "", id: "MoneyField-K5JE00", component_type: "MoneyField" },
        { name: petty ? "申请事由" : "报销事由", value: reason, ext_value: "", id: "TextareaField-K5SY00", component_type: "TextareaField" },
        ...(petty ? [{ name: "预计还款日期", value: repayDate, ext_value: "", id: "DDDateField-K5HK00", component_type: "DDDateField" }] : []),
        { name: petty ? "费用明细" : "报销明细", value: JSON.stringify(rows), ext_value: "", id: "TableField-K5MX00", component_type: "TableField" },
      ];
      const inst: Instance = {
        title: `${emp.name}提交的${tpl.name}`,
        create_time: formatCst(t),
        originator_userid: emp.userid,
        originator_dept_id: dept.dingtalkDeptId,
        originator_dept_name: dept.name,
        status,
        result,
        business_id: `${compactCst(t)}${String(hash32(g.seed, i, 106) % 1_000_000).padStart(6, "0")}`,
        approver_userids: [approver.userid],
        cc_userids: [finance.userid],
        biz_action: "NONE",
        form_component_values,
        operation_records,
        tasks,
        attached_process_instance_ids: [],
        main_process_instance_id: "",
      };
      // CHOICE: finish_time is absent (not "") while an instance is RUNNING.
      if (finished) inst.finish_time = formatCst(finishAt);
      return inst;
    },
    timeOf: (field, i) => (field === "create_time" ? startTime(p(), i) : undefined),
    indexOfCode: () => -1,
  };
}
