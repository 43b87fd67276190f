//! German-first UI text with an English switch.
//!
//! A typed message table instead of string keys: a missing translation is a compile error, and the
//! locale travels in a cookie so the server renders the right language before any WASM arrives.

use crate::domain::actor::{ActorKind, ConnectionKind};
use crate::domain::meeting::Rest;
use crate::domain::role::Role;
use crate::domain::validation::Problem;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const LANG_COOKIE: &str = "tandem_lang";

crate::domain::coded::coded_enum! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Locale {
        #[default]
        De = "de",
        En = "en",
    }
}

impl Locale {
    pub fn other(self) -> Locale {
        match self {
            Locale::De => Locale::En,
            Locale::En => Locale::De,
        }
    }

    /// The language of a request: its cookie, German when absent or unknown.
    #[cfg(feature = "ssr")]
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Locale {
        headers
            .get(axum::http::header::COOKIE)
            .and_then(|value| value.to_str().ok())
            .map(Locale::from_cookie_header)
            .unwrap_or_default()
    }

    /// Reads the language cookie from a `Cookie` header value; German when absent or unknown.
    pub fn from_cookie_header(header: &str) -> Locale {
        crate::domain::cookie::cookie_value(header, LANG_COOKIE)
            .and_then(Locale::from_code)
            .unwrap_or_default()
    }
}

