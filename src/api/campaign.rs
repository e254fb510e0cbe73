//! The dataset's campaign and experiment methods: `campaigns`, `kpiTrend`, `experiment`.

use wasm_bindgen::prelude::*;

use super::convert::{options, to_js, to_js_error};
use super::dataset::DatasetHandle;
use crate::campaign::{self, CampaignOptions, ExperimentOptions, KpiTrendOptions};

#[wasm_bindgen]
impl DatasetHandle {
    /// KPIs per campaign, per breakdown value and in total.
    pub fn campaigns(&self, options_value: JsValue) -> Result<JsValue, JsValue> {
        let o: CampaignOptions = options("campaigns", options_value)?;
        to_js(&campaign::campaigns(&self.inner, &o).map_err(to_js_error)?)
    }

    /// One campaign KPI per period.
    #[wasm_bindgen(js_name = kpiTrend)]
    pub fn kpi_trend(&self, options_value: JsValue) -> Result<JsValue, JsValue> {
        let o: KpiTrendOptions = options("kpiTrend", options_value)?;
        to_js(&campaign::kpi_trend(&self.inner, &o).map_err(to_js_error)?)
    }

    /// An A/B test with variants, conversions and revenue read from the data.
    pub fn experiment(&self, options_value: JsValue) -> Result<JsValue, JsValue> {
        let o: ExperimentOptions = options("experiment", options_value)?;
        to_js(&campaign::experiment(&self.inner, &o).map_err(to_js_error)?)
    }
}
