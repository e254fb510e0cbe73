//! The messaging calendar: seasonal campaigns, a monthly newsletter and quarterly
//! win-back sends, named like `spring_sale_2024`, each on one channel to a share of the
//! eligible customers.

use super::calendar::{DAY, HOUR};
use super::labels::msg;
use crate::time::{civil_from_days, days_from_civil};

/// Who a campaign may be sent to (on top of its audience share).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// Every opted-in customer.
    All,
    /// Opted-in customers without a visit in the last 60 days.
    Lapsed,
}

/// One planned send.
#[derive(Debug, Clone)]
pub(crate) struct Campaign {
    /// The campaign name, e.g. `black_friday_2024`.
    pub name: String,
    /// When the send starts (epoch ms); recipients get it within 30 minutes.
    pub send_ms: i64,
    /// Message channel code (see [`super::labels::MESSAGE_CHANNELS`]).
    pub channel: u8,
    /// Share of eligible customers who receive it.
    pub audience: f64,
    /// Eligibility rule.
    pub target: Target,
}

/// Most campaigns the event packing can address (9 bits).
pub(crate) const MAX_CAMPAIGNS: usize = 511;

/// (name, day of month, channel, audience share) per month, January first.
const SEASONAL: [&[(&str, u32, u8, f64)]; 12] = [
    &[
        ("new_year_sale", 2, msg::EMAIL, 0.55),
        ("winter_clearance", 20, msg::PUSH, 0.5),
    ],
    &[
        ("lunar_new_year", 3, msg::KAKAO, 0.5),
        ("valentines_day", 10, msg::PUSH, 0.45),
    ],
    &[
        ("white_day", 9, msg::KAKAO, 0.35),
        ("spring_sale", 16, msg::EMAIL, 0.6),
    ],
    &[("spring_new_arrivals", 11, msg::PUSH, 0.5)],
    &[
        ("family_month", 2, msg::KAKAO, 0.55),
        ("mid_year_coupon", 24, msg::SMS, 0.25),
    ],
    &[("summer_preview", 13, msg::EMAIL, 0.45)],
    &[
        ("summer_sale", 5, msg::EMAIL, 0.65),
        ("summer_flash_deal", 23, msg::PUSH, 0.45),
    ],
    &[("back_to_school", 17, msg::KAKAO, 0.4)],
    &[
        ("chuseok_gifts", 6, msg::KAKAO, 0.55),
        ("autumn_collection", 24, msg::EMAIL, 0.45),
    ],
    &[("halloween", 25, msg::PUSH, 0.4)],
    &[
        ("singles_day", 8, msg::PUSH, 0.5),
        ("black_friday", 22, msg::EMAIL, 0.7),
        ("cyber_monday", 28, msg::SMS, 0.3),
    ],
    &[
        ("christmas_gifts", 4, msg::EMAIL, 0.65),
        ("last_minute_gifts", 19, msg::KAKAO, 0.45),
        ("year_end_sale", 27, msg::PUSH, 0.45),
    ],
];

/// All campaigns sent in `[start, end)`, in send order (at most [`MAX_CAMPAIGNS`]).
pub(crate) fn plan(start: i64, end: i64) -> Vec<Campaign> {
    let mut out = Vec::new();
    let (mut year, mut month, _) = civil_from_days(start.div_euclid(DAY));
    // Sends go out at 10:00 KST (01:00 UTC).
    let at = |y: i64, m: u32, d: u32| days_from_civil(y, m, d) * DAY + HOUR;
    while at(year, month, 1) < end + DAY {
        let mut push = |name: String, day: u32, channel: u8, audience: f64, target: Target| {
            let send_ms = at(year, month, day);
            if send_ms >= start && send_ms < end {
                out.push(Campaign {
                    name,
                    send_ms,
                    channel,
                    audience,
                    target,
                });
            }
        };
        push(
            format!("newsletter_{year}_{month:02}"),
            1,
            msg::EMAIL,
            0.8,
            Target::All,
        );
        for &(name, day, channel, audience) in SEASONAL[month as usize - 1] {
            push(
                format!("{name}_{year}"),
                day,
                channel,
                audience,
                Target::All,
            );
        }
        if month % 3 == 2 {
            push(
                format!("winback_{year}_q{}", month / 3 + 1),
                15,
                msg::EMAIL,
                0.9,
                Target::Lapsed,
            );
        }
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    crate::sorting::sort_by_key(&mut out, &|c| c.send_ms);
    out.truncate(MAX_CAMPAIGNS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_has_a_few_dozen_named_campaigns_in_order() {
        let start = 1_704_067_200_000; // 2024-01-01
        let plan = plan(start, start + 366 * DAY);
        assert!((30..=45).contains(&plan.len()), "{}", plan.len());
        assert!(plan.windows(2).all(|w| w[0].send_ms <= w[1].send_ms));
        assert!(plan.iter().any(|c| c.name == "spring_sale_2024"));
        assert!(plan.iter().any(|c| c.name == "black_friday_2024"));
        assert!(plan.iter().any(|c| c.name == "winback_2024_q1"));
        assert!(plan.iter().any(|c| c.name == "newsletter_2024_12"));
        assert!(!plan.iter().any(|c| c.name.contains("2025")));
        let mut names: Vec<&str> = plan.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), plan.len());
    }

    #[test]
    fn ten_years_fit_the_code_space() {
        let start = 1_704_067_200_000;
        let plan = plan(start, start + 3650 * DAY);
        assert!(plan.len() > 300 && plan.len() <= MAX_CAMPAIGNS);
        // A period shorter than a month may have none.
        assert!(super::plan(start + 2 * DAY, start + 3 * DAY).is_empty());
    }
}