macro_rules! messages {
    ($($key:ident => $de:literal, $en:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            pub fn text(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((Msg::$key, Locale::De) => $de, (Msg::$key, Locale::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppName => "Tandem", "Tandem";
    SkipToContent => "Zum Inhalt springen", "Skip to content";
    MainNavigation => "Hauptnavigation", "Main navigation";
    NavMap => "Karte", "Map";
    NavEvents => "Veranstaltungen", "Events";
    NavCases => "Fallstudien", "Case studies";
    NavLogin => "Anmelden", "Sign in";
    NavAccount => "Konto", "Account";
    NavAdmin => "Verwaltung", "Administration";
    SwitchLanguage => "English", "Deutsch";
    SwitchLanguageLabel => "Switch to English", "Auf Deutsch umschalten";
    FooterText => "Tandem ist freie Software für regionale Innovationspartnerschaften.", "Tandem is free software for regional innovation partnerships.";
    Loading => "Wird geladen …", "Loading …";

    HomeTitle => "Innovationspartnerschaften im Kraichgau und am Rhein-Neckar", "Innovation partnerships in the Kraichgau and Rhine-Neckar region";
    HomeLead => "Mittelstand, Startups und Forschung finden hier zueinander: Wer ist wo, wer arbeitet mit wem, und welche Tandems sind daraus entstanden?", "Where SMEs, startups and research find each other: who is where, who works with whom, and which tandems grew from it?";
    HomeNumbers => "Das Netzwerk in Zahlen", "The network in numbers";
    StatActors => "Akteure", "Actors";
    StatConnections => "Verbindungen", "Connections";
    StatEvents => "Veranstaltungen", "Events";
    StatCases => "Fallstudien", "Case studies";
    HomeMapTitle => "Akteurskarte", "Actor map";
    HomeMapText => "Unternehmen, Hochschulen, Initiativen und ihre Partnerschaften auf einen Blick.", "Companies, universities, initiatives and their partnerships at a glance.";
    HomeEventsTitle => "Matchmaking", "Matchmaking";
    HomeEventsText => "Kickoff-Veranstaltungen mit Gesprächsrunden, die Partner zusammenbringen.", "Kickoff events with meeting rounds that bring partners together.";
    HomeCasesTitle => "Erfolgsgeschichten", "Success stories";
    HomeCasesText => "Was Tandems gemeinsam erreicht haben – als Fallstudien und Playbook.", "What tandems achieved together – as case studies and a playbook.";

    MapTitle => "Akteurskarte", "Actor map";
    MapLead => "Wer ist wo, wer arbeitet mit wem – und wie ist das Netzwerk gewachsen?", "Who is where, who works with whom – and how did the network grow?";
    MapViews => "Ansichten des Netzwerks", "Views of the network";
    TabMap => "Karte", "Map";
    TabNetwork => "Netzwerk", "Network";
    TabReport => "Lagebild", "Situation report";
    NetworkTitle => "Netzwerkansicht", "Network view";
    NetworkLead => "Dieselben Akteure als Netzwerk: Nähe zeigt, wer eng zusammenarbeitet.", "The same actors as a network: closeness shows who works together closely.";
    MapRegionLabel => "Karte der Akteure und Verbindungen", "Map of actors and connections";
    NetworkRegionLabel => "Netzwerkgrafik der Akteure und Verbindungen", "Network graph of actors and connections";
    MapListHint => "Alle Angaben der Grafik stehen auch in der Liste unten.", "Everything the graphic shows is also in the list below.";
    MapLoadFailed => "Die Kartendaten konnten nicht geladen werden. Die Liste unten zeigt dieselben Akteure.", "The map data could not be loaded. The list below shows the same actors.";
    MapEmpty => "Keine Akteure für diese Filter.", "No actors match these filters.";
    MapListTitle => "Akteure in dieser Ansicht", "Actors in this view";
    PanelLabel => "Ausgewählter Akteur", "Selected actor";
    PanelClose => "Auswahl schließen", "Close selection";
    PanelProfileLink => "Zur Profilseite", "Open profile page";
    FilterTitle => "Filter", "Filters";
    FilterActive => "{n} aktiv", "{n} active";
    ChartValues => "Werte als Tabelle", "Values as a table";
    FieldLat => "Breitengrad", "Latitude";
    Yes => "ja", "yes";
    No => "nein", "no";
    CharsUsed => "{n} / {max} Zeichen", "{n} / {max} characters";
    PositionTitle => "Lage", "Position";
    PositionHint => "Auf die Karte klicken oder tippen, die Lage aus dem Ort übernehmen oder Breiten- und Längengrad eintragen.", "Click or tap the map, take the position of the town, or enter latitude and longitude.";
    PositionFromTown => "Lage des Orts übernehmen", "Use the town's position";
    PositionMap => "Karte zum Festlegen der Lage", "Map to set the position";
    PositionPlaced => "Lage übernommen: {lat} / {lon}", "Position set: {lat} / {lon}";
    PositionPlacedTown => "Lage von {town} übernommen", "Position of {town} set";
    PositionUnknownTown => "Diesen Ort kennt die Karte noch nicht – bitte auf die Karte klicken oder die Koordinaten eintragen.", "The map does not know this town yet – please click the map or enter the coordinates.";
    FieldLon => "Längengrad", "Longitude";
    FieldIsPublic => "Öffentlich sichtbar", "Shown publicly";
    FieldContactPublic => "Kontakt öffentlich", "Contact shown publicly";
    FilterAll => "Alle", "All";
    FilterSearch => "Suche", "Search";
    FilterKinds => "Art", "Kind";
    FilterConnectionKind => "Art der Verbindung", "Kind of connection";
    FilterYears => "Zeitraum der Verbindungen", "Period of connections";
    FilterFrom => "von", "from";
    FilterTo => "bis", "to";
    FilterApply => "Filter anwenden", "Apply filters";
    FilterReset => "Filter zurücksetzen", "Reset filters";
    LegendKinds => "Arten von Akteuren", "Kinds of actors";
    LegendConnections => "Arten von Verbindungen", "Kinds of connections";
    PlaybackPlay => "Wachstum abspielen", "Play growth";
    PlaybackPause => "Anhalten", "Pause";
    PlaybackLabel => "Zeitpunkt", "Point in time";
    PlaybackAt => "Stand", "As of";
    PlaybackPerYear => "Neue Verbindungen pro Jahr", "New connections per year";
    ListShowing => "Angezeigt:", "Showing:";
    ColKind => "Art", "Kind";
    Pagination => "Seiten", "Pages";
    Page => "Seite", "Page";
    PagePrevious => "Vorherige Seite", "Previous page";
    PageNext => "Nächste Seite", "Next page";
    ReportTitle => "Lagebild des Netzwerks", "Network situation report";
    ReportLead => "Für Wirtschaftsförderung und Kommunen: Wo ist das Netzwerk stark, wer verbindet, und wen sollte man einander vorstellen?", "For economic development and municipalities: where is the network strong, who connects it, and whom should be introduced?";
    ReportCrossSector => "Branchen\u{ad}übergreifende Verbindungen", "Cross-sector connections";
    ReportSmeStartup => "Mittelstand × Startup", "SME × startup";
    ReportCommunities => "Gemeinschaften", "Communities";
    ReportCommunity => "Gemeinschaft", "Community";
    ReportCommunitiesText => "Gruppen, die untereinander dichter verbunden sind als nach außen (Label Propagation).", "Groups more densely connected among themselves than outwards (label propagation).";
    ReportPerQuarter => "Neue Verbindungen pro Quartal", "New connections per quarter";
    ReportByKind => "Akteure nach Art", "Actors by kind";
    ReportByTown => "Akteure nach Ort", "Actors by town";
    ReportBrokers => "Brückenbauer", "Brokers";
    ReportBrokersText => "Akteure, über die viele kürzeste Wege im Netzwerk laufen (Betweenness-Zentralität).", "Actors on many shortest paths through the network (betweenness centrality).";
    ReportBetweenness => "Zentralität", "centrality";
    ReportSuggestions => "Vorstellungs-Vorschläge", "Introduction suggestions";
    ReportSuggestionsText => "Noch nicht verbundene Paare mit gemeinsamen Partnern oder Themen – bevorzugt über Arten hinweg.", "Pairs not yet connected who share partners or topics – preferring pairs of different kinds.";
    ReasonWhy => "Warum:", "Why:";
    ImportTitle => "Akteure und Verbindungen importieren", "Import actors and connections";
    ImportLead => "CSV-Dateien aus Excel oder anderen Werkzeugen: erst prüfen, dann in einem Schritt importieren – alle Zeilen oder keine.", "CSV files from Excel or other tools: check first, then import in one step – all rows or none.";
    ImportKind => "Was wird importiert?", "What is imported?";
    ImportFile => "CSV-Datei", "CSV file";
    ImportText => "Inhalt (aus der Datei oder eingefügt)", "Content (from the file or pasted)";
    ImportActorColumns => "Spalten: name; art; ort; breite; laenge – optional branchen, technologien, website, beschreibung, gruendungsjahr, beschaeftigte, oeffentlich. Trennzeichen Semikolon oder Komma.", "Columns: name; art; ort; breite; laenge – optionally branchen, technologien, website, beschreibung, gruendungsjahr, beschaeftigte, oeffentlich. Separated by semicolons or commas.";
    ImportConnectionColumns => "Spalten: von; zu; art; beginn (JJJJ-MM-TT) – optional ende, herkunft, notiz. von und zu sind Kurznamen (Slugs) der Akteure.", "Columns: von; zu; art; beginn (YYYY-MM-DD) – optionally ende, herkunft, notiz. von and zu are the actors' short names (slugs).";
    ImportCheck => "Prüfen (Probelauf)", "Check (dry run)";
    ImportRun => "Jetzt importieren", "Import now";
    ImportCheckedOk => "Alle Zeilen sind in Ordnung und können importiert werden", "All rows are fine and can be imported";
    ImportStarted => "Import gestartet", "Import started";
    ImportRows => "Zeilen", "rows";
    ImportProblems => "Nichts importiert – diese Zeilen müssen zuerst korrigiert werden", "Nothing imported – these rows need fixing first";
    ImportLine => "Zeile", "Line";
    ImportField => "Feld", "Field";
    ImportReason => "Grund", "Reason";
    ImportProgressLabel => "Fortschritt des Imports", "Import progress";
    ImportRunning => "Importiere …", "Importing …";
    ImportDone => "Import abgeschlossen. Importierte Zeilen:", "Import finished. Rows imported:";
    ImportFailed => "Der Import ist fehlgeschlagen und wurde vollständig zurückgenommen.", "The import failed and was rolled back completely.";
    ManageData => "Daten verwalten", "Manage data";
    LogoOf => "Logo von", "Logo of";
    TermsTitle => "Branchen und Technologien", "Sectors and technologies";
    TermsLead => "Die Begriffe, mit denen Akteure beschrieben und gefiltert werden.", "The terms that describe and filter actors.";
    TermsAdd => "Begriff hinzufügen", "Add a term";
    TermsRename => "Umbenennen", "Rename";
    TermsVocabulary => "Liste", "List";
    TermsLabelDe => "Bezeichnung (Deutsch)", "Label (German)";
    TermsLabelEn => "Bezeichnung (Englisch)", "Label (English)";
    TermsSaved => "Begriff gespeichert.", "Term saved.";
    LabelLat => "Breitengrad (z. B. 49,25)", "Latitude (e.g. 49.25)";
    LabelLon => "Längengrad (z. B. 8,88)", "Longitude (e.g. 8.88)";
    LabelDescription => "Beschreibung", "Description";
    LabelLogo => "Logo (Adresse eines Bildes)", "Logo (address of an image)";
    LabelContact => "Kontakt-E-Mail", "Contact email";
    LabelConsent => "Einwilligung", "Consent";
    LabelIsPublic => "Die Organisation ist einverstanden, öffentlich auf der Karte zu erscheinen.", "The organisation agrees to appear publicly on the map.";
    LabelContactPublic => "Die Kontaktadresse darf öffentlich angezeigt werden.", "The contact address may be shown publicly.";
    EditTitle => "Akteur bearbeiten", "Edit actor";
    EditSave => "Speichern", "Save";
    EditSaved => "Gespeichert.", "Saved.";
    EditDelete => "Entfernen", "Remove";
    EditDeleteConnection => "Verbindung entfernen zu", "Remove connection to";
    EditAddConnection => "Verbindung hinzufügen", "Add connection";
    EditPartner => "Partner (Name oder Ort eintippen und auswählen)", "Partner (type a name or town and choose)";
    EditStart => "Beginn", "Start";
    EditEnd => "Ende (optional)", "End (optional)";
    EditNote => "Notiz", "Note";
    EditDeleteActor => "Akteur endgültig löschen", "Delete actor permanently";
    EditNew => "Neuen Akteur anlegen", "Add a new actor";
    EditThis => "Bearbeiten", "Edit";
    ProposeTitle => "Eintrag oder Korrektur vorschlagen", "Propose an entry or a correction";
    ProposeLead => "Fehlt eine Organisation oder stimmt etwas nicht? Ihr Vorschlag wird von der Redaktion geprüft.", "Is an organisation missing or something wrong? Editors review your proposal.";
    ProposeAboutYou => "Für Rückfragen", "For questions";
    ProposeMessage => "Nachricht an die Redaktion (optional)", "Message to the editors (optional)";
    ProposePrivacy => "Ihre E-Mail-Adresse wird nur für Rückfragen gespeichert und nach der Entscheidung gelöscht.", "Your email address is kept only for questions and deleted once a decision is made.";
    ProposeSubmit => "Vorschlag senden", "Send proposal";
    ProposeSent => "Danke! Ihr Vorschlag wartet jetzt auf die Prüfung.", "Thank you! Your proposal now awaits review.";
    ProposeLink => "Korrektur vorschlagen", "Propose a correction";
    ProposeNewLink => "Fehlenden Akteur vorschlagen", "Propose a missing actor";
    ModerationTitle => "Vorschläge prüfen", "Review proposals";
    ModerationEmpty => "Keine offenen Vorschläge.", "No open proposals.";
    ModerationCorrection => "Korrektur", "Correction";
    ModerationNew => "Neuer Akteur", "New actor";
    ModerationFrom => "Vorgeschlagen von", "Proposed by";
    ModerationCurrent => "Bisher", "Current";
    ModerationProposed => "Vorschlag", "Proposed";
    ModerationAccept => "Übernehmen", "Accept";
    ModerationReject => "Ablehnen", "Reject";
    ExportTitle => "Diese Ansicht herunterladen", "Download this view";
    ExportActors => "Akteure (CSV für Excel)", "Actors (CSV for Excel)";
    ExportConnections => "Verbindungen (CSV für Excel)", "Connections (CSV for Excel)";
    ExportGeojson => "Karte (GeoJSON)", "Map (GeoJSON)";
    EmbedTitle => "Auf der eigenen Website einbinden", "Embed on your website";
    EmbedText => "Diese Ansicht als Karte ohne Anmeldung, zum Einbinden per iframe:", "This view as a map without sign-in, to embed with an iframe:";
    EmbedOpen => "Im Tandem-Netzwerk öffnen", "Open in the Tandem network";
    ReasonCommonPartners => "gemeinsame Partner", "shared partners";
    ReasonSharedTopics => "gemeinsame Themen", "shared topics";
    ColName => "Name", "Name";
    ColTown => "Ort", "Town";
    ColConnections => "Verbindungen", "Connections";
    ColEmail => "E-Mail", "Email";
    ColRole => "Rolle", "Role";
    ColStatus => "Status", "Status";
    ActorFounded => "Gegründet", "Founded";
    ActorSize => "Beschäftigte", "Employees";
    ActorWebsite => "Website", "Website";
    ActorSectors => "Branchen", "Sectors";
    ActorTechnologies => "Technologien", "Technologies";
    ActorConnections => "Verbindungen", "Connections";
    ActorNoConnections => "Noch keine Verbindungen eingetragen.", "No connections recorded yet.";
    ActorCaseStudies => "Fallstudien", "Case studies";
    ActorSince => "seit", "since";
    ActorOrigin => "Entstanden bei", "Originated at";
    BackToMap => "Zurück zur Akteurskarte", "Back to the actor map";
    Position => "Lage", "Location";

    EventsTitle => "Veranstaltungen", "Events";
    EventsLead => "Kickoffs und Netzwerktreffen mit Matchmaking-Runden.", "Kickoffs and networking events with matchmaking rounds.";
    EventsEmpty => "Noch keine Veranstaltungen.", "No events yet.";
    EventRegistrations => "Anmeldungen", "Registrations";
    EventCheckedIn => "eingecheckt", "checked in";
    EventVenue => "Veranstaltungsort", "Venue";
    EventDate => "Datum", "Date";
    EventDraft => "Entwurf", "Draft";
    EventOpen => "Anmeldung offen", "Registration open";
    EventLive => "Läuft gerade", "Live now";
    EventFinished => "Abgeschlossen", "Finished";
    EventNew => "Neue Veranstaltung", "New event";
    EventSaved => "Die Veranstaltung ist gespeichert.", "The event has been saved.";
    EventOrganiserTools => "Für das Orga-Team", "For the organisers";
    EventEdit => "Veranstaltung bearbeiten", "Edit event";
    EventStatusTo => "Status ändern:", "Change status:";
    EventRoundsLabel => "Matchmaking-Runden", "Matchmaking rounds";
    EventSlotsLabel => "Zeitfenster", "Time slots";
    EventMinutes => "Minuten", "minutes";
    EventWindow => "Anmeldezeitraum", "Registration period";
    EventWindowFrom => "ab", "from";
    EventWindowUntil => "bis", "until";
    DeskMore => "Es gibt mehr Treffer, als hier stehen; bitte die Suche genauer fassen. Treffer insgesamt:", "There are more matches than shown; please narrow the search. Matches in all:";
    KindChoose => "Bitte wählen", "Please choose";
    EventTitleLabel => "Titel", "Title";
    EventStarts => "Beginn", "Starts";
    EventEnds => "Ende", "Ends";
    EventRegistrationOpens => "Anmeldung ab (Tag)", "Registration from (day)";
    EventRegistrationCloses => "Anmeldung bis (Tag)", "Registration until (day)";
    EventRoundMinutes => "Minuten je Runde", "Minutes per round";
    EventRounds => "Anzahl Runden", "Number of rounds";
    EventTables => "Anzahl Tische", "Number of tables";
    EventSeats => "Plätze je Tisch", "Seats per table";
    EventOddLegend => "Bei ungerader Zahl", "With an odd number of people";
    EventOddSitsOut => "Eine Person setzt reihum aus (statt zu dritt an einem Tisch)", "One person sits out in turn (instead of three at a table)";
    EventSave => "Veranstaltung speichern", "Save event";
    EventTablesLegend => "Tische im Raum", "Tables in the room";
    EventTablesHelp => "Eine Zeile je Gruppe gleicher Tische, z. B. 20 Tische für zwei in Halle A und 5 Lounges für vier in Halle B. Die Tische werden durchgezählt; ohne Bezeichnung heißen sie „Tisch 1“, „Tisch 2“ usw. Der Tischplan und die Leinwand zeigen diese Namen.", "One row per group of alike tables, e.g. 20 tables for two in hall A and 5 lounges for four in hall B. Tables are numbered through; without a name they are called “Tisch 1”, “Tisch 2” and so on. The table plan and the projector show these names.";
    EventTableGroup => "Tischgruppe", "Table group";
    EventTableLabel => "Bezeichnung (optional)", "Name (optional)";
    EventTableArea => "Bereich (optional)", "Area (optional)";
    EventTableAdd => "Weitere Tischgruppe", "Add a table group";
    EventTableRemove => "entfernen", "remove";
    EventRulesLegend => "Regeln für die Paarungen", "Pairing rules";
    EventRulesHelp => "Sie gelten für jede Runde dieser Veranstaltung und für die Begründungen, die die Teilnehmenden sehen.", "They apply to every round of this event and to the reasons participants see.";
    EventWeightWishes => "Wünsche der Teilnehmenden zählen", "Participants' wishes count";
    EventWeightTopics => "Gemeinsame Themen zählen", "Shared topics count";
    EventWeightText => "„Biete“ passt zu „Suche“ zählt", "“Offers” matching “seeks” counts";
    WeightOff => "gar nicht", "not at all";
    WeightHalf => "halb", "half";
    WeightNormal => "normal", "normal";
    WeightDouble => "doppelt", "double";
    WeightTriple => "dreifach", "triple";
    EventMustMeets => "Muss-Treffen gehen allem anderen vor (sonst zählen sie wie „gern“)", "Must-meets come before everything else (otherwise they count like “gladly”)";
    EventSameOrganisation => "Personen derselben Organisation nie zusammensetzen", "Never pair people of the same organisation";
    EventSeries => "Reihe (optional)", "Series (optional)";
    EventSeriesHelp => "Veranstaltungen mit demselben Reihennamen gehören zusammen, z. B. „Innovationsfrühstück Kraichgau“.", "Events with the same series name belong together, e.g. “Innovation breakfast Kraichgau”.";
    EventNotAgain => "Wer sich bei einer früheren Veranstaltung dieser Reihe getroffen hat, trifft sich nicht noch einmal", "People who met at an earlier event of this series do not meet again";
    EventKindsLegend => "Punkte je Paarung nach Art (0 bis 60)", "Points per pairing of kinds (0 to 60)";
    EventKindsHelp => "Mehr Punkte bringen diese Arten öfter zusammen; 0 heißt: die Art der Teilnehmenden spielt für diese Paarung keine Rolle.", "More points bring these kinds together more often; 0 means the kinds play no part for this pairing.";
    RegistrationTitle => "Anmeldung", "Registration";
    RegistrationLead => "Melden Sie sich an und sagen Sie uns, was Sie anbieten und was Sie suchen: Daraus schlagen wir Ihnen passende Gespräche vor.", "Register and tell us what you offer and what you are looking for: we use it to suggest the right conversations.";
    RegistrationNotOpen => "Die Anmeldung ist gerade nicht geöffnet.", "Registration is not open at the moment.";
    RegistrationOrganisation => "Organisation", "Organisation";
    RegistrationOnTheMap => "Schon auf der Karte – zum Übernehmen antippen:", "Already on the map – tap to use:";
    RegistrationOffers => "Was ich anbiete", "What I offer";
    RegistrationOffersHelp => "Stichworte genügen, z. B. „Prüfstände, Fertigung, Kunststoffe“.", "Keywords are enough, e.g. \"test benches, manufacturing, plastics\".";
    RegistrationSeeks => "Was ich suche", "What I am looking for";
    RegistrationTopics => "Themen", "Topics";
    RegistrationConsent => "Mein Profil (Name, Organisation, Angebot, Suche, Themen) darf den anderen Teilnehmenden dieser Veranstaltung gezeigt werden.", "My profile (name, organisation, offer, search, topics) may be shown to the other participants of this event.";
    RegistrationSubmit => "Verbindlich anmelden", "Register";
    RegistrationCancelled => "Ihre Anmeldung und alle Angaben dazu sind gelöscht.", "Your registration and everything you gave with it have been deleted.";
    MyRegistrationTitle => "Meine Anmeldung", "My registration";
    MyRegistrationCheckedIn => "Sie sind eingecheckt. Viel Erfolg bei den Gesprächen!", "You are checked in. Enjoy your conversations!";
    MyRegistrationNotYet => "Sie sind angemeldet. Zeigen Sie am Einlass diesen QR-Code.", "You are registered. Show this QR code at the entrance.";
    MyRegistrationLinkTitle => "Ihr persönlicher Link", "Your personal link";
    MyRegistrationLinkText => "Über diesen Link (oder den QR-Code) kommen Sie ohne Passwort zu Ihrer Anmeldung und am Veranstaltungstag zu Ihren Gesprächen. Geben Sie ihn nicht weiter.", "This link (or the QR code) takes you to your registration without a password, and to your meetings on the day. Do not share it.";
    MyRegistrationQr => "QR-Code mit Ihrem persönlichen Link", "QR code with your personal link";
    MyRegistrationData => "Ihre Angaben", "What you told us";
    MyRegistrationCancelTitle => "Abmelden", "Cancel registration";
    MyRegistrationCancelText => "Wenn Sie nicht kommen können, melden Sie sich hier ab. Alle Ihre Angaben zu dieser Veranstaltung werden dabei gelöscht.", "If you cannot come, cancel here. Everything you gave for this event is deleted.";
    MyRegistrationCancel => "Anmeldung löschen", "Delete my registration";
    DeskTitle => "Einlass", "Check-in";
    DeskRegistered => "Angemeldet", "Registered";
    DeskPresent => "Anwesend", "Present";
    DeskLeft => "Gegangen", "Left";
    DeskSearch => "Name oder Organisation", "Name or organisation";
    DeskNobody => "Niemand gefunden.", "Nobody found.";
    DeskListCaption => "Angemeldete Personen", "Registered people";
    DeskState => "Status", "Status";
    DeskAction => "Aktion", "Action";
    DeskStatePresent => "anwesend", "present";
    DeskStateLeft => "gegangen", "left";
    DeskStateExpected => "erwartet", "expected";
    DeskCheckIn => "Einchecken", "Check in";
    DeskCheckOut => "Auschecken", "Check out";
    DeskWalkUp => "Anmeldung an der Tür", "Walk-up registration";
    DeskWalkUpDone => "Angemeldet und eingecheckt.", "Registered and checked in.";
    DeskShowLink => "Persönlichen Link mit QR-Code zeigen", "Show the personal link with its QR code";
    DeskWalkUpSubmit => "Anmelden und einchecken", "Register and check in";
    DeskDelete => "Anmeldung löschen", "Delete registration";
    DeskDeleteConfirm => "Endgültig löschen", "Delete for good";
    SuggestionsTitle => "Vorschläge für Sie", "Suggestions for you";
    ConsoleTitle => "Runden-Konsole", "Rounds console";
    ConsoleLead => "Die nächste Runde wird aus den Anwesenden geplant: niemand trifft jemanden zweimal, Wünsche zählen, „Lieber nicht“ und dieselbe Organisation nie.", "The next round is planned from the people present: nobody meets anyone twice, wishes count, \"rather not\" and the same organisation never.";
    ConsolePlan => "Nächste Runde planen", "Plan the next round";
    ConsoleRoundsDone => "Geplante Runden", "Rounds planned";
    ConsoleNoRounds => "Noch keine Runde geplant.", "No round planned yet.";
    ConsoleRound => "Runde", "Round";
    ConsoleTable => "Tisch", "Table";
    ConsoleResting => "Ohne Gespräch in dieser Runde", "Without a meeting this round";
    ConsoleTools => "Werkzeuge der Veranstaltung", "Event tools";
    ConsoleClock => "Uhr der Runde", "Round clock";
    ConsoleAllDone => "Alle Runden sind gelaufen. Den Bericht finden Sie oben.", "All rounds are done. The report is linked above.";
    ConsoleStart => "Runde starten", "Start the round";
    ConsolePlanAgain => "Neu planen (mit allen, die jetzt da sind)", "Plan again (with everyone here now)";
    ReportUnmatched => "Organisationen ohne Eintrag auf der Karte", "Organisations not on the map";
    ReportUnmatchedLead => "Diese Organisationen fand die Anmeldung nicht unter ihrem Namen auf der Karte. Ist eine davon ein Akteur, den die Karte unter anderer Schreibweise kennt, ordnen Sie sie zu: Bestätigte Folgekontakte verbinden dann diesen Akteur, statt einen zweiten anzulegen.", "Registration did not find these organisations on the map by their name. If one of them is an actor the map knows under another spelling, assign it: confirmed follow-ups then connect that actor instead of adding a second one.";
    ReportUnmatchedPeople => "Anmeldungen", "Registrations";
    ReportUnmatchedLikely => "Wahrscheinlich auf der Karte", "Likely on the map";
    ReportUnmatchedNew => "Kein ähnlicher Akteur – neu auf der Karte, sobald ein Folgekontakt bestätigt ist", "No similar actor – new on the map once a follow-up is confirmed";
    ReportAssign => "Zuordnen", "Assign";
    ConsolePlanEvening => "Alle übrigen Runden vorausplanen", "Plan all remaining rounds ahead";
    ConsoleComing => "Kommende Runden", "Coming rounds";
    ConsoleComingNote => "Geplant aus den Anwesenden, ohne Wiederholung über den ganzen Abend. Checkt jemand ein oder aus, werden die Runden, die noch nicht begonnen haben und nicht gesperrt sind, nach einem Moment neu geplant. Eine Runde, in der Sie Plätze von Hand ändern, wird dabei gesperrt. Die Handys zeigen jeweils das nächste Gespräch.", "Planned from the people present, without repeats across the evening. When someone checks in or out, the rounds that have not started and are not locked are planned again after a moment. A round whose seats you change by hand is locked by that. Phones show the next meeting each time.";
    ConsoleLock => "Runde sperren", "Lock the round";
    ConsoleUnlock => "Sperre aufheben", "Unlock the round";
    ConsoleLocked => "gesperrt", "locked";
    ConsoleLockedNote => "Gesperrt: bleibt beim Neuplanen, wie sie ist.", "Locked: stays as it is when the plan changes.";
    ConsoleMeetings => "Gespräche", "meetings";
    ConsolePause => "Pausieren", "Pause";
    ConsoleResume => "Fortsetzen", "Resume";
    ConsoleEnd => "Runde beenden", "End the round";
    ConsoleSeating => "Plätze dieser Runde ändern", "Change seats in this round";
    ConsoleWaiting => "ohne Platz", "without a seat";
    ConsoleWaitingHeading => "Im Raum, aber noch ohne Platz", "In the room but without a seat";
    ConsoleSeatLatecomers => "An freie Tische setzen", "Seat them at free tables";
    ConsoleSwapFirst => "Person", "Person";
    ConsoleSwapSecond => "tauscht den Platz mit", "swaps places with";
    ConsoleSwap => "Plätze tauschen", "Swap places";
    LiveConnected => "Live verbunden", "Live";
    LiveReconnecting => "Verbindung unterbrochen – verbinde neu …", "Connection lost – reconnecting …";
    LiveNoRound => "Noch keine Runde", "No round yet";
    PhasePlanned => "Tische stehen fest – bitte Platz nehmen", "Tables are set – please take your seat";
    PhaseRunning => "läuft", "running";
    PhasePaused => "pausiert", "paused";
    PhaseEnded => "beendet", "over";
    ScreenTitle => "Leinwand", "Projector screen";
    ScreenSoon => "Gleich geht es los.", "We start shortly.";
    ScreenInRoom => "Personen sind im Raum.", "people are in the room.";
    ScreenPlaces => "Wer sitzt wo", "Who sits where";
    ScreenPage => "Seite", "Page";
    ScreenPageOf => "von", "of";
    ScreenLetters => "Anfangsbuchstaben, die Buchstaben dieser Seite hervorgehoben", "Initials, this page's letters highlighted";
    ScreenPause => "Blättern anhalten", "Stop turning pages";
    ScreenResume => "Weiterblättern", "Turn pages again";
    ScreenFindTable => "Ihren Tisch zeigt auch Ihr persönlicher Link auf dem Handy. Nicht auf der Liste? Bitte am Empfang melden.", "Your personal link on your phone shows your table too. Not on the list? Please ask at the desk.";
    ScreenResting => "Pause", "Break";
    TablePlanTitle => "Tischplan", "Table plan";
    EventReportTitle => "Bericht", "Report";
    ReportKindUnknown => "ohne Angabe", "not given";
    ReportAttended => "Da gewesen", "Attended";
    ReportRoundsHeld => "Runden", "Rounds";
    ReportMeetingsHeld => "Gespräche", "Meetings";
    ReportAverage => "Bewertung im Schnitt (Anzahl)", "Average rating (count)";
    ReportMutual => "Beidseitige Folgekontakte", "Mutual follow-ups";
    ReportOneSided => "Einseitige Folgewünsche", "One-sided follow-ups";
    ReportCsv => "Alle Gespräche als CSV", "All meetings as CSV";
    EventReportByKind => "Nach Art der Teilnehmenden", "By kind of participant";
    ReportKindPairs => "Gespräche nach Paarung", "Meetings by pairing";
    ReportFollowUps => "Folgekontakte", "Follow-ups";
    ReportFollowUpsLead => "Beide Seiten möchten weitermachen. Bestätigt wird daraus eine Tandem-Verbindung auf der Akteurskarte (Herkunft: diese Veranstaltung); Organisationen, die die Karte noch nicht kennt, werden als nicht öffentliche Akteure angelegt, bis sie zustimmen.", "Both sides want to follow up. Once confirmed, it becomes a tandem connection on the actor map (origin: this event); organisations the map does not know yet are added as non-public actors until they agree.";
    ReportNoFollowUps => "Noch keine beidseitigen Folgekontakte.", "No mutual follow-ups yet.";
    ReportConfirmed => "Auf der Karte", "On the map";
    ReportConfirm => "Als Verbindung bestätigen", "Confirm as a connection";
    TablePlanPrint => "Drucken", "Print";
    RestBye => "setzt diese Runde aus", "sits this round out";
    RestNoPartner => "kein Gegenüber mehr frei", "nobody left to meet";
    RestNoTable => "kein Tisch mehr frei", "no table left";
    MyMeetingTitle => "Ihr Gespräch", "Your meeting";
    EventFormatLegend => "Ablauf der Gespräche", "How meetings come about";
    EventFormatRounds => "Live-Runden: die Konsole plant jede Runde aus den Anwesenden", "Live rounds: the console plans each round from the people present";
    EventFormatSlots => "Buchbare Termine: Teilnehmende fragen an, die andere Seite sagt zu, die Termine landen in Zeitfenstern (Runden × Minuten) an Tischen", "Bookable slots: participants request, the other side accepts, meetings land in time slots (rounds × minutes) at tables";
    EventFormatRoundsShort => "Live-Runden", "Live rounds";
    EventFormatSlotsShort => "Buchbare Termine", "Bookable slots";
    EventBreakAfter => "Pause nach so vielen Terminen in Folge (leer: keine)", "Break after this many meetings in a row (empty: none)";
    RequestSend => "Termin anfragen", "Request a meeting";
    RequestExists => "Zwischen Ihnen gibt es schon eine Terminanfrage.", "There is already a meeting request between you.";
    RequestsTitle => "Ihre Termine", "Your meetings";
    RequestsLead => "Fragen Sie unten bei den Teilnehmenden Termine an. Angenommene Termine plant das Orga-Team in Zeitfenster und an Tische ein; Uhrzeit und Tisch stehen dann hier.", "Request meetings with the participants below. The organisers place accepted meetings into time slots and tables; time and table then show here.";
    RequestsNone => "Noch keine Anfragen.", "No requests yet.";
    RequestAccepted => "Zugesagt – Uhrzeit und Tisch folgen", "Accepted – time and table to follow";
    RequestDeclined => "Abgesagt", "Declined";
    RequestIncoming => "Möchte Sie treffen", "Would like to meet you";
    RequestOutgoing => "Angefragt – wartet auf Antwort", "Requested – awaiting an answer";
    RequestAccept => "Zusagen", "Accept";
    RequestDecline => "Absagen", "Decline";
    RequestWithdraw => "Anfrage zurückziehen", "Withdraw the request";
    SlotsTitle => "Gebuchte Termine", "Booked meetings";
    SlotsOpen => "Unbeantwortet", "Unanswered";
    SlotsWaiting => "Zugesagt, ohne Platz", "Accepted, not placed";
    SlotsBooked => "Eingeplant", "Placed";
    SlotsTime => "Uhrzeit", "Time";
    SlotsScheduleAll => "Alle zugesagten Termine einplanen", "Place all accepted meetings";
    SlotsPlaced => "Termine eingeplant.", "meetings placed.";
    SlotsUnplaced => "fanden keinen freien Platz (mehr Tische oder Zeitfenster nötig).", "found no free place (more tables or slots needed).";
    MyMeetingSoon => "Sobald die Runde geplant ist, sehen Sie hier Ihren Tisch und Ihr Gegenüber – ohne neu zu laden.", "Once the round is planned, your table and partner appear here – no need to reload.";
    MyMeetingTalkAbout => "Worüber Sie sprechen können", "What to talk about";
    MyRegistrationCalendar => "Programm und Gespräche in den Kalender (iCal)", "Programme and meetings for your calendar (iCal)";
    FeedbackTitle => "Wie waren Ihre Gespräche?", "How were your meetings?";
    FeedbackLead => "Ihre Bewertung sieht nur das Orga-Team. Wenn beide Seiten weitermachen möchten, schlägt das Orga-Team die Verbindung für die Akteurskarte vor.", "Only the organisers see your rating. When both sides want to follow up, the organisers propose the connection for the actor map.";
    FeedbackStar => "Stern", "star";
    FeedbackStars => "Sterne", "stars";
    FeedbackFollowUp => "Ich möchte mit diesem Kontakt weitermachen", "I want to follow up with this contact";
    FeedbackSend => "Rückmeldung senden", "Send feedback";
    FeedbackUpdate => "Rückmeldung ändern", "Change feedback";
    MyMeetingWith => "Ihr Gegenüber", "You meet";
    MyMeetingRest => "In dieser Runde haben Sie kein Gespräch:", "You have no meeting this round:";
    SuggestionsLead => "Mit diesen Personen passt es nach Ihren Angaben am besten; warum, steht jeweils dabei.", "These people fit best by what you told us; each says why.";
    SuggestionsNone => "Noch keine Vorschläge: Es sind noch nicht genug Personen angemeldet.", "No suggestions yet: not enough people have registered.";
    SuggestionInList => "In der Liste zeigen und Wunsch angeben", "Show in the list and state a wish";
    WhyTitle => "Warum dieses Treffen", "Why this meeting";
    PeopleTitle => "Alle Teilnehmenden", "All participants";
    PeopleSearch => "Teilnehmende suchen (Name, Organisation, Angebot, Gesuch)", "Search participants (name, organisation, offer, request)";
    PeopleSearchSubmit => "Suchen", "Search";
    PeopleMatching => "Gefunden: {count}", "Found: {count}";
    PeopleLead => "Markieren Sie, wen Sie unbedingt, gern oder lieber nicht treffen möchten. Die Gesprächsrunden berücksichtigen das.", "Mark whom you must meet, would like to meet or would rather not meet. The rounds take it into account.";
    WishLabel => "Ihr Wunsch", "Your wish";
    WishNone => "Kein Wunsch", "No wish";
    WishMust => "Unbedingt treffen", "Must meet";
    WishGern => "Gern treffen", "Would like to meet";
    WishNo => "Lieber nicht", "Rather not";
    WishSave => "Speichern", "Save";
    ReasonTopics => "Gemeinsame Themen:", "Shared topics:";
    ReasonPartnerOffers => "Bietet, was Sie suchen:", "Offers what you are looking for:";
    ReasonYouOffer => "Sucht, was Sie anbieten:", "Is looking for what you offer:";
    ReasonKinds => "Passende Kombination:", "A good pairing:";
    ReasonMutual => "Sie möchten sich beide treffen.", "You both want to meet.";
    ReasonYouWish => "Sie möchten dieses Treffen.", "You asked for this meeting.";
    ReasonPartnerWishes => "Möchte Sie gern treffen.", "Would like to meet you.";

    CasesTitle => "Fallstudien", "Case studies";
    CasesLead => "Erfolgsgeschichten aus den Tandems der Region.", "Success stories from the region's tandems.";
    CasesEmpty => "Noch keine veröffentlichten Fallstudien.", "No published case studies yet.";
    CasePartners => "Partner", "Partners";
    CasePublished => "Veröffentlicht am", "Published on";

    LoginTitle => "Anmelden", "Sign in";
    LoginLead => "Für Organisatorinnen, Partner und Teilnehmende mit Konto.", "For organisers, partners and participants with an account.";
    LabelEmail => "E-Mail-Adresse", "Email address";
    LabelPassword => "Passwort", "Password";
    LabelNewPassword => "Neues Passwort (mindestens 10 Zeichen)", "New password (at least 10 characters)";
    LabelName => "Name", "Name";
    LabelRole => "Rolle", "Role";
    LoginSubmit => "Anmelden", "Sign in";
    Logout => "Abmelden", "Sign out";

    AccountTitle => "Mein Konto", "My account";
    AccountPrivacy => "Ihre Daten", "Your data";
    AccountExport => "Meine Daten herunterladen (JSON)", "Download my data (JSON)";
    AccountDelete => "Konto löschen", "Delete account";
    AccountDeleteText => "Löscht Ihr Konto und alle Sitzungen endgültig. Geben Sie zur Bestätigung Ihr Passwort ein.", "Permanently deletes your account and all sessions. Enter your password to confirm.";
    AccountDeleteConfirm => "Konto endgültig löschen", "Delete account permanently";
    AccountDeleted => "Ihr Konto wurde gelöscht.", "Your account has been deleted.";

    AdminTitle => "Verwaltung: Konten und Rollen", "Administration: accounts and roles";
    AdminAccounts => "Konten", "Accounts";
    AdminCreate => "Konto anlegen und einladen", "Create an account and invite";
    AdminCreateSubmit => "Anlegen", "Create";
    AdminInviteLink => "Konto angelegt. Senden Sie der Person diesen Einladungslink (7 Tage gültig):", "Account created. Send the person this invitation link (valid for 7 days):";
    AdminRoleFor => "Rolle von", "Role of";
    AdminRoleSave => "Rolle speichern", "Save role";
    AdminRoleSaved => "Rolle gespeichert.", "Role saved.";
    StatusActive => "aktiv", "active";
    StatusInvited => "eingeladen", "invited";

    InviteTitle => "Einladung annehmen", "Accept invitation";
    InviteLead => "Legen Sie ein Passwort fest, um Ihr Konto zu aktivieren.", "Choose a password to activate your account.";
    InviteSubmit => "Passwort festlegen und anmelden", "Set password and sign in";

    NotFoundTitle => "Seite nicht gefunden", "Page not found";
    NotFoundText => "Diese Adresse gibt es nicht (mehr). Über die Navigation geht es weiter.", "This address does not exist (any more). The navigation leads on.";

    ErrUnauthenticated => "Bitte melden Sie sich an.", "Please sign in.";
    ErrForbidden => "Dafür fehlt Ihnen die Berechtigung.", "You are not allowed to do this.";
    ErrNotFound => "Nicht gefunden.", "Not found.";
    ErrInvalidCredentials => "E-Mail-Adresse oder Passwort ist falsch.", "Email address or password is wrong.";
    ErrRateLimited => "Zu viele Fehlversuche. Bitte versuchen Sie es in {minutes} Minuten erneut.", "Too many failed attempts. Please try again in {minutes} minutes.";
    ErrCrossSite => "Anfrage von einer fremden Website abgelehnt.", "Request from another website refused.";
    ErrBusy => "Gerade sind sehr viele gleichzeitig hier. Bitte versuchen Sie es in ein paar Sekunden noch einmal.", "Very many people are here at once. Please try again in a few seconds.";
    ErrInternal => "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.", "An internal error occurred. Please try again later.";
    ErrRequest => "Die Anfrage konnte nicht verarbeitet werden.", "The request could not be processed.";

    ProbRequired => "Dieses Feld ist erforderlich.", "This field is required.";
    ProbTooLong => "Höchstens {max} Zeichen.", "At most {max} characters.";
    ProbEmailInvalid => "Bitte geben Sie eine gültige E-Mail-Adresse ein.", "Please enter a valid email address.";
    ProbEmailTaken => "Für diese E-Mail-Adresse gibt es bereits ein Konto.", "An account with this email address already exists.";
    ProbPasswordTooShort => "Das Passwort muss mindestens {min} Zeichen lang sein.", "The password must be at least {min} characters long.";
    ProbPasswordTooLong => "Das Passwort darf höchstens {max} Zeichen lang sein.", "The password must be at most {max} characters long.";
    ProbPasswordIsEmail => "Das Passwort darf nicht die E-Mail-Adresse sein.", "The password must not be the email address.";
    ProbRoleUnknown => "Unbekannte Rolle.", "Unknown role.";
    ProbLastAdmin => "Das letzte Admin-Konto kann nicht herabgestuft oder gelöscht werden.", "The last admin account cannot be demoted or deleted.";
    ProbInviteInvalid => "Dieser Einladungslink ist ungültig oder abgelaufen.", "This invitation link is invalid or has expired.";
    ProbNotYourself => "Die eigene Rolle kann hier nicht geändert werden.", "You cannot change your own role here.";
    ProbUnreadable => "Enthält Steuerzeichen, die nicht gespeichert werden können.", "Contains control characters that cannot be stored.";
    ProbNumberInvalid => "Bitte eine Zahl eingeben.", "Please enter a number.";
    ProbOutsideRegion => "Diese Position liegt außerhalb der Region der Plattform. Bitte Breiten- und Längengrad prüfen oder den Ort auf der Karte wählen.", "This position lies outside the platform's region. Please check latitude and longitude or choose the place on the map.";
    ProbCoordinatesSwapped => "Breiten- und Längengrad sind vertauscht: Die Breite ist hier die größere Zahl (z. B. 49,25), die Länge die kleinere (z. B. 8,88).", "Latitude and longitude are swapped: here the latitude is the larger number (e.g. 49.25), the longitude the smaller (e.g. 8.88).";
    ProbCoordinatesOutOfRange => "Breite muss zwischen -90 und 90, Länge zwischen -180 und 180 liegen.", "Latitude must be between -90 and 90, longitude between -180 and 180.";
    ProbUrlInvalid => "Bitte eine vollständige Adresse mit https:// eingeben.", "Please enter a full address starting with https://.";
    ProbKindUnknown => "Unbekannte Art.", "Unknown kind.";
    ProbYearOutOfRange => "Bitte ein Jahr zwischen 1000 und {max} angeben.", "Please give a year between 1000 and {max}.";
    ProbSizeBandUnknown => "Unbekannte Größenklasse (erlaubt: 1-9, 10-49, 50-249, 250-999, 1000+).", "Unknown size band (allowed: 1-9, 10-49, 50-249, 250-999, 1000+).";
    ProbTermUnknown => "Unbekannter Begriff – bitte aus der Liste wählen.", "Unknown term – please choose from the list.";
    ProbConsentMissing => "Kontaktdaten werden nur mit öffentlichem Profil und angegebener Adresse gezeigt.", "Contact details are shown only with a public profile and a given address.";
    ProbSameActor => "Eine Verbindung braucht zwei verschiedene Akteure.", "A connection needs two different actors.";
    ProbDateInvalid => "Bitte ein Datum im Format JJJJ-MM-TT angeben.", "Please give a date as YYYY-MM-DD.";
    ProbEndBeforeStart => "Das Ende liegt vor dem Beginn.", "The end is before the start.";
    ProbDateTimeInvalid => "Bitte Datum und Uhrzeit angeben (JJJJ-MM-TT hh:mm).", "Please give a date and time (YYYY-MM-DD HH:MM).";
    ProbNumberOutOfRange => "Bitte eine Zahl von {min} bis {max} angeben.", "Please give a number from {min} to {max}.";
    ProbConsentRequired => "Ohne Ihre Zustimmung können wir Sie niemandem vorstellen: Bitte bestätigen Sie, dass Ihr Profil den anderen Teilnehmenden gezeigt werden darf.", "Without your consent we cannot introduce you: please confirm that your profile may be shown to the other participants.";
    ProbRegistrationClosed => "Für diese Veranstaltung ist die Anmeldung gerade nicht möglich.", "Registration for this event is not open.";
    ProbSeatingChangedMeanwhile => "Die Sitzordnung wurde gerade eben geändert; die Übersicht zeigt sie jetzt. Bitte prüfen Sie, wer noch wartet.", "The seating was changed a moment ago; the overview now shows it. Please check who is still waiting.";
    ProbTableRowInvalid => "Tischgruppe {row}: bitte eine Anzahl von 1 bis 5000, 2 bis 12 Plätze und kurze Angaben (Bezeichnung bis 40, Bereich bis 60 Zeichen) eintragen.", "Table group {row}: please give a count from 1 to 5000, 2 to 12 seats and short texts (name up to 40, area up to 60 characters).";
    ProbTableNameTaken => "Tischgruppe {row}: Diesen Namen trägt schon ein anderer Tisch. Bitte eine andere Bezeichnung wählen.", "Table group {row}: another table already has this name. Please choose a different name.";
    ProbRequestAnswered => "Diese Anfrage ist inzwischen beantwortet und lässt sich nicht mehr zurückziehen.", "This request has been answered meanwhile and can no longer be withdrawn.";
    ProbWeightUnknown => "Bitte eine der angebotenen Gewichtungen wählen.", "Please choose one of the offered weights.";
    ProbRegistrantsHidden => "Die Liste der anderen Teilnehmenden ist nur rund um die Veranstaltung sichtbar.", "The list of the other participants is only visible around the event.";
    RegistrationReceivedKnown => "Danke, Ihre Anmeldung ist eingegangen. War diese E-Mail-Adresse schon angemeldet, gilt die bestehende Anmeldung; Ihren persönlichen Link erhalten Sie dann vom Orga-Team.", "Thank you, your registration has been received. If this email address was already registered, the existing registration stands; the organisers will give you your personal link.";
    LinkRenew => "Neuen persönlichen Link erzeugen", "Create a new personal link";
    LinkRenewHelp => "Der bisherige Link (auch als QR-Code) funktioniert danach nicht mehr, etwa wenn Sie ihn versehentlich geteilt haben.", "The previous link (and its QR code) stops working, for instance if you shared it by mistake.";
    LinkRenewed => "Ihr persönlicher Link ist neu. Der bisherige funktioniert nicht mehr: Speichern Sie diesen.", "Your personal link is new. The previous one no longer works: keep this one.";
    ProbLinkExpired => "Dieser persönliche Link ist abgelaufen: Die Veranstaltung liegt länger zurück, als ihre Daten aufbewahrt werden.", "This personal link has expired: the event lies further back than its data is kept.";
    ProbConfirmationNeeded => "Der Vorschlag ändert Kontakt, Logo-Adresse oder Einwilligung. Bitte bestätigen Sie diese Änderungen ausdrücklich.", "The proposal changes the contact, the logo address or the consent. Please confirm these changes explicitly.";
    ModerationConfirm => "Änderungen an Kontakt, Logo-Adresse und Einwilligung geprüft und übernehmen", "Checked the changes to contact, logo address and consent: apply them";
    ModerationNeedsConfirmation => "braucht Bestätigung", "needs confirmation";
    ProbFormExpired => "Das Formular ist abgelaufen. Bitte laden Sie die Seite neu und senden Sie es noch einmal.", "The form has expired. Please reload the page and send it again.";
    ProbFormRefused => "Das Formular konnte nicht angenommen werden. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.", "The form could not be accepted. Please reload the page and try again.";
    ProbAlreadyRegistered => "Mit dieser E-Mail-Adresse ist schon jemand angemeldet. Wenn Ihnen Ihr persönlicher Link fehlt, hilft Ihnen das Orga-Team weiter.", "Someone has already registered with this email address. If you no longer have your personal link, the organisers will help.";
    ProbStatusStepInvalid => "Dieser Statuswechsel ist nicht möglich.", "This change of status is not possible.";
    ProbEventNotLive => "Runden gibt es erst, wenn die Veranstaltung läuft.", "Rounds start once the event is live.";
    ProbAllRoundsPlanned => "Alle Runden dieser Veranstaltung sind geplant.", "All rounds of this event are planned.";
    ProbRoundPlannedMeanwhile => "Gerade eben wurde diese Runde schon geplant; die Übersicht zeigt sie jetzt.", "This round was planned a moment ago; the overview now shows it.";
    ProbRoundStepInvalid => "Das passt gerade nicht zum Stand der Runde; die Konsole zeigt jetzt den aktuellen Stand.", "That does not fit the round's state; the console now shows the current state.";
    ProbRoundStillOpen => "Beenden Sie zuerst die laufende Runde.", "End the current round first.";
    ProbRoundLocked => "Diese Runde ist gesperrt; entsperren Sie sie, um sie neu zu planen.", "This round is locked; unlock it to plan it again.";
    ProbPlanChangedMeanwhile => "Der Plan wurde gerade eben geändert; die Konsole zeigt jetzt den neuen Stand. Bitte prüfen Sie ihn.", "The plan changed a moment ago; the console now shows it. Please check it.";
    ProbNoRound => "Es ist noch keine Runde geplant.", "No round has been planned yet.";
    ProbRoundAlreadyStarted => "Diese Runde hat schon begonnen; neu planen lässt sich nur eine Runde, die noch nicht läuft.", "This round has started; only a round that has not started can be planned again.";
    ProbSwapInvalid => "Bitte zwei verschiedene Personen wählen, die in dieser Runde sitzen, pausieren oder im Raum sind.", "Please choose two different people who are seated, resting or in the room in this round.";
    ProbNobodyWaiting => "Gerade wartet niemand auf einen Platz.", "Nobody is waiting for a seat right now.";
    ProbMeetingNotOver => "Eine Rückmeldung geben Sie, sobald die Runde vorbei ist.", "You can give feedback once the round is over.";
    ProbFollowUpNotMutual => "Eine Verbindung entsteht nur, wenn beide Seiten weitermachen möchten.", "A connection is only made when both sides want to follow up.";
    ProbFollowUpConfirmed => "Diese Verbindung ist schon bestätigt.", "This connection has already been confirmed.";
    ProbNotBookable => "Bei dieser Veranstaltung werden keine Termine gebucht, die Gespräche laufen in Live-Runden.", "This event has no bookable slots; meetings happen in live rounds.";
    ProbAlreadyRequested => "Zwischen Ihnen beiden gibt es schon eine Anfrage.", "There is already a request between the two of you.";
    ProbSlotsEvent => "Bei dieser Veranstaltung werden Termine gebucht; Live-Runden gibt es hier nicht.", "This event has bookable slots; there are no live rounds.";
    ProbDuplicateActor => "Einen Akteur mit diesem Namen gibt es in diesem Ort schon.", "An actor with this name already exists in this town.";
    ProbActorUnknown => "Diesen Akteur gibt es nicht.", "This actor does not exist.";
    ProbConnectionExists => "Diese Verbindung gibt es schon.", "This connection already exists.";
    ProbColumnMissing => "Eine Pflichtspalte fehlt in der Kopfzeile.", "A required column is missing from the header row.";
    ProbFileTooLarge => "Die Datei ist zu groß (höchstens {max} Zeilen).", "The file is too large (at most {max} rows).";
    ProbTermExists => "Diesen Begriff gibt es schon.", "This term already exists.";
    ProbPartnersTooFew => "Eine Fallstudie braucht mindestens zwei Partner.", "A case study needs at least two partners.";
    ProbConnectionNotBetweenPartners => "Diese Verbindung besteht nicht zwischen den gewählten Partnern.", "This connection does not link the chosen partners.";
    ProbKeyFigureInvalid => "Kennzahl in Zeile {line}: bitte „Wert | Bezeichnung“ schreiben.", "Key figure in line {line}: please write “value | label”.";
    ProbTooMany => "Höchstens {max} Einträge.", "At most {max} entries.";
    ProbImageTypeRefused => "Nur PNG-, JPEG-, GIF- oder WebP-Bilder (kein SVG).", "Only PNG, JPEG, GIF or WebP images (no SVG).";
    ProbImageTooLarge => "Das Bild ist zu groß (höchstens {max} MB).", "The image is too large (at most {max} MB).";
    ProbUploadQuotaReached => "Für heute haben Sie genug Bilder hochgeladen (höchstens {max} MB am Tag). Morgen geht es weiter.", "You have uploaded enough images for today (at most {max} MB a day). You can continue tomorrow.";
    ProbAltMissing => "Jedes Bild braucht einen Alternativtext.", "Every image needs an alternative text.";
    ProbApprovalsMissing => "Es fehlen noch Freigaben von Partnern.", "Approvals from partners are still missing.";
    ProbNotEditable => "In diesem Status kann die Fallstudie nicht bearbeitet werden.", "The case study cannot be edited in this status.";
    ProbApprovalInvalid => "Dieser Freigabelink ist ungültig oder wurde schon benutzt.", "This approval link is invalid or has been used.";
    ProbNotAPartner => "Ihr Konto gehört zu keiner Partnerorganisation dieser Fallstudie.", "Your account does not belong to a partner organisation of this case study.";
    ProbChangedSinceShown => "Die Fallstudie wurde inzwischen geändert. Bitte laden Sie die Seite neu und prüfen Sie die neue Fassung.", "The case study has changed in the meantime. Please reload the page and review the new version.";
    ProbApprovalExpired => "Dieser Freigabelink ist abgelaufen. Bitte fragen Sie die Redaktion nach einem neuen Link.", "This approval link has expired. Please ask the editors for a new link.";
    CaseSaveBeforeStep => "Sie haben ungespeicherte Änderungen. Speichern Sie zuerst: Weitergegeben wird immer die gespeicherte Fassung.", "You have unsaved changes. Save first: the saved version is always what moves on.";
    ProbEditedMeanwhile => "Jemand anderes hat inzwischen gespeichert. Bitte neu laden und erneut ändern.", "Someone else saved in the meantime. Please reload and make your change again.";
    LegendEnded => "Beendete Verbindung", "Ended connection";
    NavNotifications => "Mitteilungen", "Notifications";
    ColOrganisation => "Organisation", "Organisation on the map";
    AdminOrganisationFor => "Organisation von", "Organisation of";
    AdminOrganisationSave => "Zuordnen", "Link";
    PlaybookCount => "{n} Fallstudien aus der Praxis", "{n} case studies from practice";
    CaseTitleLabel => "Titel", "Title";
    CaseTeaser => "Kurzfassung", "Summary";
    CaseRegion => "Region", "Area";
    CaseTopics => "Themen", "Topics";
    CaseConnection => "Verbindung auf der Karte", "Connection on the map";
    CaseNoConnection => "— keine —", "— none —";
    CaseSince => "seit", "since";
    CaseOnMap => "auf der Karte", "on the map";
    CaseChallenge => "Ausgangslage und Herausforderung", "Starting point and challenge";
    CaseSolution => "Lösung", "Solution";
    CaseResult => "Ergebnis", "Result";
    CaseKeyFigures => "Kennzahlen", "Key figures";
    CaseKeyFiguresHint => "Eine Kennzahl pro Zeile: Wert | Bezeichnung, z. B. „38 t | Stahl eingespart“.", "One key figure per line: value | label, e.g. “38 t | steel saved”.";
    CaseQuote => "Zitat", "Quote";
    CaseQuoteBy => "Zitat von", "Quote by";
    CaseOutlook => "Ausblick", "Outlook";
    CaseContact => "Kontakt", "Contact";
    CaseImages => "Bilder", "Images";
    CaseImagesHint => "Das erste Bild ist das Titelbild. Jedes Bild braucht einen Alternativtext für Menschen, die es nicht sehen.", "The first image is the cover. Every image needs an alternative text for people who cannot see it.";
    CaseImageAlt => "Alternativtext von Bild {n}", "Alternative text of image {n}";
    CaseImageUpload => "Bild hochladen", "Upload an image";
    CaseImageFile => "Bilddatei (PNG, JPEG, GIF oder WebP, höchstens 2 MB)", "Image file (PNG, JPEG, GIF or WebP, at most 2 MB)";
    CaseImageAltNew => "Alternativtext (was ist zu sehen?)", "Alternative text (what does it show?)";
    CaseImageUploadSubmit => "Hochladen", "Upload";
    CaseImageUploaded => "Bild hochgeladen und hinzugefügt. Speichern nicht vergessen.", "Image uploaded and added. Remember to save.";
    CaseMarkdownHint => "Markdown: **fett**, *kursiv*, - Liste, [Link](https://…), ![Bild](/bilder/…).", "Markdown: **bold**, *italic*, - list, [link](https://…), ![image](/bilder/…).";
    CaseEdit => "Bearbeiten", "Edit";
    CaseEditTitle => "Fallstudie bearbeiten", "Edit case study";
    CaseRevisions => "Versionen", "Revisions";
    CaseSave => "Speichern", "Save";
    CaseSaving => "Wird gespeichert …", "Saving …";
    CaseSavedVersion => "Gespeichert (Version {n})", "Saved (version {n})";
    CaseDraftKept => "Zwischenstand gesichert ({time}), noch nicht gespeichert", "Work in progress kept ({time}), not saved yet";
    CaseUnsaved => "Ungespeicherte Änderungen", "Unsaved changes";
    CaseDraftRestored => "Ihr ungespeicherter Zwischenstand vom {time} wurde wiederhergestellt.", "Your unsaved work from {time} was restored.";
    CaseDraftDiscard => "Zwischenstand verwerfen", "Discard it";
    CaseReadOnly => "In diesem Status ist die Fallstudie schreibgeschützt. Zum Ändern zurück in den Entwurf schicken.", "The case study is read-only in this status. Send it back to draft to change it.";
    CasePreview => "Vorschau", "Preview";
    CasePartnerAdd => "Partner hinzufügen (Name eintippen und auswählen)", "Add a partner (type a name and choose)";
    CasePartnerN => "Partner {n}", "Partner no. {n}";
    CaseRemove => "Entfernen", "Remove";
    CasePartnerUnknown => "Diesen Akteur gibt es auf der Karte nicht. Bitte aus der Liste wählen.", "There is no such actor on the map. Please choose from the list.";
    CaseConflictTitle => "Jemand anderes hat gespeichert", "Someone else saved";
    CaseConflictText => "{who} hat am {time} Version {n} gespeichert, während Sie bearbeitet haben. Es wurde nichts überschrieben: Ihre Fassung ist noch im Editor.", "{who} saved version {n} at {time} while you were editing. Nothing was overwritten: your version is still in the editor.";
    CaseConflictTheirs => "Gespeicherte Fassung (Version {n})", "Saved version ({n})";
    CaseConflictMine => "Ihre Fassung", "Your version";
    CaseConflictTakeTheirs => "Gespeicherte Fassung übernehmen", "Take the saved version";
    CaseConflictKeepMine => "Meine Fassung speichern (ersetzt Version {n})", "Save my version (replaces version {n})";
    CaseNoDifferences => "Keine Unterschiede.", "No differences.";
    DiffRemoved => "entfernt", "removed";
    DiffAdded => "hinzugefügt", "added";
    CaseVersion => "Version", "Revision";
    CaseCompare => "Vergleichen", "Compare";
    CaseCompareFrom => "Ältere Version", "Older version";
    CaseCompareTo => "Neuere Version", "Newer version";
    CaseHistory => "Verlauf", "History";
    CaseRestore => "Wiederherstellen", "Restore";
    CaseRestored => "Die Version wurde als neue Version wiederhergestellt.", "The revision was restored as a new version.";
    CaseStatusDraft => "Entwurf", "Draft";
    CaseStatusReview => "In Prüfung", "In review";
    CaseStatusApproval => "Freigabe", "Approval";
    CaseStatusPublished => "Veröffentlicht", "Published";
    CaseStatusWithdrawn => "Zurückgezogen", "Withdrawn";
    StepCreated => "hat die Fallstudie angelegt", "created the case study";
    StepSubmitted => "hat zur Prüfung eingereicht", "submitted for review";
    StepSentBack => "hat zur Überarbeitung zurückgeschickt", "sent back for changes";
    StepApprovalRequested => "hat die Freigabe bei den Partnern angefragt", "asked the partners for approval";
    StepApproved => "hat freigegeben", "approved";
    CaseApprovedBy => "freigegeben von {who}", "approved by {who}";
    StepPublished => "hat veröffentlicht", "published";
    StepWithdrawn => "hat zurückgezogen", "withdrew";
    StepReopened => "hat wieder als Entwurf geöffnet", "reopened as a draft";
    DoSubmit => "Zur Prüfung einreichen", "Submit for review";
    DoSendBack => "Zur Überarbeitung zurückschicken", "Send back for changes";
    DoRequestApproval => "Freigabe bei den Partnern anfragen", "Ask the partners for approval";
    DoApprove => "Freigeben", "Approve";
    DoPublish => "Veröffentlichen", "Publish";
    DoWithdraw => "Zurückziehen", "Withdraw";
    DoReopen => "Wieder als Entwurf öffnen", "Reopen as a draft";
    CaseWorkflow => "Ablauf", "Workflow";
    CaseOpenPublic => "Öffentliche Seite ansehen", "View the public page";
    CaseReviewComment => "Anmerkung zur Überarbeitung:", "Comment for the revision:";
    CaseComment => "Anmerkung", "Comment";
    CaseApprovals => "Freigaben der Partnerorganisationen", "Approvals of the partner organisations";
    CaseApprovalPending => "ausstehend", "pending";
    CasePublishAfterApprovals => "Veröffentlichen ist möglich, sobald alle Partner freigegeben haben.", "Publishing is possible once every partner has approved.";
    CaseApproveFor => "Für {org} freigeben", "Approve for {org}";
    CaseChangesWanted => "Welche Änderungen wünschen Sie?", "Which changes do you want?";
    CaseRequestChanges => "Änderungen erbitten", "Request changes";
    CaseCreateLinks => "Persönliche Freigabelinks erzeugen", "Create personal approval links";
    CaseLinksText => "Senden Sie jedem Partner seinen Link. Jeder Link gilt einmal und höchstens 30 Tage; neue Links ersetzen die alten.", "Send each partner its link. Each link works once and for at most 30 days; new links replace the old ones.";
    ApprovalTitle => "Freigabe einer Fallstudie", "Approving a case study";
    ApprovalLead => "Bitte lesen Sie die Fallstudie und geben Sie sie für {org} frei – oder bitten Sie um Änderungen.", "Please read the case study and approve it for {org} – or ask for changes.";
    ApprovalThanks => "Danke, Ihre Entscheidung ist gespeichert.", "Thank you, your decision is saved.";
    ApprovalAlready => "Diese Organisation hat die Fallstudie bereits freigegeben.", "This organisation has already approved the case study.";
    ApprovalDecision => "Ihre Entscheidung", "Your decision";
    CasesFeed => "Atom-Feed", "Atom feed";
    CasesFilter => "Fallstudien filtern", "Filter case studies";
    CasesSearch => "Suche", "Search";
    CasesPartnerKind => "Art der Partner", "Kind of partner";
    CasesApply => "Anwenden", "Apply";
    CasesCount => "{n} von {all} Fallstudien", "{n} of {all} case studies";
    CasesInProgress => "In Arbeit", "In progress";
    CasesNew => "Neue Fallstudie", "New case study";
    CasesCreate => "Anlegen und bearbeiten", "Create and edit";
    NotificationsTitle => "Mitteilungen", "Notifications";
    NotificationsEmpty => "Keine Mitteilungen.", "No notifications.";
    NotificationsMarkRead => "Alle als gelesen markieren", "Mark all as read";
    NotificationsNew => "neu", "new";
    PlaybookTitle => "Playbook Innovationspartnerschaften", "Innovation partnerships playbook";
    PlaybookSubtitle => "Wie eine Region Tandems aus Mittelstand, Startups und Forschung anstößt, begleitet und fördert – mit Fallstudien aus der Praxis.", "How a region starts, accompanies and funds tandems of SMEs, startups and research – with case studies from practice.";
    PlaybookContents => "Inhalt", "Contents";
    PlaybookIntro => "Einführung", "Introduction";
    PlaybookMethod => "Methode", "Method";
    PlaybookMethodHint => "Wie eine Region Innovationspartnerschaften startet, begleitet und finanziert (Markdown).", "How a region starts, accompanies and funds innovation partnerships (markdown).";
    PlaybookStudies => "Enthaltene Fallstudien (nur veröffentlichte)", "Case studies included (published only)";
    PlaybookPrint => "Drucken oder als PDF sichern", "Print or save as PDF";
    PlaybookExport => "Als eine HTML-Datei herunterladen", "Download as one HTML file";
    PlaybookEdit => "Playbook bearbeiten", "Edit the playbook";
    PlaybookSave => "Playbook speichern", "Save the playbook";
    PlaybookSaved => "Das Playbook ist gespeichert.", "The playbook is saved.";
    ProbNothingToImport => "Die Datei enthält keine Datenzeilen.", "The file contains no data rows.";

    RoleParticipant => "Teilnehmende:r", "Participant";
    RolePartner => "Partner:in", "Partner";
    RoleOrganizer => "Organisator:in", "Organiser";
    RoleAdmin => "Admin", "Admin";

    KindMittelstand => "Mittelstand", "SME (Mittelstand)";
    KindStartup => "Startup", "Startup";
    KindForschung => "Hochschule/Forschung", "University/research";
    KindIntermediaer => "Intermediär/Wirtschaftsförderung", "Intermediary/economic development";
    KindInitiative => "Initiative/Netzwerk", "Initiative/network";
    KindCoworking => "Coworking", "Coworking";

    ConnTandem => "Tandem/Innovationspartnerschaft", "Tandem/innovation partnership";
    ConnForschung => "Forschungskooperation", "Research cooperation";
    ConnMentoring => "Mentoring", "Mentoring";
    ConnMitgliedschaft => "Mitgliedschaft", "Membership";
    ConnKundeLieferant => "Kunde/Lieferant", "Customer/supplier";
}

impl Role {
    pub fn label(self) -> Msg {
        match self {
            Role::Participant => Msg::RoleParticipant,
            Role::Partner => Msg::RolePartner,
            Role::Organizer => Msg::RoleOrganizer,
            Role::Admin => Msg::RoleAdmin,
        }
    }
}

impl Rest {
    pub fn label(self) -> Msg {
        match self {
            Rest::Bye => Msg::RestBye,
            Rest::NoPartner => Msg::RestNoPartner,
            Rest::NoTable => Msg::RestNoTable,
        }
    }
}

impl ActorKind {
    pub fn label(self) -> Msg {
        match self {
            ActorKind::Mittelstand => Msg::KindMittelstand,
            ActorKind::Startup => Msg::KindStartup,
            ActorKind::Forschung => Msg::KindForschung,
            ActorKind::Intermediaer => Msg::KindIntermediaer,
            ActorKind::Initiative => Msg::KindInitiative,
            ActorKind::Coworking => Msg::KindCoworking,
        }
    }
}

impl ConnectionKind {
    pub fn label(self) -> Msg {
        match self {
            ConnectionKind::Tandem => Msg::ConnTandem,
            ConnectionKind::Forschungskooperation => Msg::ConnForschung,
            ConnectionKind::Mentoring => Msg::ConnMentoring,
            ConnectionKind::Mitgliedschaft => Msg::ConnMitgliedschaft,
            ConnectionKind::KundeLieferant => Msg::ConnKundeLieferant,
        }
    }
}

impl Problem {
    pub fn text(self, locale: Locale) -> String {
        let (msg, placeholder, value) = match self {
            Problem::Required => (Msg::ProbRequired, "", 0),
            Problem::TooLong { max } => (Msg::ProbTooLong, "{max}", max),
            Problem::EmailInvalid => (Msg::ProbEmailInvalid, "", 0),
            Problem::EmailTaken => (Msg::ProbEmailTaken, "", 0),
            Problem::PasswordTooShort { min } => (Msg::ProbPasswordTooShort, "{min}", min),
            Problem::PasswordTooLong { max } => (Msg::ProbPasswordTooLong, "{max}", max),
            Problem::PasswordIsEmail => (Msg::ProbPasswordIsEmail, "", 0),
            Problem::RoleUnknown => (Msg::ProbRoleUnknown, "", 0),
            Problem::LastAdmin => (Msg::ProbLastAdmin, "", 0),
            Problem::InviteInvalid => (Msg::ProbInviteInvalid, "", 0),
            Problem::NotYourself => (Msg::ProbNotYourself, "", 0),
            Problem::Unreadable => (Msg::ProbUnreadable, "", 0),
            Problem::NumberInvalid => (Msg::ProbNumberInvalid, "", 0),
            Problem::CoordinatesOutOfRange => (Msg::ProbCoordinatesOutOfRange, "", 0),
            Problem::OutsideRegion => (Msg::ProbOutsideRegion, "", 0),
            Problem::CoordinatesSwapped => (Msg::ProbCoordinatesSwapped, "", 0),
            Problem::UrlInvalid => (Msg::ProbUrlInvalid, "", 0),
            Problem::KindUnknown => (Msg::ProbKindUnknown, "", 0),
            Problem::YearOutOfRange { max } => (Msg::ProbYearOutOfRange, "{max}", max),
            Problem::SizeBandUnknown => (Msg::ProbSizeBandUnknown, "", 0),
            Problem::TermUnknown => (Msg::ProbTermUnknown, "", 0),
            Problem::ConsentMissing => (Msg::ProbConsentMissing, "", 0),
            Problem::SameActor => (Msg::ProbSameActor, "", 0),
            Problem::DateInvalid => (Msg::ProbDateInvalid, "", 0),
            Problem::EndBeforeStart => (Msg::ProbEndBeforeStart, "", 0),
            Problem::DuplicateActor => (Msg::ProbDuplicateActor, "", 0),
            Problem::ActorUnknown => (Msg::ProbActorUnknown, "", 0),
            Problem::ConnectionExists => (Msg::ProbConnectionExists, "", 0),
            Problem::ColumnMissing => (Msg::ProbColumnMissing, "", 0),
            Problem::FileTooLarge { max } => (Msg::ProbFileTooLarge, "{max}", max),
            Problem::NothingToImport => (Msg::ProbNothingToImport, "", 0),
            Problem::TermExists => (Msg::ProbTermExists, "", 0),
            Problem::DateTimeInvalid => (Msg::ProbDateTimeInvalid, "", 0),
            Problem::NumberOutOfRange { min, max } => {
                return Msg::ProbNumberOutOfRange
                    .text(locale)
                    .replace("{min}", &min.to_string())
                    .replace("{max}", &max.to_string())
            }
            Problem::ConsentRequired => (Msg::ProbConsentRequired, "", 0),
            Problem::RegistrationClosed => (Msg::ProbRegistrationClosed, "", 0),
            Problem::AlreadyRegistered => (Msg::ProbAlreadyRegistered, "", 0),
            Problem::FormExpired => (Msg::ProbFormExpired, "", 0),
            Problem::FormRefused => (Msg::ProbFormRefused, "", 0),
            Problem::ConfirmationNeeded => (Msg::ProbConfirmationNeeded, "", 0),
            Problem::LinkExpired => (Msg::ProbLinkExpired, "", 0),
            Problem::RegistrantsHidden => (Msg::ProbRegistrantsHidden, "", 0),
            Problem::SeatingChangedMeanwhile => (Msg::ProbSeatingChangedMeanwhile, "", 0),
            Problem::RoundLocked => (Msg::ProbRoundLocked, "", 0),
            Problem::PlanChangedMeanwhile => (Msg::ProbPlanChangedMeanwhile, "", 0),
            Problem::TableRowInvalid { row } => (Msg::ProbTableRowInvalid, "{row}", row),
            Problem::TableNameTaken { row } => (Msg::ProbTableNameTaken, "{row}", row),
            Problem::WeightUnknown => (Msg::ProbWeightUnknown, "", 0),
            Problem::RequestAnswered => (Msg::ProbRequestAnswered, "", 0),
            Problem::StatusStepInvalid => (Msg::ProbStatusStepInvalid, "", 0),
            Problem::EventNotLive => (Msg::ProbEventNotLive, "", 0),
            Problem::AllRoundsPlanned => (Msg::ProbAllRoundsPlanned, "", 0),
            Problem::RoundPlannedMeanwhile => (Msg::ProbRoundPlannedMeanwhile, "", 0),
            Problem::RoundStepInvalid => (Msg::ProbRoundStepInvalid, "", 0),
            Problem::RoundStillOpen => (Msg::ProbRoundStillOpen, "", 0),
            Problem::NoRound => (Msg::ProbNoRound, "", 0),
            Problem::RoundAlreadyStarted => (Msg::ProbRoundAlreadyStarted, "", 0),
            Problem::SwapInvalid => (Msg::ProbSwapInvalid, "", 0),
            Problem::NobodyWaiting => (Msg::ProbNobodyWaiting, "", 0),
            Problem::MeetingNotOver => (Msg::ProbMeetingNotOver, "", 0),
            Problem::FollowUpNotMutual => (Msg::ProbFollowUpNotMutual, "", 0),
            Problem::FollowUpConfirmed => (Msg::ProbFollowUpConfirmed, "", 0),
            Problem::NotBookable => (Msg::ProbNotBookable, "", 0),
            Problem::AlreadyRequested => (Msg::ProbAlreadyRequested, "", 0),
            Problem::SlotsEvent => (Msg::ProbSlotsEvent, "", 0),
            Problem::PartnersTooFew => (Msg::ProbPartnersTooFew, "", 0),
            Problem::ConnectionNotBetweenPartners => (Msg::ProbConnectionNotBetweenPartners, "", 0),
            Problem::KeyFigureInvalid { line } => (Msg::ProbKeyFigureInvalid, "{line}", line),
            Problem::TooMany { max } => (Msg::ProbTooMany, "{max}", max),
            Problem::ImageTypeRefused => (Msg::ProbImageTypeRefused, "", 0),
            Problem::ImageTooLarge { max } => (Msg::ProbImageTooLarge, "{max}", max),
            Problem::UploadQuotaReached { max } => (Msg::ProbUploadQuotaReached, "{max}", max),
            Problem::AltMissing => (Msg::ProbAltMissing, "", 0),
            Problem::ApprovalsMissing => (Msg::ProbApprovalsMissing, "", 0),
            Problem::NotEditable => (Msg::ProbNotEditable, "", 0),
            Problem::ApprovalInvalid => (Msg::ProbApprovalInvalid, "", 0),
            Problem::NotAPartner => (Msg::ProbNotAPartner, "", 0),
            Problem::EditedMeanwhile => (Msg::ProbEditedMeanwhile, "", 0),
            Problem::ChangedSinceShown => (Msg::ProbChangedSinceShown, "", 0),
            Problem::ApprovalExpired => (Msg::ProbApprovalExpired, "", 0),
        };
        let text = msg.text(locale);
        if placeholder.is_empty() {
            text.to_owned()
        } else {
            text.replace(placeholder, &value.to_string())
        }
    }
}

/// The locale of this request (server: its cookie) or page (browser: `<html lang>`).
pub fn detect_locale() -> Locale {
    #[cfg(feature = "ssr")]
    let locale = use_context::<axum::http::request::Parts>()
        .map(|parts| Locale::from_headers(&parts.headers))
        .unwrap_or_default();
    // The server wrote the locale into <html lang>, so hydration renders the same text.
    #[cfg(not(feature = "ssr"))]
    let locale = document()
        .document_element()
        .and_then(|root| root.get_attribute("lang"))
        .and_then(|code| Locale::from_code(&code))
        .unwrap_or_default();
    locale
}

/// Puts the locale into context; called once by the app root.
pub fn provide_locale() -> Locale {
    let locale = detect_locale();
    provide_context(locale);
    locale
}

pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// The text of `msg` in the current locale.
pub fn t(msg: Msg) -> &'static str {
    msg.text(use_locale())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_parsing() {
        assert_eq!(
            Locale::from_cookie_header("a=b; tandem_lang=en; c=d"),
            Locale::En
        );
        assert_eq!(Locale::from_cookie_header("tandem_lang=fr"), Locale::De);
        assert_eq!(Locale::from_cookie_header(""), Locale::De);
    }

    #[test]
    fn every_message_is_translated_and_differs_where_it_should() {
        let mut untranslated = 0;
        for msg in Msg::ALL {
            let (de, en) = (msg.text(Locale::De), msg.text(Locale::En));
            assert!(!de.trim().is_empty() && !en.trim().is_empty(), "{msg:?}");
            if de == en {
                untranslated += 1;
            }
        }
        // Names and loan words are the same in both languages, but not more than a handful.
        assert!(
            untranslated < 16,
            "{untranslated} messages are identical in German and English"
        );
    }
}
