/**
 * Seeded, lazily generated Guanyi datasets: shops, vips, items, trades.
 *
 * Why this exists: record i of each dataset is a pure function of (seed, anchor, size, i), so a
 * million shops cost no memory, and every date used by a window filter is non-decreasing in i
 * (spread over the year before the anchor instant) so windows map to index ranges.
 */
import type { LazyDataset } from "../common/lazy";
import { hash32, hexOf, intIn, pickOf, unit } from "../common/prng";
import { formatCst, formatCstDate } from "../common/time";

const DAY = 86_400_000;
const SPAN_MS = 365 * DAY;

const PLATFORMS = ["淘宝", "天猫", "京东", "拼多多", "抖音", "其他"] as const;
const BRANDS = ["优品", "悦家", "青禾", "云裳", "锦程", "木易", "星河", "橙意", "北辰", "南山", "知味", "素白"];
const CATS = ["家居", "服饰", "美妆", "食品", "数码", "母婴", "户外", "文具"];
const KINDS = ["旗舰店", "专营店", "专卖店", "官方店", "直营店"];
const CITIES = ["杭州", "上海", "广州", "深圳", "北京", "成都", "武汉", "南京", "苏州", "厦门"];
const SURNAMES = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"];
const GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "华", "慧"];
const LEVELS = ["普通会员", "银卡会员", "金卡会员", "钻石会员"];
const ITEM_NOUNS = ["保温杯", "T恤", "面霜", "坚果礼盒", "蓝牙耳机", "婴儿湿巾", "登山杖", "笔记本", "抱枕", "收纳盒"];
const UNITS = [
  ["PCS", "件"],
  ["BOX", "盒"],
  ["SET", "套"],
] as const;
const WAREHOUSES = [
  ["WH01", "杭州总仓"],
  ["WH02", "广州分仓"],
  ["WH03", "北京分仓"],
] as const;

export interface GenParams {
  seed: number;
  anchorMs: number;
  size: number;
}

// CHOICE: all Guanyi datetimes are Beijing time (UTC+8) `yyyy-MM-dd HH:mm:ss`; seeded dates
// spread over the 365 days before the anchor (simulator start unless config `anchor`).
/** Monotone base instant of record i: [anchor − 365 d, anchor), whole seconds. */
export function baseTime(p: GenParams, i: number): number {
  const startSec = Math.floor((p.anchorMs - SPAN_MS) / 1000);
  const spanSec = SPAN_MS / 1000;
  return (startSec + Math.floor((i * spanSec) / Math.max(1, p.size))) * 1000;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, "0");
}

function personName(seed: number, i: number, salt: number): string {
  return pickOf(SURNAMES, seed, i, salt) + pickOf(GIVEN, seed, i, salt + 1);
}

function mobile(seed: number, i: number, salt: number): string {
  return `1${pickOf(["3", "5", "7", "8", "9"], seed, i, salt)}${pad(hash32(seed, i, salt + 1) % 1_000_000_000, 9)}`;
}

function money(v: number): number {
  return Math.round(v * 100) / 100;
}

function codeIndex(code: string, prefix: string, width: number): number {
  if (!code.startsWith(prefix)) return -1;
  const digits = code.slice(prefix.length);
  if (!/^\d+$/.test(digits) || (digits.length !== width && !(digits.length > width && digits[0] !== "0"))) return -1;
  return Number(digits) - 1;
}

// ---------------------------------------------------------------- shops

export type Shop = {
  id: number;
  nick: string;
  code: string;
  name: string;
  create_date: string;
  modify_date: string;
  note: string;
  type_name: string;
};

export function shopCode(i: number): string {
  return `G${pad(i + 1, 6)}`;
}

export function shopName(seed: number, i: number): string {
  return `${pickOf(BRANDS, seed, i, 11)}${pickOf(CATS, seed, i, 12)}${pickOf(PLATFORMS, seed, i, 13)}${pickOf(KINDS, seed, i, 14)}`;
}

export function shopDataset(p: () => GenParams): LazyDataset<Shop> {
  return {
    size: () => p().size,
    gen(i) {
      const g = p();
      const t = baseTime(g, i);
      const name = shopName(g.seed, i);
      return {
        // CHOICE: shop `id` is a JSON number (as in the official sample), not a string.
        id: 55_370_000_000 + i,
        nick: `${name.slice(0, 4)}${pad(i + 1, 6)}`,
        code: shopCode(i),
        name,
        create_date: formatCst(t - intIn(g.seed, i, 15, 0, 400) * DAY),
        modify_date: formatCst(t),
        note: unit(g.seed, i, 16) < 0.2 ? `${pickOf(CITIES, g.seed, i, 17)}仓发货` : "",
        type_name: pickOf(PLATFORMS, g.seed, i, 13),
      };
    },
    timeOf: (field, i) => (field === "modify_date" ? baseTime(p(), i) : undefined),
    indexOfCode: (code) => codeIndex(code, "G", 6),
  };
}

