//! The label lists behind every categorical code, with the weights the generator draws
//! them with. A code is an index into one of these lists.

/// Event names; the index is the `event` code. The first six are the purchase funnel.
pub const EVENT_NAMES: &[&str] = &[
    "visit",
    "signup",
    "view_product",
    "add_to_cart",
    "begin_checkout",
    "purchase",
    "invite_sent",
    "referral_signup",
    "message_sent",
    "message_opened",
    "message_clicked",
];

/// Event codes (indexes into [`EVENT_NAMES`]).
pub(crate) mod ev {
    pub const VISIT: u8 = 0;
    pub const SIGNUP: u8 = 1;
    pub const VIEW_PRODUCT: u8 = 2;
    pub const ADD_TO_CART: u8 = 3;
    pub const BEGIN_CHECKOUT: u8 = 4;
    pub const PURCHASE: u8 = 5;
    pub const INVITE_SENT: u8 = 6;
    pub const REFERRAL_SIGNUP: u8 = 7;
    pub const MESSAGE_SENT: u8 = 8;
    pub const MESSAGE_OPENED: u8 = 9;
    pub const MESSAGE_CLICKED: u8 = 10;
}

/// Customer countries (ISO 3166 alpha-2). Most customers are Korean.
pub const COUNTRIES: &[&str] = &[
    "KR", "JP", "US", "TW", "SG", "VN", "DE", "GB", "FR", "TH", "CA", "AU", "HK",
];
/// Share of persons per country, aligned with [`COUNTRIES`].
pub(crate) const COUNTRY_WEIGHTS: &[f64] = &[
    54.0, 11.0, 8.0, 4.0, 3.0, 3.0, 3.0, 3.0, 2.0, 2.0, 2.5, 2.5, 2.0,
];
/// UTC offset in hours (standard time is enough here), aligned with [`COUNTRIES`].
pub(crate) const COUNTRY_UTC_OFFSET_H: &[i64] = &[9, 9, -6, 8, 8, 7, 1, 0, 1, 7, -5, 10, 8];
/// Code of Korea in [`COUNTRIES`].
pub(crate) const KR: u8 = 0;

/// How a customer was acquired (the `acquisition_channel` column).
pub const ACQUISITION_CHANNELS: &[&str] = &[
    "organic",
    "paid_search",
    "social",
    "paid_social",
    "referral",
    "affiliate",
    "email",
];
/// Acquisition channel codes.
pub(crate) mod acq {
    pub const ORGANIC: u8 = 0;
    pub const PAID_SEARCH: u8 = 1;
    pub const SOCIAL: u8 = 2;
    pub const PAID_SOCIAL: u8 = 3;
    pub const REFERRAL: u8 = 4;
    pub const AFFILIATE: u8 = 5;
    pub const EMAIL: u8 = 6;
}
/// Chance that a visitor from each acquisition channel ever signs up.
pub(crate) const SIGNUP_RATE: &[f64] = &[0.42, 0.36, 0.30, 0.27, 0.62, 0.33, 0.55];
/// Purchase propensity multiplier per acquisition channel.
pub(crate) const BUY_PROPENSITY: &[f64] = &[1.0, 1.05, 0.85, 0.8, 1.25, 0.9, 1.1];

/// Traffic sources of `visit` events (the `source` column).
pub const SOURCES: &[&str] = &[
    "direct",
    "naver",
    "google",
    "kakao",
    "instagram",
    "youtube",
    "facebook",
    "email",
    "sms",
    "push",
    "referral",
    "affiliate",
];
/// Source codes.
pub(crate) mod src {
    pub const DIRECT: u8 = 0;
    pub const NAVER: u8 = 1;
    pub const GOOGLE: u8 = 2;
    pub const KAKAO: u8 = 3;
    pub const INSTAGRAM: u8 = 4;
    pub const YOUTUBE: u8 = 5;
    pub const FACEBOOK: u8 = 6;
    pub const EMAIL: u8 = 7;
    pub const SMS: u8 = 8;
    pub const PUSH: u8 = 9;
    pub const REFERRAL: u8 = 10;
    pub const AFFILIATE: u8 = 11;
}
/// Source of a first visit from Korea, aligned with [`SOURCES`].
pub(crate) const FIRST_SOURCE_KR: &[f64] = &[
    12.0, 24.0, 12.0, 11.0, 12.0, 5.0, 2.0, 1.5, 0.0, 0.0, 8.0, 9.0,
];
/// Source of a first visit from elsewhere.
pub(crate) const FIRST_SOURCE_OTHER: &[f64] = &[
    14.0, 1.0, 34.0, 1.0, 16.0, 6.0, 7.0, 1.5, 0.0, 0.0, 8.0, 10.0,
];
/// Source of a returning visit not triggered by a message.
pub(crate) const RETURN_SOURCE_KR: &[f64] = &[
    42.0, 17.0, 9.0, 7.0, 6.0, 2.0, 1.0, 0.0, 0.0, 11.0, 0.0, 5.0,
];
/// Source of a returning visit from elsewhere.
pub(crate) const RETURN_SOURCE_OTHER: &[f64] = &[
    44.0, 0.5, 24.0, 0.5, 8.0, 2.0, 3.0, 0.0, 0.0, 11.0, 0.0, 7.0,
];

