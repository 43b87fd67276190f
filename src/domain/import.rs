//! CSV import of actors and connections: reading the file (comma or semicolon, with or without a
//! UTF-8 byte-order mark, German or English column names) and checking every row, so a dry run
//! can list every bad row with its line and reason before anything is written.

use super::actor_input::{ActorInput, ActorRecord, ActorRules, ConnectionInput, ConnectionRecord};
use super::validation::Problem;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// More rows than this belong in several files; it keeps one request and one transaction small.
pub const MAX_ROWS: usize = 10_000;

crate::domain::coded::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum ImportKind {
        Actors = "akteure",
        Connections = "verbindungen",
    }
}

/// One problem of one row; line numbers count the header as line 1, as spreadsheets do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub line: u32,
    pub field: String,
    /// The field's column as the file names it (or, when it is missing, its German name), for
    /// the report people read next to their spreadsheet.
    #[serde(default)]
    pub column: String,
    pub problem: Problem,
}

/// Column names per field: German (as exported) first, then English (as in `demo/`).
const ACTOR_COLUMNS: [(&str, &[&str]); 15] = [
    ("name", &["name"]),
    ("kind", &["art", "kind"]),
    ("town", &["ort", "town"]),
    ("lat", &["breite", "lat"]),
    ("lon", &["laenge", "länge", "lon"]),
    (
        "founded_year",
        &["gruendungsjahr", "gründungsjahr", "founded_year"],
    ),
    ("size_band", &["beschaeftigte", "beschäftigte", "size_band"]),
    ("sectors", &["branchen", "sectors"]),
    ("technologies", &["technologien", "technologies"]),
    ("website", &["website"]),
    ("description", &["beschreibung", "description"]),
    ("is_public", &["oeffentlich", "öffentlich", "public"]),
    ("logo_url", &["logo", "logo_url"]),
    ("contact_email", &["kontakt", "contact_email"]),
    ("contact_public", &["kontakt_oeffentlich", "contact_public"]),
];
const ACTOR_REQUIRED: [&str; 5] = ["name", "kind", "town", "lat", "lon"];

const CONNECTION_COLUMNS: [(&str, &[&str]); 7] = [
    ("source", &["von", "source"]),
    ("target", &["zu", "target"]),
    ("kind", &["art", "kind"]),
    ("started_on", &["beginn", "started_on"]),
    ("ended_on", &["ende", "ended_on"]),
    ("origin", &["herkunft", "origin"]),
    ("note", &["notiz", "note"]),
];
const CONNECTION_REQUIRED: [&str; 4] = ["source", "target", "kind", "started_on"];