// ---------------------------------------------------------------- vips

export type Vip = Record<string, unknown> & { code: string; created: string; modify_date: string };

const VIP_MODIFY_OFFSET = 3600_000;

export function vipDataset(p: () => GenParams, shops: () => GenParams): LazyDataset<Vip> {
  return {
    size: () => p().size,
    gen(i) {
      const g = p();
      const t = baseTime(g, i);
      const shopCount = Math.max(1, shops().size);
      const shopIdx = i % shopCount;
      const name = personName(g.seed, i, 21);
      const phone = mobile(g.seed, i, 23);
      const sex = hash32(g.seed, i, 24) % 2;
      return {
        created: formatCst(t),
        // CHOICE: vips also carry `modify_date` (= created + 1 h unless mutated) and accept
        // modify_start_date/modify_end_date like shops, for incremental customer syncs.
        modify_date: formatCst(t + VIP_MODIFY_OFFSET),
        code: `V${pad(i + 1, 7)}`,
        name,
        sex,
        qq: unit(g.seed, i, 25) < 0.5 ? String(10_000_000 + (hash32(g.seed, i, 26) % 900_000_000)) : "",
        ww: `${name}${pad(i % 10_000, 4)}`,
        email: unit(g.seed, i, 27) < 0.6 ? `vip${i + 1}@example.com` : "",
        realName: name,
        // CHOICE: vips carry `shop_code` too (vip i belongs to shop i mod shops), so the
        // shop_code filter is exact; `shop_name` is that shop's generated name.
        shop_code: shopCode(shopIdx),
        shop_name: shopName(shops().seed, shopIdx),
        level: pickOf(LEVELS, g.seed, i, 28),
        source: pickOf(PLATFORMS, g.seed, i, 29),
        birthday: formatCstDate(Date.UTC(1970, 0, 1) + intIn(g.seed, i, 30, 0, 12_000) * DAY),
        agent: unit(g.seed, i, 31) < 0.05,
        IdCard: "",
        receive_infos: [
          {
            receiver: name,
            phone,
            address: `${pickOf(CITIES, g.seed, i, 32)}市某区${intIn(g.seed, i, 33, 1, 999)}号`,
            area: pickOf(CITIES, g.seed, i, 32),
            tel: "",
          },
        ],
      };
    },
    timeOf(field, i) {
      if (field === "created") return baseTime(p(), i);
      if (field === "modify_date") return baseTime(p(), i) + VIP_MODIFY_OFFSET;
      return undefined;
    },
    indexOfCode: (code) => codeIndex(code, "V", 7),
  };
}

// ---------------------------------------------------------------- items

export type Item = Record<string, unknown> & { code: string; modify_date: string };

export function itemDataset(p: () => GenParams): LazyDataset<Item> {
  return {
    size: () => p().size,
    gen(i) {
      const g = p();
      const t = baseTime(g, i);
      const code = `SP${pad(i + 1, 6)}`;
      const noun = pickOf(ITEM_NOUNS, g.seed, i, 41);
      const name = `${pickOf(BRANDS, g.seed, i, 42)}${noun}`;
      const price = money(intIn(g.seed, i, 43, 990, 99_900) / 100);
      const cost = money(price * (0.4 + unit(g.seed, i, 44) * 0.3));
      const [unitCode, unitName] = pickOf(UNITS, g.seed, i, 45);
      const skuCount = intIn(g.seed, i, 46, 1, 3);
      const skus = [];
      for (let s = 0; s < skuCount; s++) {
        skus.push({
          id: 70_000_000_000 + i * 10 + s,
          code: `${code}-${s + 1}`,
          name: `${name} ${["标准款", "升级款", "礼盒款"][s]}`,
          note: "",
          order: s + 1,
          weight: money(0.2 + s * 0.1),
          volume: 0,
          sales_price: money(price + s * 10),
          purchase_price: cost,
          agent_price: money(price * 0.9),
          cost_price: cost,
          bar_code: `69${pad(hash32(g.seed, i, 47 + s) % 100_000_000_000, 11)}`,
          goods_id: 60_000_000_000 + i,
        });
      }
      return {
        id: 60_000_000_000 + i,
        create_date: formatCst(t - intIn(g.seed, i, 48, 0, 300) * DAY),
        modify_date: formatCst(t),
        code,
        name,
        note: "",
        weight: skus[0].weight,
        combine: false,
        del: false,
        length: 0,
        width: 0,
        height: 0,
        volume: 0,
        simple_name: noun,
        category_code: `C${pad(hash32(g.seed, i, 49) % CATS.length, 2)}`,
        category_name: pickOf(CATS, g.seed, i, 49),
        supplier_code: `GYS${pad(intIn(g.seed, i, 50, 1, 50), 3)}`,
        item_unit_code: unitCode,
        item_unit_name: unitName,
        package_point: 0,
        sales_point: 0,
        sales_price: price,
        purchase_price: cost,
        agent_price: money(price * 0.9),
        cost_price: cost,
        stock_status_code: "",
        pic_url: `https://img.example.com/items/${code}.jpg`,
        tax_no: "",
        tax_rate: 13,
        origin_area: pickOf(CITIES, g.seed, i, 51),
        supplier_outerid: "",
        shelf_life: 0,
        warning_days: 0,
        skus,
        combine_items: [],
        custom_attr: {},
        item_brand_id: 1000 + (hash32(g.seed, i, 42) % BRANDS.length),
        item_brand_code: `PP${pad(hash32(g.seed, i, 42) % BRANDS.length, 2)}`,
        item_brand_name: pickOf(BRANDS, g.seed, i, 42),
        bar_code: skus[0].bar_code,
        package_material: "",
      };
    },
    timeOf: (field, i) => (field === "modify_date" ? baseTime(p(), i) : undefined),
    indexOfCode: (code) => codeIndex(code, "SP", 6),
  };
}