/// Messaging channels (the `channel` column of message events).
pub const MESSAGE_CHANNELS: &[&str] = &["email", "sms", "push", "kakao"];
/// Message channel codes.
pub(crate) mod msg {
    pub const EMAIL: u8 = 0;
    pub const SMS: u8 = 1;
    pub const PUSH: u8 = 2;
    pub const KAKAO: u8 = 3;
}
/// Open rate per message channel (of sent), aligned with [`MESSAGE_CHANNELS`].
pub(crate) const OPEN_RATE: &[f64] = &[0.24, 0.30, 0.13, 0.38];
/// Click rate among openers per message channel.
pub(crate) const CLICK_RATE: &[f64] = &[0.15, 0.11, 0.27, 0.12];
/// The visit source a click on each message channel produces.
pub(crate) const CLICK_SOURCE: &[u8] = &[src::EMAIL, src::SMS, src::PUSH, src::KAKAO];

/// Checkout experiment arms (the `variant` column).
pub const VARIANTS: &[&str] = &["control", "treatment"];

/// Order channels (the orders table's `channel` column).
pub const ORDER_CHANNELS: &[&str] = &["web", "app", "store"];
/// Order channel mix of customers who use the app.
pub(crate) const ORDER_CHANNEL_APP_USER: &[f64] = &[0.15, 0.82, 0.03];
/// Order channel mix of everyone else.
pub(crate) const ORDER_CHANNEL_WEB_USER: &[f64] = &[0.82, 0.06, 0.12];

/// Relative activity per local hour of day (evening peak).
pub(crate) const HOUR_WEIGHTS: [f64; 24] = [
    0.38, 0.22, 0.12, 0.08, 0.07, 0.10, 0.20, 0.34, 0.48, 0.58, 0.64, 0.70, 0.86, 0.78, 0.66, 0.65,
    0.69, 0.74, 0.80, 0.90, 1.00, 1.00, 0.90, 0.62,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_tables_line_up_with_their_labels() {
        assert_eq!(COUNTRY_WEIGHTS.len(), COUNTRIES.len());
        assert_eq!(COUNTRY_UTC_OFFSET_H.len(), COUNTRIES.len());
        assert_eq!(SIGNUP_RATE.len(), ACQUISITION_CHANNELS.len());
        assert_eq!(BUY_PROPENSITY.len(), ACQUISITION_CHANNELS.len());
        for w in [
            FIRST_SOURCE_KR,
            FIRST_SOURCE_OTHER,
            RETURN_SOURCE_KR,
            RETURN_SOURCE_OTHER,
        ] {
            assert_eq!(w.len(), SOURCES.len());
        }
        assert_eq!(OPEN_RATE.len(), MESSAGE_CHANNELS.len());
        assert_eq!(CLICK_RATE.len(), MESSAGE_CHANNELS.len());
        assert_eq!(CLICK_SOURCE.len(), MESSAGE_CHANNELS.len());
        assert_eq!(ORDER_CHANNEL_APP_USER.len(), ORDER_CHANNELS.len());
        assert_eq!(COUNTRIES[KR as usize], "KR");
        assert_eq!(EVENT_NAMES[ev::MESSAGE_CLICKED as usize], "message_clicked");
        assert_eq!(SOURCES[src::AFFILIATE as usize], "affiliate");
        assert_eq!(ACQUISITION_CHANNELS[acq::EMAIL as usize], "email");
        assert_eq!(MESSAGE_CHANNELS[msg::KAKAO as usize], "kakao");
        // Sources fit in the 4 bits the event packing gives them.
        assert!(SOURCES.len() <= 16 && EVENT_NAMES.len() <= 16);
    }
}