/// A file read into rows of named cells.
struct Table {
    rows: Vec<(u32, HashMap<&'static str, String>)>,
    /// Each field's column header as written in the file.
    headers: HashMap<&'static str, String>,
}

/// Names each problem's column: as the file wrote it, else the column's German name.
fn name_columns(
    mut problems: Vec<RowProblem>,
    headers: &HashMap<&'static str, String>,
    columns: &[(&'static str, &[&str])],
) -> Vec<RowProblem> {
    for problem in &mut problems {
        problem.column = headers
            .get(problem.field.as_str())
            .cloned()
            .or_else(|| {
                columns
                    .iter()
                    .find(|(field, _)| *field == problem.field)
                    .map(|(_, names)| names[0].to_owned())
            })
            .unwrap_or_default();
    }
    problems
}

fn read_table(
    text: &str,
    columns: &[(&'static str, &[&str])],
    required: &[&str],
) -> Result<Table, RowProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = if header_line.matches(';').count() >= header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let file_problem = |field: &str, problem| RowProblem {
        line: 1,
        field: field.to_owned(),
        column: String::new(),
        problem,
    };
    let headers = reader
        .headers()
        .map_err(|_| file_problem("", Problem::Unreadable))?
        .clone();
    let mut positions: Vec<(&'static str, usize)> = Vec::new();
    for (field, names) in columns {
        if let Some(index) = headers
            .iter()
            .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
        {
            positions.push((field, index));
        }
    }
    if let Some(missing) = required
        .iter()
        .find(|field| !positions.iter().any(|(f, _)| f == *field))
    {
        return Err(file_problem(missing, Problem::ColumnMissing));
    }
    // The reader reports a record after blank lines at the first blank line; spreadsheets count
    // from the record's own line.
    let line_at = |byte: u64| {
        let bytes = text.as_bytes();
        let mut start = (byte as usize).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
            start += 1;
        }
        1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u32
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| RowProblem {
            line: e.position().map_or(0, |p| line_at(p.byte())),
            field: String::new(),
            column: String::new(),
            problem: Problem::Unreadable,
        })?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(file_problem("", Problem::FileTooLarge { max: MAX_ROWS }));
        }
        let cells = positions
            .iter()
            .map(|&(field, index)| (field, record.get(index).unwrap_or_default().to_owned()))
            .collect();
        rows.push((line, cells));
    }
    if rows.is_empty() {
        return Err(file_problem("", Problem::NothingToImport));
    }
    let headers = positions
        .iter()
        .map(|&(field, index)| {
            (
                field,
                headers.get(index).unwrap_or_default().trim().to_owned(),
            )
        })
        .collect();
    Ok(Table { rows, headers })
}

fn list(cell: Option<&String>) -> Vec<String> {
    cell.map(|c| {
        c.split([',', ';', '|'])
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// Checked rows, or every problem found.
pub type Checked<T> = Result<Vec<(u32, T)>, Vec<RowProblem>>;

fn collect<T>(rows: Vec<(u32, Result<T, Vec<RowProblem>>)>) -> Checked<T> {
    let mut good = Vec::new();
    let mut problems = Vec::new();
    for (line, row) in rows {
        match row {
            Ok(record) => good.push((line, record)),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(good)
    } else {
        Err(problems)
    }
}

/// Reads and checks an actor file. `exists` answers whether an actor with this name and town is
/// already in the database; duplicates within the file are found here.
pub fn check_actors(
    text: &str,
    rules: &ActorRules,
    exists: impl Fn(&str, &str) -> bool,
) -> Checked<ActorRecord> {
    let table = read_table(text, &ACTOR_COLUMNS, &ACTOR_REQUIRED)
        .map_err(|p| name_columns(vec![p], &HashMap::new(), &ACTOR_COLUMNS))?;
    let headers = table.headers;
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let rows = table
        .rows
        .into_iter()
        .map(|(line, cells)| {
            let cell = |field: &str| cells.get(field).cloned().unwrap_or_default();
            let input = ActorInput {
                name: cell("name"),
                kind: cell("kind"),
                town: cell("town"),
                lat: cell("lat"),
                lon: cell("lon"),
                website: cell("website"),
                description: cell("description"),
                founded_year: cell("founded_year"),
                size_band: cell("size_band"),
                sectors: list(cells.get("sectors")),
                technologies: list(cells.get("technologies")),
                logo_url: cell("logo_url"),
                contact_email: cell("contact_email"),
                is_public: cells.get("is_public").cloned(),
                contact_public: cells.get("contact_public").cloned(),
            };
            let row_problem = |field: &str, problem| RowProblem {
                line,
                field: field.to_owned(),
                column: String::new(),
                problem,
            };
            let result = input
                .validate(rules)
                .map_err(|problems| {
                    problems
                        .into_iter()
                        .map(|p| row_problem(p.field, p.problem))
                        .collect()
                })
                .and_then(|record| {
                    let key = (record.name.to_lowercase(), record.town.to_lowercase());
                    if exists(&record.name, &record.town) || !seen.insert(key) {
                        Err(vec![row_problem("name", Problem::DuplicateActor)])
                    } else {
                        Ok(record)
                    }
                });
            (line, result)
        })
        .collect();
    collect(rows).map_err(|problems| name_columns(problems, &headers, &ACTOR_COLUMNS))
}

/// Reads and checks a connection file. `actor_exists` answers for a slug, `connection_exists`
/// for (source, target, kind code) in either direction.
pub fn check_connections(
    text: &str,
    actor_exists: impl Fn(&str) -> bool,
    connection_exists: impl Fn(&str, &str, &str) -> bool,
) -> Checked<ConnectionRecord> {
    let table = read_table(text, &CONNECTION_COLUMNS, &CONNECTION_REQUIRED)
        .map_err(|p| name_columns(vec![p], &HashMap::new(), &CONNECTION_COLUMNS))?;
    let headers = table.headers;
    let mut seen: HashSet<(String, String, &'static str)> = HashSet::new();
    let rows = table
        .rows
        .into_iter()
        .map(|(line, cells)| {
            let cell = |field: &str| cells.get(field).cloned().unwrap_or_default();
            let input = ConnectionInput {
                source: cell("source"),
                target: cell("target"),
                kind: cell("kind"),
                started_on: cell("started_on"),
                ended_on: cell("ended_on"),
                origin: cell("origin"),
                note: cell("note"),
            };
            let row_problem = |field: &str, problem| RowProblem {
                line,
                field: field.to_owned(),
                column: String::new(),
                problem,
            };
            let result = input
                .validate()
                .map_err(|problems| {
                    problems
                        .into_iter()
                        .map(|p| row_problem(p.field, p.problem))
                        .collect::<Vec<_>>()
                })
                .and_then(|record| {
                    let mut problems = Vec::new();
                    for (field, slug) in [("source", &record.source), ("target", &record.target)] {
                        if !actor_exists(slug) {
                            problems.push(row_problem(field, Problem::ActorUnknown));
                        }
                    }
                    let (a, b) = if record.source < record.target {
                        (record.source.clone(), record.target.clone())
                    } else {
                        (record.target.clone(), record.source.clone())
                    };
                    let kind = record.kind.code();
                    if connection_exists(&a, &b, kind) || !seen.insert((a, b, kind)) {
                        problems.push(row_problem("kind", Problem::ConnectionExists));
                    }
                    if problems.is_empty() {
                        Ok(record)
                    } else {
                        Err(problems)
                    }
                });
            (line, result)
        })
        .collect();
    collect(rows).map_err(|problems| name_columns(problems, &headers, &CONNECTION_COLUMNS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::actor::ActorKind;

    fn rules() -> (Vec<String>, Vec<String>) {
        (
            vec!["energie".into(), "produktion".into()],
            vec!["ki".into()],
        )
    }

    fn found(problems: &[RowProblem]) -> Vec<(u32, &str, Problem)> {
        problems
            .iter()
            .map(|p| (p.line, p.field.as_str(), p.problem))
            .collect()
    }

    fn check(text: &str) -> Checked<ActorRecord> {
        let (sectors, technologies) = rules();
        let rules = ActorRules {
            sectors: &sectors,
            technologies: &technologies,
            this_year: 2026,
            region: crate::domain::actor::Region::GERMANY,
        };
        check_actors(text, &rules, |name, town| {
            name == "KIT" && town == "Karlsruhe"
        })
    }

    #[test]
    fn a_german_excel_file_is_read() {
        let text = "\u{feff}Name;Art;Ort;Breite;Länge;Branchen;Öffentlich\n\
                    Sensorik Start;startup;Sinsheim;49,25;8,88;energie, produktion;ja\n\
                    \n\
                    \"Müller; Söhne\";mittelstand;Bretten;49.03;8.70;;nein\n";
        let rows = check(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1.kind, ActorKind::Startup);
        assert_eq!(rows[0].1.sectors, vec!["energie", "produktion"]);
        assert!(rows[0].1.is_public && !rows[1].1.is_public);
        assert_eq!((rows[1].0, rows[1].1.name.as_str()), (4, "Müller; Söhne"));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let text = "name,kind,town,lat,lon\n\
                    Gut GmbH,mittelstand,Eppingen,49.1,8.9\n\
                    Schlecht GmbH,konzern,Eppingen,49.1,8.9\n\
                    KIT,forschung,Karlsruhe,49.0,8.4\n\
                    Gut GmbH,mittelstand,Eppingen,49.1,8.9\n\
                    Weit weg,startup,Nirgendwo,123,8\n";
        assert_eq!(
            found(&check(text).unwrap_err()),
            vec![
                (3, "kind", Problem::KindUnknown),
                (4, "name", Problem::DuplicateActor),
                (5, "name", Problem::DuplicateActor),
                (6, "lat", Problem::CoordinatesOutOfRange),
            ]
        );
    }

    #[test]
    fn problems_name_the_column_as_the_file_does() {
        let text = "Name;Art;Ort;Breite;Länge\nGut GmbH;konzern;Eppingen;123;8,9\n";
        let columns: Vec<(String, String)> = check(text)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.field, p.column))
            .collect();
        assert_eq!(
            columns,
            vec![
                ("kind".into(), "Art".into()),
                ("lat".into(), "Breite".into())
            ]
        );
        let missing = check("name;art;ort;breite\nA;startup;B;49\n").unwrap_err();
        assert_eq!(
            missing[0].column, "laenge",
            "a missing column by its German name"
        );
    }

    #[test]
    fn files_without_the_needed_columns_or_rows_are_refused() {
        assert_eq!(
            check("name;art;ort;breite\nA;startup;B;49\n").unwrap_err()[0].problem,
            Problem::ColumnMissing
        );
        assert_eq!(
            check("name;art;ort;breite;laenge\n\n").unwrap_err()[0].problem,
            Problem::NothingToImport
        );
        assert_eq!(check("").unwrap_err()[0].problem, Problem::ColumnMissing);
    }

    #[test]
    fn connections_need_known_actors_and_no_duplicates() {
        let text = "von;zu;art;beginn\n\
                    kit;sensorik;tandem;2024-01-01\n\
                    sensorik;kit;tandem;2024-02-01\n\
                    kit;unbekannt;mentoring;2024-01-01\n\
                    kit;uni-hd;mentoring;2024-01-01\n\
                    kit;sensorik;mentoring;01.01.2024\n";
        let problems = &check_connections(
            text,
            |slug| ["kit", "sensorik", "uni-hd"].contains(&slug),
            |a, b, kind| (a, b, kind) == ("kit", "uni-hd", "mentoring"),
        )
        .unwrap_err();
        assert_eq!(
            found(problems),
            vec![
                (3, "kind", Problem::ConnectionExists),
                (4, "target", Problem::ActorUnknown),
                (5, "kind", Problem::ConnectionExists),
                (6, "started_on", Problem::DateInvalid),
            ]
        );
    }

    #[test]
    fn arbitrary_text_never_panics() {
        use proptest::prelude::*;
        proptest!(|(text in "\\PC{0,300}")| {
            let _ = check(&text);
            let _ = check_connections(&text, |_| true, |_, _, _| false);
        });
    }
}
