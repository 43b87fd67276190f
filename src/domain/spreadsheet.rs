//! CSV that German Excel opens correctly: UTF-8 with a byte-order mark, semicolons, and no cell
//! that a spreadsheet would run as a formula.

use std::borrow::Cow;

/// Spreadsheets run a cell that starts with `=`, `+`, `-`, `@` or a control character as a
/// formula; text like that gets a leading apostrophe. Numbers stay numbers.
fn defuse_formula(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.replace(',', ".").parse::<f64>().is_err() {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The table as one CSV text.
pub fn excel_csv(
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<String, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row.iter().map(|cell| defuse_formula(cell).into_owned()))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(
            defuse_formula("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(defuse_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse_formula("-8,5"), "-8,5");
        assert_eq!(defuse_formula("Müller GmbH"), "Müller GmbH");
    }

    #[test]
    fn the_text_starts_with_a_byte_order_mark_and_uses_semicolons() {
        let text = excel_csv(&["a", "b"], [vec!["1".into(), "=x".into()]].into_iter()).unwrap();
        assert_eq!(text, "\u{feff}a;b\n1;'=x\n");
    }
}
