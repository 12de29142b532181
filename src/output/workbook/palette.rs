//! The workbook's colours, one place for every sheet that colours a status or a severity (and
//! the cover's legend that explains them): a light fill with a dark text colour of one hue.

/// A colour pair: the cell fill and the text drawn on it (RGB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Swatch {
    /// Cell background.
    pub fill: u32,
    /// Text on that background.
    pub font: u32,
}

/// PASS: green.
pub const PASS: Swatch = Swatch {
    fill: 0xC8E6C9,
    font: 0x1B5E20,
};
/// FAIL: red.
pub const FAIL: Swatch = Swatch {
    fill: 0xFFCDD2,
    font: 0xB71C1C,
};
/// PARTIAL: orange.
pub const PARTIAL: Swatch = Swatch {
    fill: 0xFFE0B2,
    font: 0xE65100,
};
/// MANUAL: blue (a procedure still to perform).
pub const MANUAL: Swatch = Swatch {
    fill: 0xBBDEFB,
    font: 0x0D47A1,
};
/// NOT_DETERMINABLE: grey (a scope limitation).
pub const NOT_DETERMINABLE: Swatch = Swatch {
    fill: 0xE0E0E0,
    font: 0x424242,
};

/// Each status as written in results, with its colours.
pub const STATUS: [(&str, Swatch); 5] = [
    ("PASS", PASS),
    ("FAIL", FAIL),
    ("PARTIAL", PARTIAL),
    ("MANUAL", MANUAL),
    ("NOT_DETERMINABLE", NOT_DETERMINABLE),
];

/// Severity critical: dark red, white text.
pub const CRITICAL: Swatch = Swatch {
    fill: 0xB71C1C,
    font: 0xFFFFFF,
};
/// Severity high: red.
pub const HIGH: Swatch = Swatch {
    fill: 0xFFCDD2,
    font: 0xB71C1C,
};
/// Severity medium: amber.
pub const MEDIUM: Swatch = Swatch {
    fill: 0xFFECB3,
    font: 0x8D6E00,
};
/// Severity low: pale blue.
pub const LOW: Swatch = Swatch {
    fill: 0xE3F2FD,
    font: 0x0D47A1,
};

/// Each severity as written in results, most severe first, with its colours.
pub const SEVERITY: [(&str, Swatch); 4] = [
    ("critical", CRITICAL),
    ("high", HIGH),
    ("medium", MEDIUM),
    ("low", LOW),
];
