/**
 * The sandbox company shared by the DingTalk and Kingdee simulators.
 *
 * Why this exists: the 钉钉 备用金 → 金蝶 费用申请单 example only works end to end when the
 * departments and applicants seen in DingTalk approvals exist as BD_Department / BD_Empinfo
 * records in Kingdee. This fixed table is that mapping; both simulators publish it in
 * `/__sandbox/state` (`departments`, `employees`) so a scheme can map names → Kingdee numbers.
 */

export interface SandboxOrg {
  /** Kingdee internal org id (FOrgID) */
  id: number;
  /** Kingdee org number used in {"FNumber": "100"} references */
  number: string;
  name: string;
}

// CHOICE: Kingdee organisations: 100 (id 1, like a fresh K3Cloud account) and 101–103.
export const SANDBOX_ORGS: readonly SandboxOrg[] = [
  { id: 1, number: "100", name: "数桥集团" },
  { id: 100001, number: "101", name: "数桥华东有限公司" },
  { id: 100002, number: "102", name: "数桥华南有限公司" },
  { id: 100003, number: "103", name: "数桥电商有限公司" },
];

export interface SandboxDepartment {
  /** DingTalk `originator_dept_id` */
  dingtalkDeptId: string;
  /** name on both sides (DingTalk `originator_dept_name`, Kingdee FName) */
  name: string;
  /** Kingdee BD_Department FNumber (create/use org 100) */
  kingdeeNumber: string;
}

export const SANDBOX_DEPARTMENTS: readonly SandboxDepartment[] = [
  { dingtalkDeptId: "560101", name: "财务部", kingdeeNumber: "BM001" },
  { dingtalkDeptId: "560102", name: "销售部", kingdeeNumber: "BM002" },
  { dingtalkDeptId: "560103", name: "市场部", kingdeeNumber: "BM003" },
  { dingtalkDeptId: "560104", name: "研发部", kingdeeNumber: "BM004" },
  { dingtalkDeptId: "560105", name: "行政部", kingdeeNumber: "BM005" },
  { dingtalkDeptId: "560106", name: "人力资源部", kingdeeNumber: "BM006" },
  { dingtalkDeptId: "560107", name: "采购部", kingdeeNumber: "BM007" },
  { dingtalkDeptId: "560108", name: "客服部", kingdeeNumber: "BM008" },
];

export interface SandboxEmployee {
  /** DingTalk userid (`originator_userid`) */
  userid: string;
  name: string;
  /** index into SANDBOX_DEPARTMENTS */
  dept: number;
  /** Kingdee BD_Empinfo FNumber / FStaffNumber, used in {"FStaffNumber": "..."} */
  kingdeeStaffNumber: string;
}

const NAMES = [
  "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴军", "徐丽", "孙杰",
  "马超", "朱琳", "胡斌", "郭燕", "何涛", "高雪", "林峰", "罗丹", "郑凯", "梁晨", "谢欣", "宋佳",
];

export const SANDBOX_EMPLOYEES: readonly SandboxEmployee[] = NAMES.map((name, k) => ({
  userid: `user${String(k + 1).padStart(4, "0")}`,
  name,
  dept: k % SANDBOX_DEPARTMENTS.length,
  kingdeeStaffNumber: `YG${String(k + 1).padStart(4, "0")}`,
}));

/** The mapping as published in `/__sandbox/state`. */
export function sandboxOrgState(): Record<string, unknown> {
  return {
    organizations: SANDBOX_ORGS,
    departments: SANDBOX_DEPARTMENTS,
    employees: SANDBOX_EMPLOYEES.map((e) => ({
      userid: e.userid,
      name: e.name,
      deptName: SANDBOX_DEPARTMENTS[e.dept].name,
      dingtalkDeptId: SANDBOX_DEPARTMENTS[e.dept].dingtalkDeptId,
      kingdeeDeptNumber: SANDBOX_DEPARTMENTS[e.dept].kingdeeNumber,
      kingdeeStaffNumber: e.kingdeeStaffNumber,
    })),
  };
}