// ---------------------------------------------------------------- trades

export type Trade = Record<string, unknown> & { code: string; modifytime: string };

/** date_type → field and its constant offset from the base instant (all monotone in i). */
export const TRADE_DATE_FIELDS = [
  { field: "createtime", offset: 0 },
  { field: "dealtime", offset: -120_000 },
  { field: "paytime", offset: 60_000 },
  { field: "modifytime", offset: 3_600_000 },
] as const;

export function tradeDataset(p: () => GenParams, shops: () => GenParams, vips: () => GenParams, items: () => GenParams): LazyDataset<Trade> {
  return {
    size: () => p().size,
    gen(i) {
      const g = p();
      const t = baseTime(g, i);
      const shopCount = Math.max(1, shops().size);
      const shopIdx = i % shopCount;
      const vipIdx = hash32(g.seed, i, 61) % Math.max(1, vips().size);
      const vipName = personName(vips().seed, vipIdx, 21);
      const [whCode, whName] = pickOf(WAREHOUSES, g.seed, i, 62);
      const lines = intIn(g.seed, i, 63, 1, 4);
      const details = [];
      let qty = 0;
      let amount = 0;
      for (let l = 0; l < lines; l++) {
        const itemIdx = hash32(g.seed, i, 64 + l) % Math.max(1, items().size);
        const price = money(intIn(g.seed, i, 70 + l, 990, 49_900) / 100);
        const q = intIn(g.seed, i, 75 + l, 1, 5);
        qty += q;
        amount += price * q;
        details.push({
          oid: `${i + 1}${l}`,
          item_code: `SP${pad(itemIdx + 1, 6)}`,
          sku_code: `SP${pad(itemIdx + 1, 6)}-1`,
          item_name: `${pickOf(BRANDS, items().seed, itemIdx, 42)}${pickOf(ITEM_NOUNS, items().seed, itemIdx, 41)}`,
          price,
          qty: q,
          amount: money(price * q),
          discount_fee: 0,
          refund: 0,
        });
      }
      amount = money(amount);
      const postFee = unit(g.seed, i, 80) < 0.7 ? 0 : 8;
      const ts = TRADE_DATE_FIELDS.map((d) => formatCst(t + d.offset));
      return {
        id: 80_000_000_000 + i,
        code: `SO${pad(i + 1, 8)}`,
        platform_code: `${hexOf(g.seed, i, 81, 4).toUpperCase()}${pad(i + 1, 10)}`,
        shop_code: shopCode(shopIdx),
        shop_name: shopName(shops().seed, shopIdx),
        vip_code: `V${pad(vipIdx + 1, 7)}`,
        vip_name: vipName,
        warehouse_code: whCode,
        warehouse_name: whName,
        express_code: pickOf(["SF", "ZTO", "YTO", "YUNDA", "JD"], g.seed, i, 82),
        createtime: ts[0],
        dealtime: ts[1],
        paytime: ts[2],
        modifytime: ts[3],
        approve: unit(g.seed, i, 83) < 0.8,
        cod: false,
        cancle: unit(g.seed, i, 84) < 0.03,
        qty,
        amount,
        payment: money(amount + postFee),
        post_fee: postFee,
        receiver_name: vipName,
        receiver_mobile: mobile(vips().seed, vipIdx, 23),
        receiver_address: `${pickOf(CITIES, g.seed, i, 85)}市某区${intIn(g.seed, i, 86, 1, 999)}号`,
        buyer_memo: "",
        seller_memo: "",
        details,
        payments: [{ pay_type_code: "zhifubao", pay_type_name: "支付宝", payment: money(amount + postFee), paytime: ts[2] }],
      };
    },
    timeOf(field, i) {
      const d = TRADE_DATE_FIELDS.find((x) => x.field === field);
      return d ? baseTime(p(), i) + d.offset : undefined;
    },
    indexOfCode: (code) => codeIndex(code, "SO", 8),
  };
}
