/**
 * Number, money, percent, date and duration formats of the current language. Dates are
 * shown in UTC, as the engine's periods are computed in UTC.
 */
export type Language = "en" | "ko";
export type Currency = "USD" | "KRW";

const LOCALES: Record<Language, string> = { en: "en-US", ko: "ko-KR" };

export interface Formats {
  locale: string;
  currency: Currency;
  int(n: number | null | undefined): string;
  num(n: number | null | undefined, digits?: number): string;
  pct(r: number | null | undefined, digits?: number): string;
  money(x: number | null | undefined): string;
  /** Compact money for axes: $30K, ₩3만. */
  moneyShort(x: number): string;
  date(ms: number | null | undefined): string;
  month(ms: number): string;
  period(ms: number, period: "day" | "week" | "month"): string;
  duration(ms: number | null | undefined): string;
  bytes(n: number): string;
}

const DASH = "–";

export function formats(language: Language, currency: Currency): Formats {
  const locale = LOCALES[language];
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const money = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    maximumFractionDigits: currency === "KRW" ? 0 : 2,
    minimumFractionDigits: currency === "KRW" ? 0 : 2,
  });
  const moneyShort = new Intl.NumberFormat(locale, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" });
  const month = new Intl.DateTimeFormat(locale, { timeZone: "UTC", year: "numeric", month: "short" });
  const numCache = new Map<number, Intl.NumberFormat>();
  const pctCache = new Map<number, Intl.NumberFormat>();
  const num = (digits: number) => {
    let f = numCache.get(digits);
    if (!f) numCache.set(digits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 })));
    return f;
  };
  const pct = (digits: number) => {
    let f = pctCache.get(digits);
    if (!f) {
      f = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits, minimumFractionDigits: digits });
      pctCache.set(digits, f);
    }
    return f;
  };
  const ok = (n: number | null | undefined): n is number => typeof n === "number" && Number.isFinite(n);
  const units: [number, Record<Language, string>][] = [
    [86_400_000, { en: "d", ko: "일" }],
    [3_600_000, { en: "h", ko: "시간" }],
    [60_000, { en: "min", ko: "분" }],
    [1000, { en: "s", ko: "초" }],
  ];
  return {
    locale,
    currency,
    int: (n) => (ok(n) ? int.format(n) : DASH),
    num: (n, digits = 2) => (ok(n) ? num(digits).format(n) : DASH),
    pct: (r, digits = 1) => (ok(r) ? pct(digits).format(r) : DASH),
    money: (x) => (ok(x) ? money.format(x) : DASH),
    moneyShort: (x) => moneyShort.format(x),
    date: (ms) => (ok(ms) ? date.format(ms) : DASH),
    month: (ms) => month.format(ms),
    period: (ms, period) => (period === "month" ? month.format(ms) : date.format(ms)),
    duration: (ms) => {
      if (!ok(ms)) return DASH;
      for (const [size, unit] of units) {
        if (Math.abs(ms) >= size) return `${num(1).format(ms / size)} ${unit[language]}`;
      }
      return `${int.format(ms)} ms`;
    },
    bytes: (n) => `${num(1).format(n / 1048576)} MB`,
  };
}
